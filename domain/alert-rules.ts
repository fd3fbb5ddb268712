// Alert rules: an ordered list, first enabled match wins. A rule decides whether an alert becomes
// a ticket and how that ticket looks; the routing itself lives in the alert lifecycle.

import type { Priority, Severity } from './priority';
import { patternFinds } from './rule-pattern';

export type { Priority, Severity } from './priority';
export { priorityFor } from './priority';

export interface RuleConditions {
  severities?: Severity[];
  clientIds?: string[];
  levelGroupIds?: string[];
  deviceRoles?: string[];
  keywords?: string[];
  pattern?: string;
  /**
   * True: the rule is for alerts of devices no mapping covers (a triage queue), and only for
   * them. Without it a rule never sees such alerts, so by default they open no ticket.
   */
  unmapped?: boolean;
}

export interface RuleActions {
  createTicket: boolean;
  priority?: Priority;
  assignee?: string;
  titleTemplate?: string;
  descriptionTemplate?: string;
  autoResolveTicket: boolean;
  resolveAlertOnTicketClose: boolean;
  /**
   * Flap dampening (0–60, absent: 0): a ticket opens only if the alert is still active this many
   * minutes after it started; an alert resolved sooner ends `dampened`, without a ticket.
   */
  holdMinutes?: number;
  /**
   * Reopen window (0–10080, absent: 0): a recurrence of the device's condition within this many
   * minutes after its last ticket closed reopens that ticket instead of opening another.
   */
  reopenWithinMinutes?: number;
}

export interface AlertRule {
  id: string;
  name: string;
  enabled: boolean;
  position: number;
  conditions: RuleConditions;
  actions: RuleActions;
}

export interface AlertFacts {
  severity: Severity;
  clientId: string | null;
  levelGroupId: string | null;
  /** The device's group and all its ancestors. */
  groupAncestry: readonly string[];
  /** Level's role: `workstation`, `server`, `domain_controller`. */
  deviceRole: string | null;
  name: string;
  description: string | null;
  /** No mapping covers the device (it has no asset): only `unmapped` rules apply. */
  unmapped: boolean;
}

export type NewAlertRule = Omit<AlertRule, 'id' | 'position'>;

/** The editable rule every new integration starts with, so a first test alert opens a ticket. */
export const defaultCatchAllRule: Readonly<NewAlertRule> = Object.freeze({
  name: 'Create tickets for all alerts',
  enabled: true,
  conditions: Object.freeze({}),
  actions: Object.freeze({ createTicket: true, autoResolveTicket: true, resolveAlertOnTicketClose: false }),
});

/** Rules by ascending position, ties by id, so evaluation order never depends on load order. */
export function sortRules<T extends Pick<AlertRule, 'id' | 'position'>>(rules: readonly T[]): T[] {
  return [...rules].sort((a, b) => a.position - b.position || compareIds(a.id, b.id));
}

function compareIds(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/** The first enabled rule (in order) whose conditions all hold, or null: record without ticket. */
export function findMatchingRule(rules: readonly AlertRule[], facts: AlertFacts): AlertRule | null {
  return sortRules(rules).find((rule) => rule.enabled && ruleMatches(rule.conditions, facts)) ?? null;
}

/** True when every present condition holds; absent or empty conditions do not constrain. */
export function ruleMatches(conditions: RuleConditions, facts: AlertFacts): boolean {
  return CONDITION_CHECKS.every((check) => check(conditions, facts));
}

/** A rule with no effective condition matches every alert. */
export function isCatchAll(conditions: RuleConditions): boolean {
  return (
    listed(conditions.severities) === null &&
    listed(conditions.clientIds) === null &&
    listed(conditions.levelGroupIds) === null &&
    listed(conditions.deviceRoles) === null &&
    meaningfulKeywords(conditions.keywords).length === 0 &&
    !hasPattern(conditions.pattern) &&
    conditions.unmapped !== true
  );
}

// --- conditions ------------------------------------------------------------------------------

type ConditionCheck = (conditions: RuleConditions, facts: AlertFacts) => boolean;

const CONDITION_CHECKS: readonly ConditionCheck[] = [
  unmappedMatches,
  severityMatches,
  clientMatches,
  groupMatches,
  deviceRoleMatches,
  keywordMatches,
  patternMatches,
];

/** Unmapped alerts meet only rules written for them; those rules meet nothing else. */
function unmappedMatches({ unmapped }: RuleConditions, facts: AlertFacts): boolean {
  return (unmapped === true) === facts.unmapped;
}

function severityMatches({ severities }: RuleConditions, facts: AlertFacts): boolean {
  const wanted = listed(severities);
  return wanted === null || wanted.includes(facts.severity);
}

function clientMatches({ clientIds }: RuleConditions, facts: AlertFacts): boolean {
  const wanted = listed(clientIds);
  return wanted === null || (facts.clientId !== null && wanted.includes(facts.clientId));
}

/** Listing a group covers its subgroups: the device's ancestry includes every enclosing group. */
function groupMatches({ levelGroupIds }: RuleConditions, facts: AlertFacts): boolean {
  const wanted = listed(levelGroupIds);
  if (wanted === null) return true;
  const deviceGroups = new Set(facts.groupAncestry);
  if (facts.levelGroupId !== null) deviceGroups.add(facts.levelGroupId);
  return wanted.some((id) => deviceGroups.has(id));
}

function deviceRoleMatches({ deviceRoles }: RuleConditions, facts: AlertFacts): boolean {
  const wanted = listed(deviceRoles);
  if (wanted === null) return true;
  const role = facts.deviceRole?.toLowerCase();
  return role !== undefined && wanted.some((wanted) => wanted.toLowerCase() === role);
}

function keywordMatches({ keywords }: RuleConditions, facts: AlertFacts): boolean {
  const wanted = meaningfulKeywords(keywords);
  if (wanted.length === 0) return true;
  const haystacks = alertTexts(facts).map((text) => text.toLowerCase());
  return wanted.some((keyword) => haystacks.some((text) => text.includes(keyword)));
}

/** Linear-time (RE2); an invalid stored pattern matches nothing, so its rule is skipped. */
function patternMatches({ pattern }: RuleConditions, facts: AlertFacts): boolean {
  if (!hasPattern(pattern)) return true;
  return alertTexts(facts).some((text) => patternFinds(pattern, text));
}

// --- helpers ---------------------------------------------------------------------------------

/** The listed values of a condition, or null when the condition is absent (missing or empty). */
function listed<T>(values: readonly T[] | undefined): readonly T[] | null {
  return values === undefined || values.length === 0 ? null : values;
}

/** Blank keywords would match everything as substrings, so they are ignored. */
function meaningfulKeywords(keywords: readonly string[] | undefined): string[] {
  return (keywords ?? []).map((keyword) => keyword.trim().toLowerCase()).filter((keyword) => keyword !== '');
}

function hasPattern(pattern: string | undefined): pattern is string {
  return pattern !== undefined && pattern !== '';
}

function alertTexts(facts: AlertFacts): string[] {
  return facts.description === null ? [facts.name] : [facts.name, facts.description];
}
