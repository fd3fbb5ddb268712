// Detail arrays (OS, CPUs, memory, disks, NICs, security) derived deterministically from a
// device's seed and current core fields. Deriving on demand keeps a 100k-device fleet small in
// memory, and keeps details consistent with later edits (e.g. total_memory, platform).
import { DeviceDetails, DeviceRecord, OperatingSystemDetail, SecurityItem } from './documents';
import { Prng } from './prng';

const GIB = 1024 ** 3;

export function deviceDetails(device: DeviceRecord): DeviceDetails {
  const prng = new Prng(device.detailSeed);
  const derived: DeviceDetails = {
    operating_system: operatingSystem(device, prng),
    cpus: cpus(device, prng),
    memory: memoryModules(device),
    disks: [],
    disk_partitions: [],
    network_interfaces: networkInterfaces(device, prng),
    security: security(device, prng),
  };
  const diskSize = prng.pick([256, 512, 1024, 2048]) * GIB;
  derived.disks = [
    {
      name: 'Disk 0',
      model: prng.pick(['Samsung SSD 980', 'WDC WD10EZEX', 'Virtual Disk']),
      media_type: 'SSD',
      size: diskSize,
    },
  ];
  derived.disk_partitions = [
    {
      name: systemVolume(device),
      file_system: fileSystem(device),
      size: diskSize,
      free_space: Math.round(diskSize * prng.next()),
    },
  ];
  // Drawn last, so the values drawn before them (and fixtures built on them) stay as they were.
  derived.security.push(...patchesAndEncryption(device, prng));
  return { ...derived, ...device.details };
}

function operatingSystem(device: DeviceRecord, prng: Prng): OperatingSystemDetail {
  const installDate = new Date(Date.UTC(2021 + prng.int(0, 3), prng.int(0, 11), prng.int(1, 28))).toISOString();
  const server = device.role === 'server' || device.role === 'domain_controller';
  if (device.platform === 'Mac') {
    return {
      full_operating_system: 'macOS Sonoma 14.5',
      major_version: '14',
      minor_version: '5',
      architecture: device.architecture,
      install_date: installDate,
      end_of_life: null,
    };
  }
  if (device.platform === 'Linux') {
    return {
      full_operating_system: 'Ubuntu 22.04.4 LTS',
      major_version: '22',
      minor_version: '04',
      architecture: device.architecture,
      install_date: installDate,
      end_of_life: '2027-04-01T00:00:00.000Z',
    };
  }
  const name = server
    ? 'Microsoft Windows Server 2022 Standard'
    : prng.pick(['Microsoft Windows 11 Pro', 'Microsoft Windows 10 Pro']);
  const endOfLife = name.includes('Windows 10') ? '2025-10-14T00:00:00.000Z' : '2031-10-14T00:00:00.000Z';
  return {
    full_operating_system: name,
    major_version: '10',
    minor_version: server ? '20348' : '22631',
    architecture: device.architecture,
    install_date: installDate,
    end_of_life: endOfLife,
  };
}

function cpus(device: DeviceRecord, prng: Prng): Record<string, unknown>[] {
  const name =
    device.platform === 'Mac'
      ? 'Apple M2'
      : prng.pick(['Intel(R) Core(TM) i7-1365U', 'AMD Ryzen 7 PRO 7840U', 'Intel(R) Xeon(R) Silver 4314']);
  return [
    {
      name,
      manufacturer: name.split(' ')[0],
      cores: device.cpu_cores,
      logical_processors: device.cpu_cores * 2,
      max_clock_speed_mhz: prng.int(2000, 4800),
    },
  ];
}

/** Two equal modules adding up to total_memory, so the totals always agree. */
function memoryModules(device: DeviceRecord): Record<string, unknown>[] {
  const half = Math.floor(device.total_memory / 2);
  return [0, 1].map((slot) => ({
    bank_label: `BANK ${slot}`,
    capacity: slot === 0 ? half : device.total_memory - half,
    speed_mhz: 3200,
  }));
}

function networkInterfaces(device: DeviceRecord, prng: Prng): DeviceDetails['network_interfaces'] {
  const mac = Array.from({ length: 6 }, () => prng.int(0, 255).toString(16).padStart(2, '0')).join(':');
  const lan = `10.${prng.int(0, 255)}.${prng.int(0, 255)}.${prng.int(2, 254)}`;
  const name = device.platform === 'Windows' ? 'Ethernet' : device.platform === 'Mac' ? 'en0' : 'eth0';
  return [
    { name, mac_address: mac, ip_addresses: [lan, `fe80::${prng.int(1, 0xffff).toString(16)}`], dhcp_enabled: true },
    { name: 'Loopback', mac_address: '00:00:00:00:00:00', ip_addresses: ['127.0.0.1'], dhcp_enabled: false },
  ];
}

function security(device: DeviceRecord, prng: Prng): SecurityItem[] {
  const antivirus = device.platform === 'Windows' ? 'Microsoft Defender Antivirus' : 'ClamAV';
  return [
    { name: antivirus, type: 'antivirus', enabled: prng.chance(0.95), up_to_date: prng.chance(0.9) },
    { name: 'Firewall', type: 'firewall', enabled: prng.chance(0.9) },
  ];
}

/**
 * Patch state and disk encryption, as items of the same `security` array. Level's security detail
 * is unconfirmed (level-api.md): these item types and fields are the simulator's, and the
 * service reads them leniently (domain/health-snapshot.ts).
 */
function patchesAndEncryption(device: DeviceRecord, prng: Prng): SecurityItem[] {
  const pending = prng.chance(0.6) ? 0 : prng.int(1, 12);
  const updater =
    device.platform === 'Windows' ? 'Windows Update' : device.platform === 'Mac' ? 'Software Update' : 'apt';
  const encryption = device.platform === 'Windows' ? 'BitLocker' : device.platform === 'Mac' ? 'FileVault' : 'LUKS';
  return [
    { name: updater, type: 'patches', compliant: pending === 0, pending_updates: pending },
    { name: encryption, type: 'disk_encryption', enabled: prng.chance(0.75) },
  ];
}

function systemVolume(device: DeviceRecord): string {
  return device.platform === 'Windows' ? 'C:' : '/';
}

function fileSystem(device: DeviceRecord): string {
  if (device.platform === 'Windows') return 'NTFS';
  return device.platform === 'Mac' ? 'APFS' : 'ext4';
}
