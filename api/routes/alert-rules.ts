// Alert rules: an ordered list per tenant, first enabled match wins (domain/alert-rules.ts).
// New rules go to the end; POST /reorder sets the whole order at once.
import Router from '@koa/router';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AlertRuleSchema, ClientSchema, type AlertRuleRow } from '../../db/entities';
import { isUuid } from '../../db/ticket-store';
import { sortRules, type RuleActions, type RuleConditions } from '../../domain/alert-rules';
import { validatePattern } from '../../domain/rule-pattern';
import { PRIORITIES, SEVERITIES } from '../../domain/priority';
import type { AppDeps } from '../deps';
import { ApiError, notFound } from '../errors';
import { tenantOf } from '../middleware/auth';
import { findPage, pageQuery } from '../pagination';
import type { OpenApiRegistry } from '../openapi';
import { pageOfSchema, ruleResponse } from '../schemas';
import { parseInput, type FieldProblem } from '../validation';

const idList = (item: z.ZodString, max: number) => z.array(item).max(max);

export const ruleConditionsBody = z
  .object({
    severities: z.array(z.enum(SEVERITIES)).max(SEVERITIES.length).nullish(),
    clientIds: idList(z.string(), 500).nullish(),
    levelGroupIds: idList(z.string().trim().min(1).max(200), 500).nullish(),
    deviceRoles: idList(z.string().trim().min(1).max(100), 50).nullish(),
    keywords: idList(z.string().trim().min(1).max(200), 100).nullish(),
    /** Checked with validatePattern after parsing (length and syntax). */
    pattern: z.string().nullish(),
    /** Only alerts of devices no mapping covers (a triage queue); they meet no other rule. */
    unmapped: z.boolean().nullish(),
  })
  .strict();

export const ruleActionsBody = z
  .object({
    createTicket: z.boolean().default(true),
    priority: z.enum(PRIORITIES).nullish(),
    assignee: z.string().trim().max(200).nullish(),
    titleTemplate: z.string().max(500).nullish(),
    descriptionTemplate: z.string().max(10_000).nullish(),
    autoResolveTicket: z.boolean().default(false),
    resolveAlertOnTicketClose: z.boolean().default(false),
    /** Flap dampening: open the ticket only if the alert is still active this many minutes after it started. */
    holdMinutes: z.number().int().min(0).max(60).nullish(),
    /** A recurrence within this many minutes after the condition's last ticket closed reopens that ticket. */
    reopenWithinMinutes: z.number().int().min(0).max(10_080).nullish(),
  })
  .strict();

export const ruleBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    enabled: z.boolean().default(true),
    conditions: ruleConditionsBody.default({}),
    actions: ruleActionsBody,
  })
  .strict();

/** PUT replaces the rule. Read-only fields may be sent back as read and are ignored (the order changes through /reorder). */
export const replaceRuleBody = ruleBody
  .extend({
    id: z.string().optional(),
    position: z.number().optional(),
    createdAt: z.string().optional(),
    updatedAt: z.string().optional(),
  })
  .strict();

export const reorderRulesBody = z.object({ ids: z.array(z.string()).max(10_000) }).strict();

type RuleInput = z.infer<typeof ruleBody>;

