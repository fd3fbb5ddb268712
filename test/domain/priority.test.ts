import assert from 'node:assert/strict';
import {
  isPriority,
  isSeverity,
  priorityFor,
  priorityForSeverity,
  PRIORITIES,
  SEVERITIES,
} from '../../domain/priority';

describe('domain/priority', () => {
  it('maps each severity to its default priority', () => {
    assert.equal(priorityForSeverity('emergency'), 'urgent');
    assert.equal(priorityForSeverity('critical'), 'high');
    assert.equal(priorityForSeverity('warning'), 'medium');
    assert.equal(priorityForSeverity('information'), 'low');
  });

  it('uses the severity when the rule sets no priority', () => {
    for (const severity of SEVERITIES) assert.equal(priorityFor({}, severity), priorityForSeverity(severity));
    assert.equal(priorityFor({ priority: null }, 'critical'), 'high');
  });

  it('lets an explicit rule priority win over the severity', () => {
    assert.equal(priorityFor({ priority: 'low' }, 'emergency'), 'low');
    assert.equal(priorityFor({ priority: 'urgent' }, 'information'), 'urgent');
  });

  it('recognises severities and priorities', () => {
    for (const severity of SEVERITIES) assert.ok(isSeverity(severity));
    for (const priority of PRIORITIES) assert.ok(isPriority(priority));
    assert.equal(isSeverity('Critical'), false);
    assert.equal(isSeverity(3), false);
    assert.equal(isPriority('normal'), false);
    assert.equal(isPriority(undefined), false);
  });
});
