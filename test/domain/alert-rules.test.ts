import assert from 'node:assert/strict';
import {
  defaultCatchAllRule,
  findMatchingRule,
  isCatchAll,
  priorityFor,
  ruleMatches,
  sortRules,
  type AlertFacts,
  type AlertRule,
  type RuleConditions,
} from '../../domain/alert-rules';
import { MAX_PATTERN_LENGTH, PATTERN_MATCH_WINDOW, validatePattern } from '../../domain/rule-pattern';

const baseFacts: AlertFacts = {
  severity: 'critical',
  clientId: 'client-acme',
  levelGroupId: 'g-servers',
  groupAncestry: ['g-servers', 'g-branch', 'g-acme'],
  deviceRole: 'server',
  name: 'Disk space low on C:',
  description: 'Volume C: has 4% free space remaining',
  unmapped: false,
};

function facts(overrides: Partial<AlertFacts> = {}): AlertFacts {
  return { ...baseFacts, ...overrides };
}

function rule(id: string, conditions: RuleConditions = {}, overrides: Partial<AlertRule> = {}): AlertRule {
  return {
    id,
    name: `rule ${id}`,
    enabled: true,
    position: 0,
    conditions,
    actions: { createTicket: true, autoResolveTicket: true, resolveAlertOnTicketClose: false },
    ...overrides,
  };
}

function matches(conditions: RuleConditions, alert: AlertFacts = baseFacts): boolean {
  return ruleMatches(conditions, alert);
}

