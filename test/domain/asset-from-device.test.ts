import assert from 'node:assert/strict';
import { assetFromDevice, InvalidDeviceError } from '../../domain/asset-from-device';
import type { LevelDevice } from '../../level/schemas';

const device = (fields: Partial<LevelDevice>): LevelDevice => ({ id: 'dev/1', hostname: 'WS-01', ...fields });

describe('domain/asset-from-device', () => {
  it('names the asset by nickname, else hostname', () => {
    assert.equal(assetFromDevice(device({ nickname: 'Reception PC' })).name, 'Reception PC');
    assert.equal(assetFromDevice(device({ nickname: '  ' })).name, 'WS-01');
    assert.equal(assetFromDevice(device({ nickname: null })).hostname, 'WS-01');
  });

  it('types servers and domain controllers as servers, everything else as workstations', () => {
    assert.equal(assetFromDevice(device({ role: 'server' })).assetType, 'server');
    assert.equal(assetFromDevice(device({ role: 'domain_controller' })).assetType, 'server');
    assert.equal(assetFromDevice(device({ role: 'workstation' })).assetType, 'workstation');
    assert.equal(assetFromDevice(device({ role: null })).assetType, 'workstation');
  });

  it('maps OS, hardware, addresses, dates and flags', () => {
    const asset = assetFromDevice(
      device({
        platform: 'Windows',
        operating_system: { full_operating_system: 'Windows 11 Pro' },
        online: true,
        last_seen_at: '2026-11-01T10:00:00Z',
        last_reboot_time: 'not a date',
        serial_number: 'SN1',
        manufacturer: 'Dell',
        model: 'OptiPlex',
        cpu_cores: 8,
        cpus: [{ name: 'i7' }],
        total_memory: 17179869184,
        disks: [{ size: 512 }],
        network_interfaces: [{ ip_addresses: ['10.0.0.5', 'fe80::1'] }, { ip_addresses: ['10.0.0.5'] }],
        public_ip_address: '203.0.113.9',
        group_id: 'g+1',
        tags: ['vip'],
        maintenance_mode: true,
      }),
    );
    assert.equal(asset.osName, 'Windows 11 Pro');
    assert.equal(asset.online, true);
    assert.equal(asset.lastSeenAt?.toISOString(), '2026-11-01T10:00:00.000Z');
    assert.equal(asset.lastRebootAt, null, 'an unparseable date is null, not Invalid Date');
    assert.deepEqual(asset.cpu, { cores: 8, architecture: null, processors: [{ name: 'i7' }] });
    assert.equal(asset.memoryBytes, 17179869184);
    assert.deepEqual(asset.ipAddresses, ['10.0.0.5', 'fe80::1', '203.0.113.9'], 'deduplicated');
    assert.deepEqual([asset.levelGroupId, asset.tags, asset.maintenanceMode], ['g+1', ['vip'], true]);
    assert.ok(!('cpus' in asset.raw) && !('disks' in asset.raw), 'details kept in columns are not stored twice');
    assert.equal(asset.raw.serial_number, 'SN1');
  });

  it('refuses a device with neither nickname nor hostname', () => {
    assert.throws(() => assetFromDevice(device({ hostname: '', nickname: null })), InvalidDeviceError);
  });
});
