// What PostgreSQL cannot store in text or jsonb: NUL, and UTF-16 surrogates without their other
// half. Ids that carry them are refused (cleaning would change what they name); text is cleaned.
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function hasUnstorable(value: string): boolean {
  UNSTORABLE.lastIndex = 0;
  return UNSTORABLE.test(value);
}

/** `text` without NUL characters and unpaired surrogates. */
export function storable(text: string): string {
  return text.replace(UNSTORABLE, '');
}