describe('domain/alert-rules', () => {
  describe('conditions, one at a time', () => {
    it('severities: matches any listed severity', () => {
      assert.equal(matches({ severities: ['critical'] }), true);
      assert.equal(matches({ severities: ['warning', 'critical'] }), true);
      assert.equal(matches({ severities: ['warning', 'emergency'] }), false);
    });

    it('clientIds: matches the alert client; an alert without a client never matches', () => {
      assert.equal(matches({ clientIds: ['other', 'client-acme'] }), true);
      assert.equal(matches({ clientIds: ['other'] }), false);
      assert.equal(matches({ clientIds: ['client-acme'] }, facts({ clientId: null })), false);
    });

    it('levelGroupIds: matches the device group and every ancestor (subgroups included)', () => {
      assert.equal(matches({ levelGroupIds: ['g-servers'] }), true);
      assert.equal(matches({ levelGroupIds: ['g-acme'] }), true, 'a rule on the top group covers its subgroups');
      assert.equal(matches({ levelGroupIds: ['g-other', 'g-branch'] }), true);
      assert.equal(matches({ levelGroupIds: ['g-other'] }), false);
    });

    it('levelGroupIds: does not match a sibling or a child of the device group', () => {
      assert.equal(matches({ levelGroupIds: ['g-servers-child'] }), false);
      assert.equal(matches({ levelGroupIds: ['g-workstations'] }), false);
    });

    it('levelGroupIds: uses the device group even if the ancestry list omits it, and never matches ungrouped devices', () => {
      assert.equal(matches({ levelGroupIds: ['g-servers'] }, facts({ groupAncestry: [] })), true);
      assert.equal(matches({ levelGroupIds: ['g-servers'] }, facts({ levelGroupId: null, groupAncestry: [] })), false);
    });

    it('deviceRoles: compares with the Level role, ignoring case', () => {
      assert.equal(matches({ deviceRoles: ['server', 'domain_controller'] }), true);
      assert.equal(matches({ deviceRoles: ['workstation'] }), false);
      assert.equal(matches({ deviceRoles: ['domain_controller'] }, facts({ deviceRole: 'DOMAIN_CONTROLLER' })), true);
      assert.equal(matches({ deviceRoles: ['server'] }, facts({ deviceRole: null })), false);
    });

    it('keywords: case-insensitive substring of the name or the description', () => {
      assert.equal(matches({ keywords: ['DISK'] }), true, 'in the name');
      assert.equal(matches({ keywords: ['free space'] }), true, 'in the description');
      assert.equal(matches({ keywords: ['memory', 'volume'] }), true, 'any keyword');
      assert.equal(matches({ keywords: ['memory'] }), false);
      assert.equal(matches({ keywords: ['free space'] }, facts({ description: null })), false);
    });

    it('keywords: trims keywords and ignores blank ones', () => {
      assert.equal(matches({ keywords: ['  disk  '] }), true);
      assert.equal(matches({ keywords: ['', '   ', 'memory'] }), false, 'blanks do not match everything');
      assert.equal(matches({ keywords: ['  '] }), true, 'only blanks: no keyword condition');
    });

    it('keywords: does not match across the name/description boundary', () => {
      assert.equal(matches({ keywords: ['C: Volume'] }), false);
    });

    it('pattern: a case-insensitive regular expression tested on the name and on the description', () => {
      assert.equal(matches({ pattern: '^disk space' }), true, 'name, ignoring case');
      assert.equal(matches({ pattern: '\\d+% free' }), true, 'description');
      assert.equal(matches({ pattern: '^volume c:.*remaining$' }), true, 'anchors apply per text');
      assert.equal(matches({ pattern: 'cpu|memory' }), false);
      assert.equal(matches({ pattern: 'free' }, facts({ description: null })), false);
    });

    it('pattern: an invalid or over-long stored pattern matches nothing instead of throwing', () => {
      assert.equal(matches({ pattern: '(unclosed' }), false);
      assert.equal(matches({ pattern: 'a'.repeat(MAX_PATTERN_LENGTH + 1) }), false);
    });

    it('pattern: a catastrophic-backtracking pattern runs in linear time (RE2), and still matches', () => {
      // V8's engine takes about 12 s for 29 a's and doubles per extra character; RE2 is linear.
      // Correctness is asserted here; the time it takes is printed by the security tests' bench.
      const evil = { pattern: '(a+)+$' };
      assert.equal(matches(evil, facts({ name: 'x', description: `${'a'.repeat(50)}!` })), false);
      assert.equal(matches(evil, facts({ name: 'x', description: 'a'.repeat(50) })), true);
    });

    it(`pattern: only the first ${PATTERN_MATCH_WINDOW} characters of each text are searched`, () => {
      const padded = `${'x'.repeat(PATTERN_MATCH_WINDOW - 4)}disk${'y'.repeat(10)}`;
      assert.equal(matches({ pattern: 'disk' }, facts({ name: 'n', description: padded })), true);
      assert.equal(matches({ pattern: 'disk' }, facts({ name: 'n', description: `x${padded}` })), false);
    });

    it('pattern: an empty pattern is no condition', () => {
      assert.equal(matches({ pattern: '' }, facts({ name: 'anything' })), true);
    });

    it('pattern: gives the same answer on repeated evaluation (no regex state kept)', () => {
      for (let i = 0; i < 3; i++) assert.equal(matches({ pattern: 'disk' }), true);
    });
  });

  describe('conditions combined', () => {
    it('requires every present condition to hold', () => {
      const all: RuleConditions = {
        severities: ['critical', 'emergency'],
        clientIds: ['client-acme'],
        levelGroupIds: ['g-acme'],
        deviceRoles: ['server'],
        keywords: ['disk'],
        pattern: 'C:',
      };
      assert.equal(matches(all), true);
      assert.equal(matches(all, facts({ severity: 'warning' })), false);
      assert.equal(matches(all, facts({ clientId: 'client-other' })), false);
      assert.equal(matches(all, facts({ groupAncestry: ['g-x'], levelGroupId: 'g-x' })), false);
      assert.equal(matches(all, facts({ deviceRole: 'workstation' })), false);
      assert.equal(matches(all, facts({ name: 'CPU high', description: 'C: busy' })), false, 'keyword fails');
      assert.equal(matches(all, facts({ name: 'Disk slow', description: 'D: busy' })), false, 'pattern fails');
    });

    it('ignores absent and empty conditions', () => {
      assert.equal(matches({ severities: [], clientIds: [], keywords: ['disk'] }), true);
      assert.equal(matches({ severities: [], clientIds: [], keywords: ['cpu'] }), false);
    });
  });

  describe('catch-all', () => {
    it('matches any alert when a rule has no conditions', () => {
      assert.equal(matches({}), true);
      assert.equal(
        matches(
          {},
          facts({ clientId: null, levelGroupId: null, groupAncestry: [], deviceRole: null, description: null }),
        ),
        true,
      );
    });

    it('is detected by isCatchAll, counting empty lists and blank keywords as absent', () => {
      assert.equal(isCatchAll({}), true);
      assert.equal(
        isCatchAll({ severities: [], clientIds: [], levelGroupIds: [], deviceRoles: [], keywords: [' '], pattern: '' }),
        true,
      );
      assert.equal(isCatchAll({ severities: ['warning'] }), false);
      assert.equal(isCatchAll({ pattern: '.' }), false);
      assert.equal(isCatchAll({ keywords: ['disk'] }), false);
    });

    it('provides the default catch-all rule data for new integrations', () => {
      assert.deepEqual(defaultCatchAllRule, {
        name: 'Create tickets for all alerts',
        enabled: true,
        conditions: {},
        actions: { createTicket: true, autoResolveTicket: true, resolveAlertOnTicketClose: false },
      });
      assert.equal(isCatchAll(defaultCatchAllRule.conditions), true);
      assert.ok(Object.isFrozen(defaultCatchAllRule) && Object.isFrozen(defaultCatchAllRule.actions));
    });
  });

  describe('unmapped alerts', () => {
    const unmappedFacts = facts({ clientId: null, unmapped: true });

    it('are met only by rules written for them, and those rules meet nothing else', () => {
      assert.equal(matches({}, unmappedFacts), false, 'the catch-all does not take them');
      assert.equal(matches({ severities: ['critical'] }, unmappedFacts), false);
      assert.equal(matches({ unmapped: true }, unmappedFacts), true);
      assert.equal(
        matches({ unmapped: true, severities: ['warning'] }, unmappedFacts),
        false,
        'other conditions still apply',
      );
      assert.equal(matches({ unmapped: true }), false, 'a mapped alert is not for the triage rule');
      assert.equal(matches({ unmapped: false }), true);
    });

    it('make a triage rule no catch-all', () => {
      assert.equal(isCatchAll({ unmapped: true }), false);
      const rules = [rule('catch-all', {}, { position: 0 }), rule('triage', { unmapped: true }, { position: 1 })];
      assert.equal(findMatchingRule(rules, unmappedFacts)?.id, 'triage');
      assert.equal(findMatchingRule(rules, baseFacts)?.id, 'catch-all');
    });
  });

  describe('findMatchingRule', () => {
    it('returns null when there are no rules', () => {
      assert.equal(findMatchingRule([], baseFacts), null);
    });

    it('returns null when no rule matches', () => {
      assert.equal(findMatchingRule([rule('a', { severities: ['warning'] })], baseFacts), null);
    });

    it('evaluates by ascending position and returns the first match', () => {
      const rules = [
        rule('late-catch-all', {}, { position: 30 }),
        rule('specific', { keywords: ['disk'] }, { position: 10 }),
        rule('no-match', { severities: ['information'] }, { position: 0 }),
      ];
      assert.equal(findMatchingRule(rules, baseFacts)?.id, 'specific');
      assert.equal(findMatchingRule(rules, facts({ name: 'CPU', description: null }))?.id, 'late-catch-all');
    });

    it('breaks position ties by id', () => {
      const rules = [rule('b', {}, { position: 1 }), rule('a', {}, { position: 1 })];
      assert.equal(findMatchingRule(rules, baseFacts)?.id, 'a');
      assert.equal(findMatchingRule([...rules].reverse(), baseFacts)?.id, 'a');
    });

    it('skips disabled rules', () => {
      const rules = [
        rule('off', {}, { position: 0, enabled: false }),
        rule('on', { severities: ['critical'] }, { position: 1 }),
      ];
      assert.equal(findMatchingRule(rules, baseFacts)?.id, 'on');
      assert.equal(findMatchingRule([rule('off', {}, { enabled: false })], baseFacts), null);
    });

    it('routes by group so a subgroup rule can precede its parent group rule', () => {
      const rules = [
        rule('servers', { levelGroupIds: ['g-servers'] }, { position: 1 }),
        rule('acme', { levelGroupIds: ['g-acme'] }, { position: 2 }),
      ];
      assert.equal(findMatchingRule(rules, baseFacts)?.id, 'servers');
      assert.equal(
        findMatchingRule(rules, facts({ levelGroupId: 'g-desktops', groupAncestry: ['g-desktops', 'g-acme'] }))?.id,
        'acme',
      );
      assert.equal(findMatchingRule(rules, facts({ levelGroupId: 'g-x', groupAncestry: ['g-x'] })), null);
    });

    it('skips a rule with an invalid stored pattern and continues', () => {
      const rules = [rule('broken', { pattern: '[' }, { position: 0 }), rule('next', {}, { position: 1 })];
      assert.equal(findMatchingRule(rules, baseFacts)?.id, 'next');
    });

    it("does not reorder the caller's array", () => {
      const rules = [rule('b', {}, { position: 2 }), rule('a', {}, { position: 1 })];
      findMatchingRule(rules, baseFacts);
      assert.deepEqual(
        rules.map((r) => r.id),
        ['b', 'a'],
      );
      assert.deepEqual(
        sortRules(rules).map((r) => r.id),
        ['a', 'b'],
      );
    });
  });

  describe('validatePattern', () => {
    it('accepts valid expressions (and the empty pattern)', () => {
      assert.equal(validatePattern('disk|cpu'), null);
      assert.equal(validatePattern('^Backup (failed|missed)$'), null);
      assert.equal(validatePattern(''), null);
      assert.equal(validatePattern('a'.repeat(MAX_PATTERN_LENGTH)), null);
    });

    it('explains an invalid expression', () => {
      const message = validatePattern('(disk');
      assert.ok(message);
      assert.match(message, /^Pattern is not a valid regular expression: /);
      assert.ok(validatePattern('[a-'));
      assert.ok(validatePattern('*x'));
    });

    it('refuses what RE2 cannot run in linear time: lookaround and backreferences', () => {
      assert.match(validatePattern('disk(?=full)') ?? '', /RE2 syntax/);
      assert.match(validatePattern('(a)\\1') ?? '', /RE2 syntax/);
      assert.equal(validatePattern('(a+)+$'), null, 'accepted: RE2 runs it in linear time');
    });

    it('rejects patterns longer than 500 characters', () => {
      assert.equal(MAX_PATTERN_LENGTH, 500);
      assert.equal(validatePattern('a'.repeat(501)), 'Pattern is too long (501 characters, at most 500)');
    });
  });

  describe('priorityFor (re-exported)', () => {
    it('prefers the rule priority, else maps the severity', () => {
      assert.equal(priorityFor({ priority: 'low' }, 'emergency'), 'low');
      assert.equal(priorityFor(rule('r').actions, 'emergency'), 'urgent');
      assert.equal(priorityFor(rule('r').actions, 'critical'), 'high');
      assert.equal(priorityFor(rule('r').actions, 'warning'), 'medium');
      assert.equal(priorityFor(rule('r').actions, 'information'), 'low');
    });
  });
});