export function alertRuleRoutes(deps: AppDeps, docs: OpenApiRegistry): Router {
  const base = '/alert-rules';
  const router = new Router({ prefix: base });
  const em = () => deps.orm.em;
  const ruleDoc = { description: 'The rule', schema: ruleResponse };
  docs.add({
    method: 'get',
    path: base,
    summary: 'List alert rules in evaluation order',
    query: pageQuery,
    responses: { 200: { description: 'A page of rules', schema: pageOfSchema(ruleResponse) }, 400: 'Invalid query' },
  });
  docs.add({
    method: 'post',
    path: base,
    summary: 'Create an alert rule (added last)',
    body: ruleBody,
    responses: { 201: ruleDoc, 400: 'Invalid input' },
  });
  docs.add({
    method: 'post',
    path: `${base}/reorder`,
    summary: 'Set the evaluation order (all rule ids, first evaluated first)',
    body: reorderRulesBody,
    responses: {
      200: { description: 'Every rule in the new order', schema: z.object({ items: z.array(ruleResponse) }) },
      400: 'Not exactly the rule ids',
    },
  });
  docs.add({
    method: 'get',
    path: `${base}/:id`,
    summary: 'An alert rule',
    responses: { 200: ruleDoc, 404: 'No such rule' },
  });
  docs.add({
    method: 'put',
    path: `${base}/:id`,
    summary: 'Replace an alert rule (keeps its position)',
    body: replaceRuleBody,
    responses: { 200: ruleDoc, 400: 'Invalid input', 404: 'No such rule' },
  });
  docs.add({
    method: 'delete',
    path: `${base}/:id`,
    summary: 'Delete an alert rule',
    responses: { 204: 'Deleted', 404: 'No such rule' },
  });

  router.get('/', async (ctx) => {
    // Evaluation order: position, ties by id (as sortRules orders them).
    const page = await findPage(
      em(),
      AlertRuleSchema,
      { tenantId: tenantOf(ctx) },
      { position: 'asc', id: 'asc' },
      parseInput(pageQuery.strict(), ctx.query, 'query'),
    );
    ctx.body = { items: page.items.map(ruleView), nextCursor: page.nextCursor };
  });

  router.post('/', async (ctx) => {
    const tenantId = tenantOf(ctx);
    const input = parseInput(ruleBody, ctx.request.body);
    await checkRule(em(), tenantId, input);
    const rule = await em().transactional(async (tx) => {
      const last = await tx.findOne(
        AlertRuleSchema,
        { tenantId },
        { orderBy: { position: 'desc' }, fields: ['position'] },
      );
      const now = new Date();
      return tx.create(AlertRuleSchema, {
        id: randomUUID(),
        tenantId,
        name: input.name,
        enabled: input.enabled,
        position: last ? last.position + 1 : 0,
        conditions: storedConditions(input.conditions),
        actions: storedActions(input.actions),
        createdAt: now,
        updatedAt: now,
      });
    });
    ctx.status = 201;
    ctx.body = ruleView(rule);
  });

  router.post('/reorder', async (ctx) => {
    const tenantId = tenantOf(ctx);
    const { ids } = parseInput(reorderRulesBody, ctx.request.body);
    const rules = await em().transactional(async (tx) => {
      const current = await tx.find(AlertRuleSchema, { tenantId });
      const byId = new Map(current.map((rule) => [rule.id, rule]));
      const distinct = new Set(ids);
      if (distinct.size !== ids.length || ids.length !== current.length || !ids.every((id) => byId.has(id))) {
        throw new ApiError(400, 'invalid_request', 'ids must list every alert rule exactly once', {
          fields: [{ field: 'ids', message: `List each of the ${current.length} rule ids exactly once` }],
        });
      }
      ids.forEach((id, position) => {
        const rule = byId.get(id)!;
        if (rule.position !== position) rule.position = position;
      });
      return sortRules(current);
    });
    ctx.body = { items: rules.map(ruleView) };
  });

  router.get('/:id', async (ctx) => {
    ctx.body = ruleView(await findRule(em(), tenantOf(ctx), ctx.params.id));
  });

  router.put('/:id', async (ctx) => {
    const tenantId = tenantOf(ctx);
    const rule = await findRule(em(), tenantId, ctx.params.id);
    const input = parseInput(replaceRuleBody, ctx.request.body);
    await checkRule(em(), tenantId, input);
    Object.assign(rule, {
      name: input.name,
      enabled: input.enabled,
      conditions: storedConditions(input.conditions),
      actions: storedActions(input.actions),
    });
    await em().flush();
    ctx.body = ruleView(rule);
  });

  router.delete('/:id', async (ctx) => {
    const tenantId = tenantOf(ctx);
    await em().transactional(async (tx) => {
      const rule = await findRule(tx, tenantId, ctx.params.id);
      tx.remove(rule);
      await tx.flush();
      // Keep positions dense (0..n-1) so they read as the evaluation order.
      sortRules(await tx.find(AlertRuleSchema, { tenantId })).forEach((remaining, position) => {
        if (remaining.position !== position) remaining.position = position;
      });
    });
    ctx.status = 204;
  });
  return router;
}

