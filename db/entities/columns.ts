// Columns several entities share, written once. Each helper returns fresh property builders (the
// ORM fills in a property's options when it discovers its entity, so no two entities may share
// one builder), to be spread into an entity's `properties`: `...timestamps()`.
import { p } from '@mikro-orm/core';

/** A `timestamptz` column. */
const timestamptz = () => p.datetime().columnType('timestamptz');

/** When the row was written: the database's `now()` on insert. */
export const createdAt = () => ({
  createdAt: timestamptz().defaultRaw('now()'),
});

/** When the row last changed: the database's `now()` on insert, the ORM's clock on every update it flushes. */
export const updatedAt = () => ({
  updatedAt: timestamptz()
    .defaultRaw('now()')
    .onUpdate(() => new Date()),
});

/** `createdAt` and `updatedAt`, in that order. */
export const timestamps = () => ({ ...createdAt(), ...updatedAt() });
