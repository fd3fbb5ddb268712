import assert from 'node:assert/strict';
import {
  effectiveClientForDevice,
  effectiveClientIndex,
  resolveGroupTree,
  syncRoots,
  type GroupNode,
  type ResolvedGroup,
} from '../../domain/group-tree';

function group(levelGroupId: string, parentId: string | null, extra: Partial<GroupNode> = {}): GroupNode {
  return { levelGroupId, parentId, name: extra.name ?? levelGroupId, mappedClientId: null, removed: false, ...extra };
}

function byId(resolved: readonly ResolvedGroup[]): Map<string, ResolvedGroup> {
  return new Map(resolved.map((g) => [g.levelGroupId, g]));
}

function get(resolved: readonly ResolvedGroup[], id: string): ResolvedGroup {
  const found = byId(resolved).get(id);
  assert.ok(found, `group ${id} missing from output`);
  return found;
}

function effective(resolved: readonly ResolvedGroup[], id: string): [string | null, string | null] {
  const g = get(resolved, id);
  return [g.effectiveClientId, g.inheritedFromGroupId];
}

/** g1 → g2 → … → g{depth}, each named L{n}. */
function chain(depth: number, mapped: Record<string, string> = {}): GroupNode[] {
  return Array.from({ length: depth }, (_, i) =>
    group(`g${i + 1}`, i === 0 ? null : `g${i}`, { name: `L${i + 1}`, mappedClientId: mapped[`g${i + 1}`] ?? null }),
  );
}