async function findRule(em: EntityManager, tenantId: string, id: string | undefined): Promise<AlertRuleRow> {
  const rule = id !== undefined && isUuid(id) ? await em.findOne(AlertRuleSchema, { id, tenantId }) : null;
  if (!rule) throw notFound('Alert rule');
  return rule;
}

/** Checks that need more than the schema: the pattern compiles, the clients are the tenant's. */
async function checkRule(em: EntityManager, tenantId: string, input: RuleInput): Promise<void> {
  const problems: FieldProblem[] = [];
  const { pattern, clientIds } = input.conditions;
  if (pattern) {
    const problem = validatePattern(pattern);
    if (problem) problems.push({ field: 'conditions.pattern', message: problem });
  }
  if (clientIds && clientIds.length > 0) {
    const wellFormed = clientIds.filter(isUuid);
    const known = new Set(
      wellFormed.length === 0
        ? []
        : (await em.find(ClientSchema, { tenantId, id: { $in: wellFormed } }, { fields: ['id'] })).map((c) => c.id),
    );
    const unknown = clientIds.filter((id) => !known.has(id));
    if (unknown.length > 0)
      problems.push({ field: 'conditions.clientIds', message: `Unknown client id(s): ${unknown.join(', ')}` });
  }
  if (problems.length > 0) {
    throw new ApiError(400, 'invalid_request', `Invalid body: ${problems.map((p) => p.field).join(', ')}`, {
      fields: problems,
    });
  }
}

/** The domain shape with absent (null, empty) options left out. */
function storedConditions(conditions: RuleInput['conditions']): RuleConditions {
  const stored: RuleConditions = {};
  if (conditions.severities?.length) stored.severities = [...new Set(conditions.severities)];
  if (conditions.clientIds?.length) stored.clientIds = [...new Set(conditions.clientIds)];
  if (conditions.levelGroupIds?.length) stored.levelGroupIds = [...new Set(conditions.levelGroupIds)];
  if (conditions.deviceRoles?.length) stored.deviceRoles = [...new Set(conditions.deviceRoles)];
  if (conditions.keywords?.length) stored.keywords = [...new Set(conditions.keywords)];
  if (conditions.pattern) stored.pattern = conditions.pattern;
  if (conditions.unmapped === true) stored.unmapped = true;
  return stored;
}

function storedActions(actions: RuleInput['actions']): RuleActions {
  const stored: RuleActions = {
    createTicket: actions.createTicket,
    autoResolveTicket: actions.autoResolveTicket,
    resolveAlertOnTicketClose: actions.resolveAlertOnTicketClose,
  };
  if (actions.priority) stored.priority = actions.priority;
  if (actions.assignee) stored.assignee = actions.assignee;
  if (actions.titleTemplate?.trim()) stored.titleTemplate = actions.titleTemplate;
  if (actions.descriptionTemplate?.trim()) stored.descriptionTemplate = actions.descriptionTemplate;
  // 0 (the default) is left out, like the other absent options.
  if (actions.holdMinutes) stored.holdMinutes = actions.holdMinutes;
  if (actions.reopenWithinMinutes) stored.reopenWithinMinutes = actions.reopenWithinMinutes;
  return stored;
}

export function ruleView(rule: AlertRuleRow) {
  return {
    id: rule.id,
    name: rule.name,
    enabled: rule.enabled,
    position: rule.position,
    conditions: rule.conditions,
    actions: rule.actions,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}
