// The createdAt/updatedAt columns every entity takes from db/entities/columns.ts: pure, no database.
import assert from 'node:assert/strict';
import { types } from '@mikro-orm/core';
import { entities } from '../../db/entities';

describe('shared entity columns', () => {
  const timestamptzNow = { type: types.datetime, length: undefined, columnType: 'timestamptz', defaultRaw: 'now()' };
  const options = (name: 'createdAt' | 'updatedAt') =>
    entities.flatMap((schema) => {
      const properties: Record<string, unknown> = schema.meta.properties;
      const property = properties[name] as Record<string, unknown> | undefined;
      return property ? [{ entity: schema.meta.className, property }] : [];
    });

  it('createdAt is a timestamptz the database sets to now() on insert', () => {
    const created = options('createdAt');
    assert.ok(created.length > 0);
    for (const { entity, property } of created) {
      assert.deepEqual(property, timestamptzNow, entity);
    }
  });

  it('updatedAt is the same column, and the ORM sets it to the current time on every update', () => {
    const updated = options('updatedAt');
    assert.ok(updated.length > 0);
    for (const { entity, property } of updated) {
      const { onUpdate, ...rest } = property;
      assert.deepEqual(rest, timestamptzNow, entity);
      assert.equal(typeof onUpdate, 'function', entity);
      const before = Date.now();
      const value = (onUpdate as () => unknown)();
      assert.ok(value instanceof Date && value.getTime() >= before, entity);
    }
  });

  it('no two entities share one property object (the ORM completes each when it discovers its entity)', () => {
    const all = [...options('createdAt'), ...options('updatedAt')].map(({ property }) => property);
    assert.equal(new Set(all).size, all.length);
  });
});