describe('domain/group-tree', () => {
  describe('resolveGroupTree: paths, depth, order', () => {
    it('returns an empty list for no groups', () => {
      assert.deepEqual(resolveGroupTree([]), []);
    });

    it('builds full paths and depths from the root', () => {
      const resolved = resolveGroupTree([
        group('3', '2', { name: 'Servers' }),
        group('1', null, { name: 'Acme Corp' }),
        group('2', '1', { name: 'Branch Office' }),
      ]);
      assert.deepEqual(
        resolved.map((g) => [g.levelGroupId, g.path, g.depth]),
        [
          ['1', 'Acme Corp', 0],
          ['2', 'Acme Corp / Branch Office', 1],
          ['3', 'Acme Corp / Branch Office / Servers', 2],
        ],
      );
    });

    it('lists parents before children, depth-first, siblings by name case-insensitively then id', () => {
      const resolved = resolveGroupTree([
        group('b', null, { name: 'beta' }),
        group('a', null, { name: 'Alpha' }),
        group('a2', 'a', { name: 'zeta' }),
        group('a1', 'a', { name: 'Gamma' }),
        group('a1x', 'a1', { name: 'child' }),
        group('b2', 'b', { name: 'same' }),
        group('b1', 'b', { name: 'SAME' }),
      ]);
      assert.deepEqual(
        resolved.map((g) => g.levelGroupId),
        ['a', 'a1', 'a1x', 'a2', 'b', 'b1', 'b2'],
      );
    });

    it('is independent of input order', () => {
      const groups = [...chain(6), group('x', 'g2'), group('y', 'g4', { mappedClientId: 'c' })];
      const forward = resolveGroupTree(groups);
      const backward = resolveGroupTree([...groups].reverse());
      assert.deepEqual(backward, forward);
    });

    it('keeps the input fields on each row', () => {
      const [only] = resolveGroupTree([group('1', null, { name: 'Acme', mappedClientId: 'c1', removed: false })]);
      assert.deepEqual(only, {
        levelGroupId: '1',
        parentId: null,
        name: 'Acme',
        mappedClientId: 'c1',
        removed: false,
        path: 'Acme',
        depth: 0,
        effectiveClientId: 'c1',
        inheritedFromGroupId: null,
      });
    });

    it('does not mutate its input', () => {
      const groups = chain(3, { g1: 'c1' });
      const snapshot = structuredClone(groups);
      resolveGroupTree(groups);
      assert.deepEqual(groups, snapshot);
    });
  });

  describe('resolveGroupTree: effective client', () => {
    it('inherits a root mapping down a 7-level chain', () => {
      const resolved = resolveGroupTree(chain(7, { g1: 'acme' }));
      assert.deepEqual(effective(resolved, 'g1'), ['acme', null]);
      for (let i = 2; i <= 7; i++) assert.deepEqual(effective(resolved, `g${i}`), ['acme', 'g1']);
      assert.equal(get(resolved, 'g7').path, 'L1 / L2 / L3 / L4 / L5 / L6 / L7');
      assert.equal(get(resolved, 'g7').depth, 6);
    });

    it('lets a deeper mapping win for its own subtree only', () => {
      const resolved = resolveGroupTree(chain(7, { g1: 'acme', g4: 'branch' }));
      assert.deepEqual(effective(resolved, 'g2'), ['acme', 'g1']);
      assert.deepEqual(effective(resolved, 'g3'), ['acme', 'g1']);
      assert.deepEqual(effective(resolved, 'g4'), ['branch', null]);
      assert.deepEqual(effective(resolved, 'g5'), ['branch', 'g4']);
      assert.deepEqual(effective(resolved, 'g7'), ['branch', 'g4']);
    });

    it('remapping a middle node changes only that subtree', () => {
      const before = resolveGroupTree(chain(6, { g1: 'acme' }));
      const after = resolveGroupTree(chain(6, { g1: 'acme', g3: 'other' }));
      assert.deepEqual(effective(before, 'g5'), ['acme', 'g1']);
      assert.deepEqual(effective(after, 'g2'), ['acme', 'g1']);
      assert.deepEqual(effective(after, 'g3'), ['other', null]);
      assert.deepEqual(effective(after, 'g5'), ['other', 'g3']);
    });

    it('leaves groups without a mapped ancestor unmapped, and sibling branches independent', () => {
      const resolved = resolveGroupTree([
        group('root', null),
        group('mapped', 'root', { mappedClientId: 'c1' }),
        group('mapped-kid', 'mapped'),
        group('sibling', 'root'),
        group('sibling-kid', 'sibling'),
      ]);
      assert.deepEqual(effective(resolved, 'root'), [null, null]);
      assert.deepEqual(effective(resolved, 'mapped-kid'), ['c1', 'mapped']);
      assert.deepEqual(effective(resolved, 'sibling'), [null, null]);
      assert.deepEqual(effective(resolved, 'sibling-kid'), [null, null]);
    });

    it('treats an empty-string mapping as no mapping', () => {
      const resolved = resolveGroupTree([
        group('1', null, { mappedClientId: 'c1' }),
        group('2', '1', { mappedClientId: '' }),
      ]);
      assert.deepEqual(effective(resolved, '2'), ['c1', '1']);
    });
  });

  describe('resolveGroupTree: removed groups', () => {
    it('keeps the mapping of a removed group visible but inactive', () => {
      const [only] = resolveGroupTree([group('1', null, { mappedClientId: 'c1', removed: true })]);
      assert.equal(only?.mappedClientId, 'c1');
      assert.equal(only?.effectiveClientId, null);
      assert.equal(only?.inheritedFromGroupId, null);
    });

    it('lets descendants pass through a removed mapped group to a higher mapping', () => {
      const resolved = resolveGroupTree([
        group('top', null, { mappedClientId: 'top-client' }),
        group('gone', 'top', { mappedClientId: 'gone-client', removed: true }),
        group('kid', 'gone'),
        group('grandkid', 'kid'),
      ]);
      assert.deepEqual(effective(resolved, 'gone'), [null, null]);
      assert.deepEqual(effective(resolved, 'kid'), ['top-client', 'top']);
      assert.deepEqual(effective(resolved, 'grandkid'), ['top-client', 'top']);
    });

    it('leaves descendants unmapped when the only mapping above is removed', () => {
      const resolved = resolveGroupTree([
        group('gone', null, { mappedClientId: 'c', removed: true }),
        group('kid', 'gone'),
      ]);
      assert.deepEqual(effective(resolved, 'kid'), [null, null]);
    });

    it('still applies an active mapping below a removed group', () => {
      const resolved = resolveGroupTree([
        group('gone', null, { mappedClientId: 'c', removed: true }),
        group('kid', 'gone', { mappedClientId: 'k' }),
        group('grandkid', 'kid'),
      ]);
      assert.deepEqual(effective(resolved, 'grandkid'), ['k', 'kid']);
    });

    it('gives a removed unmapped group no client even under a mapped ancestor', () => {
      const resolved = resolveGroupTree([
        group('top', null, { mappedClientId: 'c' }),
        group('gone', 'top', { removed: true }),
      ]);
      assert.deepEqual(effective(resolved, 'gone'), [null, null]);
    });
  });

  describe('resolveGroupTree: bad data', () => {
    it('treats a group whose parent is unknown as a root', () => {
      const resolved = resolveGroupTree([group('orphan', 'nowhere', { mappedClientId: 'c' }), group('kid', 'orphan')]);
      assert.equal(get(resolved, 'orphan').depth, 0);
      assert.equal(get(resolved, 'orphan').path, 'orphan');
      assert.equal(get(resolved, 'orphan').parentId, 'nowhere', 'stored parent is kept as given');
      assert.deepEqual(effective(resolved, 'kid'), ['c', 'orphan']);
    });

    it('treats a self-parented group as a root', () => {
      const resolved = resolveGroupTree([group('self', 'self')]);
      assert.equal(resolved.length, 1);
      assert.equal(get(resolved, 'self').depth, 0);
    });

    it('cuts a cycle at its smallest id', () => {
      const resolved = resolveGroupTree([
        group('c', 'b', { mappedClientId: 'client-c' }),
        group('a', 'c'),
        group('b', 'a'),
        group('tail', 'b'),
      ]);
      assert.deepEqual(
        resolved.map((g) => [g.levelGroupId, g.depth]),
        [
          ['a', 0],
          ['b', 1],
          ['c', 2],
          ['tail', 2],
        ],
      );
      assert.equal(get(resolved, 'c').path, 'a / b / c');
      assert.deepEqual(effective(resolved, 'c'), ['client-c', null]);
      assert.deepEqual(effective(resolved, 'a'), [null, null]);
    });

    it('cuts a cycle reached through a tail, and several cycles independently', () => {
      const resolved = resolveGroupTree([
        group('x2', 'x1'),
        group('x1', 'x2'),
        group('entry', 'x2'),
        group('y3', 'y1'),
        group('y1', 'y2'),
        group('y2', 'y3'),
      ]);
      assert.equal(resolved.length, 6);
      assert.equal(get(resolved, 'x1').depth, 0);
      assert.equal(get(resolved, 'x2').depth, 1);
      assert.equal(get(resolved, 'entry').depth, 2);
      assert.equal(get(resolved, 'y1').depth, 0);
      assert.equal(get(resolved, 'y2').path, 'y1 / y3 / y2');
    });

    it('keeps the last of duplicate ids', () => {
      const resolved = resolveGroupTree([
        group('1', null, { name: 'Old', mappedClientId: 'old' }),
        group('2', '1'),
        group('1', null, { name: 'New', mappedClientId: 'new' }),
      ]);
      assert.equal(resolved.length, 2);
      assert.equal(get(resolved, '1').name, 'New');
      assert.equal(get(resolved, '2').path, 'New / 2');
      assert.deepEqual(effective(resolved, '2'), ['new', '1']);
    });

    it('handles a 5,000-deep chain without recursion limits', () => {
      const resolved = resolveGroupTree(chain(5000, { g1: 'c' }));
      assert.equal(resolved.length, 5000);
      assert.equal(resolved[4999]?.depth, 4999);
      assert.deepEqual(effective(resolved, 'g5000'), ['c', 'g1']);
    });

    it('handles a 5,000-member cycle', () => {
      const groups = chain(5000);
      groups[0] = group('g1', 'g5000', { name: 'L1' });
      const resolved = resolveGroupTree(groups);
      assert.equal(resolved.length, 5000);
      assert.equal(resolved[0]?.levelGroupId, 'g1');
    });
  });

  describe('resolveGroupTree: scale', () => {
    it('resolves a wide 5,000-group tree', () => {
      // 10 roots, 100 children, 1,000 grandchildren, 4,000 leaves (5,110 groups); mappings at two depths.
      const groups: GroupNode[] = [];
      for (let r = 0; r < 10; r++) {
        groups.push(group(`r${r}`, null, { mappedClientId: r % 2 === 0 ? `client-${r}` : null }));
        for (let c = 0; c < 10; c++) {
          groups.push(group(`r${r}c${c}`, `r${r}`, { mappedClientId: c === 3 ? `sub-${r}` : null }));
          for (let g = 0; g < 10; g++) {
            groups.push(group(`r${r}c${c}g${g}`, `r${r}c${c}`));
            for (let l = 0; l < 4; l++) groups.push(group(`r${r}c${c}g${g}l${l}`, `r${r}c${c}g${g}`));
          }
        }
      }
      assert.equal(groups.length, 5110);
      const resolved = resolveGroupTree(groups);
      assert.equal(resolved.length, groups.length);
      assert.deepEqual(effective(resolved, 'r0c0g0l0'), ['client-0', 'r0']);
      assert.deepEqual(effective(resolved, 'r0c3g0l0'), ['sub-0', 'r0c3']);
      assert.deepEqual(effective(resolved, 'r1c0g0l0'), [null, null]);
      assert.deepEqual(effective(resolved, 'r1c3g9l3'), ['sub-1', 'r1c3']);
      assert.equal(syncRoots(resolved).length, 5 + 5);
    });
  });

  describe('syncRoots', () => {
    it('is empty when nothing is mapped', () => {
      assert.deepEqual(syncRoots(resolveGroupTree(chain(4))), []);
    });

    it('returns only the top-most active mapping of a chain', () => {
      assert.deepEqual(syncRoots(resolveGroupTree(chain(6, { g2: 'a', g5: 'b' }))), ['g2']);
    });

    it('returns each mapped branch under an unmapped root, in tree order', () => {
      const resolved = resolveGroupTree([
        group('root', null),
        group('z', 'root', { name: 'Zulu', mappedClientId: 'c1' }),
        group('a', 'root', { name: 'Alpha', mappedClientId: 'c2' }),
        group('a-kid', 'a', { mappedClientId: 'c3' }),
        group('m', 'root', { name: 'Mike' }),
        group('m-kid', 'm', { mappedClientId: 'c1' }),
      ]);
      assert.deepEqual(syncRoots(resolved), ['a', 'm-kid', 'z']);
    });

    it('skips removed mappings and promotes active mappings beneath them', () => {
      const resolved = resolveGroupTree([
        group('gone', null, { mappedClientId: 'c', removed: true }),
        group('kid', 'gone', { mappedClientId: 'k' }),
        group('kid-kid', 'kid', { mappedClientId: 'kk' }),
        group('other', 'gone'),
      ]);
      assert.deepEqual(syncRoots(resolved), ['kid']);
    });

    it('does not promote a mapping below a removed group when an active mapping is higher', () => {
      const resolved = resolveGroupTree([
        group('top', null, { mappedClientId: 't' }),
        group('gone', 'top', { removed: true, mappedClientId: 'g' }),
        group('kid', 'gone', { mappedClientId: 'k' }),
      ]);
      assert.deepEqual(syncRoots(resolved), ['top']);
    });

    it('covers every group with an effective client exactly once', () => {
      const resolved = resolveGroupTree([
        ...chain(6, { g1: 'a', g4: 'b' }),
        group('s', null, { mappedClientId: 'c' }),
        group('s1', 's'),
        group('u', null),
        group('u1', 'u', { mappedClientId: 'd' }),
        group('u2', 'u'),
      ]);
      const roots = new Set(syncRoots(resolved));
      const index = byId(resolved);
      for (const g of resolved.filter((r) => r.effectiveClientId !== null)) {
        let coveringRoots = 0;
        for (
          let cursor: ResolvedGroup | undefined = g;
          cursor;
          cursor = cursor.parentId === null ? undefined : index.get(cursor.parentId)
        ) {
          if (roots.has(cursor.levelGroupId)) coveringRoots++;
        }
        assert.equal(coveringRoots, 1, `${g.levelGroupId} covered ${coveringRoots} times`);
      }
      assert.deepEqual([...roots], ['g1', 's', 'u1']);
    });
  });

  describe('effectiveClientIndex / effectiveClientForDevice', () => {
    const resolved = resolveGroupTree([
      group('root', null, { mappedClientId: 'acme' }),
      group('branch', 'root', { mappedClientId: 'branch-client' }),
      group('servers', 'branch'),
      group('plain', 'root'),
      group('loose', null),
    ]);
    const index = effectiveClientIndex(resolved);

    it('indexes every group with its effective client and origin', () => {
      assert.equal(index.size, 5);
      assert.deepEqual(index.get('servers'), { clientId: 'branch-client', inheritedFromGroupId: 'branch' });
      assert.deepEqual(index.get('root'), { clientId: 'acme', inheritedFromGroupId: null });
      assert.deepEqual(index.get('loose'), { clientId: null, inheritedFromGroupId: null });
    });

    it('routes a device to the client of the deepest mapping (child wins inside a subtree)', () => {
      assert.equal(effectiveClientForDevice('servers', index), 'branch-client');
      assert.equal(effectiveClientForDevice('plain', index), 'acme');
    });

    it('returns null for ungrouped devices, unknown groups and unmapped groups', () => {
      assert.equal(effectiveClientForDevice(null, index), null);
      assert.equal(effectiveClientForDevice('unknown', index), null);
      assert.equal(effectiveClientForDevice('loose', index), null);
    });
  });
});
