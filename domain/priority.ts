// Alert severities (as Level reports them) and ticket priorities (as the PSA stores them), and
// the default mapping between the two.

export const SEVERITIES = ['information', 'warning', 'critical', 'emergency'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const PRIORITIES = ['urgent', 'high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

const PRIORITY_BY_SEVERITY: Readonly<Record<Severity, Priority>> = {
  emergency: 'urgent',
  critical: 'high',
  warning: 'medium',
  information: 'low',
};

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

export function isPriority(value: unknown): value is Priority {
  return typeof value === 'string' && (PRIORITIES as readonly string[]).includes(value);
}

/** The priority a severity maps to when a rule does not set one. */
export function priorityForSeverity(severity: Severity): Priority {
  return PRIORITY_BY_SEVERITY[severity];
}

/** A rule's explicit priority wins; otherwise the severity decides. */
export function priorityFor(actions: { readonly priority?: Priority | null }, severity: Severity): Priority {
  return actions.priority ?? priorityForSeverity(severity);
}
