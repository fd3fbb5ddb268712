// Ticket title/description templates with `{{placeholder}}` substitution.

export const PLACEHOLDERS = ['device', 'alert', 'severity', 'client', 'description'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export type TemplateValues = Partial<Record<Placeholder, string | null | undefined>>;

export const DEFAULT_TITLE_TEMPLATE = '[{{severity}}] {{alert}} on {{device}}';

export const DEFAULT_DESCRIPTION_TEMPLATE = [
  'Level alert: {{alert}}',
  'Severity: {{severity}}',
  'Device: {{device}}',
  'Client: {{client}}',
  '',
  '{{description}}',
].join('\n');

// `{{ name }}` with optional whitespace; the name is matched loosely so unknown names are seen
// (and left alone) rather than half-matched.
const PLACEHOLDER_PATTERN = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

function isPlaceholder(name: string): name is Placeholder {
  return (PLACEHOLDERS as readonly string[]).includes(name);
}

/**
 * Replaces known placeholders; unknown ones stay as written and missing values become ''.
 * Substitution is a single pass, so a value that itself contains `{{...}}` (an alert description
 * is user-controlled) is inserted literally, never expanded.
 */
export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER_PATTERN, (whole, name: string) =>
    isPlaceholder(name) ? (values[name] ?? '') : whole,
  );
}

/** Titles are one line: line breaks and runs of whitespace (e.g. from a description) collapse. */
export function renderTicketTitle(template: string | null | undefined, values: TemplateValues): string {
  return renderTemplate(templateOrDefault(template, DEFAULT_TITLE_TEMPLATE), values).replace(/\s+/g, ' ').trim();
}

export function renderTicketDescription(template: string | null | undefined, values: TemplateValues): string {
  return renderTemplate(templateOrDefault(template, DEFAULT_DESCRIPTION_TEMPLATE), values).trim();
}

/** A blank template means "not customised": fall back to the default rather than an empty text. */
function templateOrDefault(template: string | null | undefined, fallback: string): string {
  return template === null || template === undefined || template.trim() === '' ? fallback : template;
}
