// Tickets opened from Level alerts: list, read with notes, and the person's side of the
// lifecycle (status changes and notes). Tickets are created by the alert lifecycle through
// db/ticket-store.ts, never through this API.
import Router from '@koa/router';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { TICKET_KINDS, TICKET_STATUSES, TicketSchema, type Ticket, type TicketNote } from '../../db/entities';
import { addNote, findTicket, isUuid, listNotes } from '../../db/ticket-store';
import { countTicket } from '../../metrics/alert-metrics';
import type { RouteDeps } from '../deps';
import { conflict, notFound } from '../errors';
import { tenantOf } from '../middleware/auth';
import { findPage, pageQuery } from '../pagination';
import type { OpenApiRegistry } from '../openapi';
import { pageOfSchema, ticketResponse } from '../schemas';
import { parseInput } from '../validation';

export type { OnTicketClosed } from '../deps';

export const listTicketsQuery = pageQuery
  .extend({
    status: z.enum(TICKET_STATUSES).optional(),
    clientId: z.string().refine(isUuid, 'clientId must be a UUID').optional(),
    /** `storm`: the storm tickets; `alert`: the others. */
    kind: z.enum(TICKET_KINDS).optional(),
    /** The tickets grouped into this storm ticket. */
    parentTicketId: z.string().refine(isUuid, 'parentTicketId must be a UUID').optional(),
  })
  .strict();

export const patchTicketBody = z
  .object({
    status: z.enum(TICKET_STATUSES).optional(),
    note: z.string().trim().min(1).max(20_000).optional(),
  })
  .strict()
  .refine((body) => body.status !== undefined || body.note !== undefined, { message: 'Give a status, a note or both' });

export function ticketRoutes(deps: RouteDeps, docs: OpenApiRegistry): Router {
  const base = '/tickets';
  const router = new Router({ prefix: base });
  const em = () => deps.orm.em;
  docs.add({
    method: 'get',
    path: base,
    summary: 'List tickets, newest first',
    query: listTicketsQuery,
    responses: {
      200: { description: 'A page of tickets (without notes)', schema: pageOfSchema(ticketResponse) },
      400: 'Invalid query',
    },
  });
  docs.add({
    method: 'get',
    path: `${base}/:id`,
    summary: 'A ticket with its notes',
    responses: { 200: { description: 'The ticket', schema: ticketResponse }, 404: 'No such ticket' },
  });
  docs.add({
    method: 'patch',
    path: `${base}/:id`,
    summary: 'Change the status and/or add a note (as a person)',
    body: patchTicketBody,
    responses: {
      200: { description: 'The ticket with its notes', schema: ticketResponse },
      400: 'Invalid input',
      404: 'No such ticket',
      409: 'Reopening conflicts with another open ticket for the same condition',
    },
  });

  router.get('/', async (ctx) => {
    const { status, clientId, kind, parentTicketId, ...pageRequest } = parseInput(listTicketsQuery, ctx.query, 'query');
    const where = {
      tenantId: tenantOf(ctx),
      ...(status ? { status } : {}),
      ...(clientId ? { clientId } : {}),
      ...(kind ? { kind } : {}),
      ...(parentTicketId ? { parentTicketId } : {}),
    };
    const page = await findPage(em(), TicketSchema, where, { number: 'desc', id: 'desc' }, pageRequest);
    ctx.body = { items: page.items.map((ticket) => ticketView(ticket)), nextCursor: page.nextCursor };
  });

  router.get('/:id', async (ctx) => {
    const ticket = await requireTicket(em(), tenantOf(ctx), ctx.params.id);
    ctx.body = ticketView(ticket, await listNotes(em(), ticket.id));
  });

  router.patch('/:id', async (ctx) => {
    const tenantId = tenantOf(ctx);
    const ticketId = (await requireTicket(em(), tenantId, ctx.params.id)).id;
    const input = parseInput(patchTicketBody, ctx.request.body);
    let closedNow = false;
    const ticket = await em()
      .transactional(async (tx) => {
        // Locked so that a concurrent system close or occurrence sees the person's change.
        const locked = await tx.findOneOrFail(
          TicketSchema,
          { id: ticketId, tenantId },
          { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
        );
        if (input.status !== undefined && input.status !== locked.status) {
          closedNow = input.status === 'closed';
          const now = new Date();
          Object.assign(locked, {
            status: input.status,
            closedAt: input.status === 'closed' ? now : null,
            touchedByHuman: true,
            updatedAt: now,
          });
          await tx.flush();
        }
        if (input.note !== undefined) await addNote(tx, locked.id, 'human', input.note);
        return locked;
      })
      .catch((error: unknown) => {
        if (error instanceof UniqueConstraintViolationException) {
          throw conflict('Another ticket for this device and alert condition is open; it cannot be reopened');
        }
        throw error;
      });
    if (closedNow) countTicket('closed');
    if (input.status === 'closed' && deps.onTicketClosed) await deps.onTicketClosed(ticket);
    ctx.body = ticketView(ticket, await listNotes(em(), ticket.id));
  });
  return router;
}

async function requireTicket(em: EntityManager, tenantId: string, id: string | undefined): Promise<Ticket> {
  const ticket = id !== undefined && isUuid(id) ? await findTicket(em, tenantId, id) : null;
  if (!ticket) throw notFound('Ticket');
  return ticket;
}

export function ticketView(ticket: Ticket, notes?: TicketNote[]) {
  return {
    id: ticket.id,
    number: ticket.number,
    title: ticket.title,
    description: ticket.description,
    priority: ticket.priority,
    status: ticket.status,
    clientId: ticket.clientId ?? null,
    assetId: ticket.assetId ?? null,
    levelDeviceId: ticket.levelDeviceId,
    alertIds: ticket.alertIds,
    occurrences: ticket.occurrences,
    assignee: ticket.assignee ?? null,
    ruleId: ticket.ruleId ?? null,
    touchedByHuman: ticket.touchedByHuman,
    kind: ticket.kind,
    parentTicketId: ticket.parentTicketId ?? null,
    // A storm parent's alert ids are the storm's alerts.
    ...(ticket.kind === 'storm' ? { childAlertIds: ticket.alertIds } : {}),
    createdAt: ticket.createdAt.toISOString(),
    updatedAt: ticket.updatedAt.toISOString(),
    closedAt: ticket.closedAt?.toISOString() ?? null,
    ...(notes ? { notes: notes.map(noteView) } : {}),
  };
}

export function noteView(note: TicketNote) {
  return { id: note.id, author: note.author, body: note.body, createdAt: note.createdAt.toISOString() };
}
