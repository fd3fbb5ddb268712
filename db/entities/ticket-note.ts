import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt } from './columns';

export const NOTE_AUTHORS = ['system', 'human'] as const;
export type NoteAuthor = (typeof NOTE_AUTHORS)[number];

/** A note on a ticket: written by the service (occurrences, auto-resolve) or by a person. */
export const TicketNoteSchema = defineEntity({
  name: 'TicketNote',
  tableName: 'ticket_notes',
  indexes: [{ name: 'ticket_notes_ticket_id_created_at_index', properties: ['ticketId', 'createdAt'] }],
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid().index(),
    ticketId: p.uuid(),
    author: p.enum([...NOTE_AUTHORS]).columnType('text'),
    body: p.text(),
    ...createdAt(),
  }),
});

export type TicketNote = InferEntity<typeof TicketNoteSchema>;
