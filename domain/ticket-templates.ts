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

/** Longest ticket title (a PSA title column) and description; longer output is cut and marked. */
export const MAX_TITLE_LENGTH = 255;
export const MAX_DESCRIPTION_LENGTH = 64 * 1024;
export const TRUNCATION_MARK = '…';
export const DESCRIPTION_TRUNCATION_NOTE = '\n\n[truncated]';

/**
 * Replaces known placeholders; unknown ones stay as written and missing values become ''.
 * Substitution is a single pass, so a value that itself contains `{{...}}` (an alert description
 * is user-controlled) is inserted literally, never expanded.
 */
export function renderTemplate(template: string, values: TemplateValues): string {
  return renderBounded(template, values, Infinity).text;
}

/** Titles are one line: line breaks and runs of whitespace (e.g. from a description) collapse. */
export function renderTicketTitle(template: string | null | undefined, values: TemplateValues): string {
  // Rendered with room to spare, since collapsing whitespace can shorten it.
  const { text, truncated } = renderBounded(
    templateOrDefault(template, DEFAULT_TITLE_TEMPLATE),
    values,
    MAX_TITLE_LENGTH * 4,
  );
  return fitted(text.replace(/\s+/g, ' ').trim(), truncated, MAX_TITLE_LENGTH, TRUNCATION_MARK);
}

export function renderTicketDescription(template: string | null | undefined, values: TemplateValues): string {
  const { text, truncated } = renderBounded(
    templateOrDefault(template, DEFAULT_DESCRIPTION_TEMPLATE),
    values,
    MAX_DESCRIPTION_LENGTH,
  );
  return fitted(text.trim(), truncated, MAX_DESCRIPTION_LENGTH, DESCRIPTION_TRUNCATION_NOTE);
}

/**
 * Renders at most about `limit` characters: a template repeating `{{description}}` hundreds of
 * times over a large description would otherwise build hundreds of megabytes (on a worker heap
 * of 256 MB) before anything could cut it.
 */
function renderBounded(template: string, values: TemplateValues, limit: number): { text: string; truncated: boolean } {
  const parts: string[] = [];
  let length = 0;
  let from = 0;
  for (const match of template.matchAll(PLACEHOLDER_PATTERN)) {
    const name = match[1]!;
    const value = isPlaceholder(name) ? (values[name] ?? '') : match[0];
    parts.push(template.slice(from, match.index), value);
    length += match.index - from + value.length;
    from = match.index + match[0].length;
    if (length > limit) return { text: parts.join('').slice(0, limit), truncated: true };
  }
  parts.push(template.slice(from));
  const text = parts.join('');
  return text.length > limit ? { text: text.slice(0, limit), truncated: true } : { text, truncated: false };
}

/** `text` as it is when complete and short enough, else its start and `mark`, `max` characters in all. */
function fitted(text: string, truncated: boolean, max: number, mark: string): string {
  if (!truncated && text.length <= max) return text;
  return `${text.slice(0, max - mark.length).trimEnd()}${mark}`;
}

/** A blank template means "not customised": fall back to the default rather than an empty text. */
function templateOrDefault(template: string | null | undefined, fallback: string): string {
  return template === null || template === undefined || template.trim() === '' ? fallback : template;
}
