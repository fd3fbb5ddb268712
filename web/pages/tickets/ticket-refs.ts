// Tickets named by id elsewhere (an alert's ticket, a ticket's storm parent) shown by number and
// kind: "storm ticket #12". A ticket's number and kind never change, so what is learnt is kept
// for the session. Ids not known yet come from the newest tickets (one call) and then one call
// each for at most MAX_SINGLE older ones, the ids named most often first (a storm ticket, which
// many alerts name, before a ticket of one alert).
import { useEffect, useState } from 'preact/hooks';
import { get } from '../../api/client';
import { fetchPage } from '../../api/lists';
import type { Ticket } from '../../api/types';

export interface TicketRef {
  id: string;
  number: number;
  kind: 'alert' | 'storm';
}

const known = new Map<string, TicketRef>();
const MAX_SINGLE = 20;

export function rememberTickets(tickets: readonly Ticket[]): void {
  for (const t of tickets) known.set(t.id, { id: t.id, number: t.number, kind: t.kind ?? 'alert' });
}

/** Looks the ids up (re-rendering once they are known); unknown ids answer undefined. */
export function useTicketRefs(
  ids: ReadonlyArray<string | null | undefined>,
): (id: string | null | undefined) => TicketRef | undefined {
  const counts = new Map<string, number>();
  for (const id of ids) if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  const wanted = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : 1));
  const key = wanted.join(',');
  const [, setLearnt] = useState(0);
  useEffect(() => {
    const missing = () => wanted.filter((id) => !known.has(id));
    if (missing().length === 0) return;
    let live = true;
    void (async () => {
      if (missing().length > 3)
        rememberTickets((await fetchPage<Ticket>('/api/v1/tickets?limit=200').catch(() => ({ items: [] }))).items);
      const rest = missing().slice(0, MAX_SINGLE);
      const found = await Promise.all(
        rest.map((id) => get<Ticket>(`/api/v1/tickets/${encodeURIComponent(id)}`).catch(() => null)),
      );
      rememberTickets(found.filter((t): t is Ticket => t !== null));
      if (live) setLearnt((n) => n + 1);
    })();
    return () => {
      live = false;
    };
  }, [key]);
  return (id) => (id ? known.get(id) : undefined);
}
