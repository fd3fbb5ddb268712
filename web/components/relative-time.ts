// A time shown relative to now ("3 minutes ago"), exact on hover and for assistive technology.
import { html } from 'htm/preact';
import { useClock } from '../hooks/use-clock';

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const exact = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') return relative.format(Math.round(seconds / size), unit);
  }
  return iso;
}

export function RelativeTime({ iso }: { iso: string | null | undefined }) {
  const now = useClock();
  if (!iso) return html`<span>never</span>`;
  return html`<time datetime=${iso} title=${exact.format(new Date(iso))}>${relativeTime(iso, now)}</time>`;
}

export function ExactTime({ iso }: { iso: string | null | undefined }) {
  if (!iso) return html`<span>—</span>`;
  return html`<time datetime=${iso}>${exact.format(new Date(iso))}</time>`;
}
