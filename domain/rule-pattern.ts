// A rule's regular expression, evaluated by RE2 (the pure-JS `re2js` port): matching time grows
// linearly with the text, whatever the pattern. V8's backtracking engine takes exponential time
// on patterns such as `(a+)+$`, and routing runs on a worker thread that every tenant shares, so
// one tenant's pattern must never be able to freeze it. RE2 has no lookaround or backreferences;
// such patterns are refused when a rule is saved.
import { RE2JS } from 're2js';

export const MAX_PATTERN_LENGTH = 500;

/** Only this much of each alert text is matched: bounds the work per alert whatever its size. */
export const PATTERN_MATCH_WINDOW = 4096;

const COMPILED_CACHE_SIZE = 256;
const compiled = new Map<string, RE2JS | null>();

/** A human-readable problem with a rule's regular expression, or null when it is usable. */
export function validatePattern(pattern: string): string | null {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `Pattern is too long (${pattern.length} characters, at most ${MAX_PATTERN_LENGTH})`;
  }
  try {
    RE2JS.compile(pattern);
    return null;
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/^error parsing regexp: /, '');
    return `Pattern is not a valid regular expression: ${reason} (RE2 syntax: no lookaround or backreferences)`;
  }
}

/** Case-insensitive search within the first PATTERN_MATCH_WINDOW characters of `text`. */
export function patternFinds(pattern: string, text: string): boolean {
  const regex = compileCached(pattern);
  return regex !== null && regex.matcher(text.slice(0, PATTERN_MATCH_WINDOW)).find();
}

/**
 * Compiled patterns are kept (a few hundred at most, oldest dropped first): routing evaluates the
 * same rules for every alert. A stored pattern RE2 cannot compile (saved before RE2 was used)
 * is null and matches nothing, so its rule is skipped rather than failing routing.
 */
function compileCached(pattern: string): RE2JS | null {
  const known = compiled.get(pattern);
  if (known !== undefined) return known;
  const regex = validatePattern(pattern) === null ? RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE) : null;
  if (compiled.size >= COMPILED_CACHE_SIZE) compiled.delete(compiled.keys().next().value!);
  compiled.set(pattern, regex);
  return regex;
}
