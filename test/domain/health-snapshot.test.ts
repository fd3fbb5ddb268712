import assert from 'node:assert/strict';
import {
  deviceHealth,
  healthSnapshotNote,
  healthUnavailableNote,
  MAX_HEALTH_NOTE_LENGTH,
  type DeviceHealth,
} from '../../domain/health-snapshot';
import { hasUnstorable } from '../../domain/storable-text';
import type { LevelDevice } from '../../level/schemas';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const times = { readAt: new Date('2026-12-01T11:59:30.000Z'), now: NOW };

function device(overrides: Partial<LevelDevice> = {}): LevelDevice {
  return {
    id: 'dev-1',
    hostname: 'ACME-WS-1',
    online: false,
    last_seen_at: '2026-12-01T10:15:00.000Z',
    last_logged_in_user: 'alice',
    security_score: 72,
    operating_system: { full_operating_system: 'Microsoft Windows 10 Pro', end_of_life: '2025-10-14T00:00:00.000Z' },
    security: [
      { name: 'Microsoft Defender Antivirus', type: 'antivirus', enabled: true, up_to_date: false },
      { name: 'Firewall', type: 'firewall', enabled: true },
      { name: 'Windows Update', type: 'patches', compliant: false, pending_updates: 3 },
      { name: 'BitLocker', type: 'disk_encryption', enabled: false },
    ],
    ...overrides,
  };
}

const EMPTY: DeviceHealth = {
  hostname: null,
  online: null,
  lastSeenAt: null,
  lastLoggedInUser: null,
  os: null,
  osEndOfLife: null,
  antivirus: null,
  firewall: null,
  patches: null,
  diskEncryption: null,
  securityScore: null,
};

describe('domain/health-snapshot', () => {
  it('writes one labelled line per field Level gave, and flags an end of life that is past', () => {
    const note = healthSnapshotNote(deviceHealth(device()), { description: 'C: has 2% free' }, times);
    assert.deepEqual(note.split('\n'), [
      'Device health from Level (read 2026-12-01 11:59 UTC)',
      'Device: ACME-WS-1',
      'Online: no',
      'Last seen: 2026-12-01 10:15 UTC',
      'Last logged-in user: alice',
      'OS: Microsoft Windows 10 Pro (PAST END OF LIFE since 2025-10-14)',
      'Antivirus: Microsoft Defender Antivirus, enabled, OUT OF DATE',
      'Firewall: enabled',
      'Patches: NOT COMPLIANT, 3 pending updates',
      'Disk encryption: BitLocker, OFF',
      'Security score: 72/100',
      'Alert description: C: has 2% free',
    ]);
  });

  it('leaves out what Level did not send, and shows a future end of life plainly', () => {
    const sparse = device({
      last_logged_in_user: null,
      security: undefined,
      security_score: undefined,
      online: true,
      operating_system: { full_operating_system: 'Ubuntu 22.04.4 LTS', end_of_life: '2027-04-01T00:00:00.000Z' },
    });
    const note = healthSnapshotNote(deviceHealth(sparse), {}, times);
    assert.deepEqual(note.split('\n'), [
      'Device health from Level (read 2026-12-01 11:59 UTC)',
      'Device: ACME-WS-1',
      'Online: yes',
      'Last seen: 2026-12-01 10:15 UTC',
      'OS: Ubuntu 22.04.4 LTS (end of life 2027-04-01)',
    ]);
    assert.equal(healthSnapshotNote(EMPTY, {}, times), 'Device health from Level (read 2026-12-01 11:59 UTC)');
  });

  it('reads security given as an object keyed by type, and ignores fields of the wrong type', () => {
    const health = deviceHealth(
      device({ security: { antivirus: { name: 'SentinelOne', enabled: 'yes' }, firewall: { enabled: false } } }),
    );
    assert.deepEqual(health.antivirus, { name: 'SentinelOne', enabled: null, upToDate: null });
    assert.deepEqual(health.firewall, { name: null, enabled: false });
    assert.equal(health.patches, null);
  });

  it('keeps each value on its line, cleans what PostgreSQL cannot store, and bounds every part', () => {
    const health = deviceHealth(
      device({ hostname: 'EVIL\nOnline: yes\u0000', last_logged_in_user: `${'x'.repeat(5000)}\ud800` }),
    );
    assert.deepEqual(JSON.parse(JSON.stringify(health)), health, 'a reading survives being stored as JSON');
    const payload = `top processes:\r\n  chrome.exe 41%\u0007\n${'y'.repeat(100_000)}`;
    const note = healthSnapshotNote(health, { description: 'd'.repeat(50_000), payload }, times);
    assert.ok(note.length <= MAX_HEALTH_NOTE_LENGTH, `${note.length} characters`);
    assert.ok(!hasUnstorable(note));
    assert.ok(note.includes('Device: EVIL Online: yes\n'));
    assert.equal(note.split('\n').filter((line) => line.startsWith('Online:')).length, 1);
    assert.ok(note.includes('Alert output:\ntop processes:\n  chrome.exe 41%\n'));
    assert.match(note, /\[truncated\]$/);
    assert.ok(note.split('\n').every((line) => line.length <= 1500));
  });

  it('says briefly why health is unavailable, followed by the alert text', () => {
    assert.equal(
      healthUnavailableNote('Level answered with a server error (HTTP 503)'),
      'Health unavailable: Level answered with a server error (HTTP 503)',
    );
    assert.equal(
      healthUnavailableNote('Level did not answer\nin time', { payload: 'script exited 1' }),
      'Health unavailable: Level did not answer in time\nAlert output:\nscript exited 1',
    );
  });
});
