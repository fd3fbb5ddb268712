// Word lists for realistic generated fleets. Addresses use the RFC 5737 documentation ranges
// so nothing generated points at a real host.
import { DevicePlatform, DeviceRole } from './documents';

/** Generated timestamps are relative to this fixed instant so a seed gives identical data. */
export const FLEET_EPOCH_MS = Date.UTC(2025, 5, 1, 12, 0, 0);

export const COMPANY_WORDS = [
  'Acme',
  'Northwind',
  'Contoso',
  'Fabrikam',
  'Globex',
  'Initech',
  'Umbrella',
  'Wayne',
  'Stark',
  'Tailspin',
  'Litware',
  'Adatum',
  'Proseware',
  'Wingtip',
  'Woodgrove',
  'Blue Yonder',
  'Coho',
];
export const COMPANY_SUFFIXES = [
  'Corp',
  'Dental',
  'Legal',
  'Logistics',
  'Clinic',
  'Partners',
  'Foods',
  'Labs',
  'Realty',
];
export const SUBGROUP_NAMES = [
  'Main Office',
  'Branch Office',
  'Servers',
  'Workstations',
  'Laptops',
  'Warehouse',
  'Remote Staff',
  'Finance',
  'Engineering',
  'Front Desk',
  'Lab',
  'Kiosks',
];

export const ROLE_WEIGHTS: readonly (readonly [DeviceRole | null, number])[] = [
  ['workstation', 72],
  ['server', 20],
  ['domain_controller', 4],
  [null, 4],
];
export const WORKSTATION_PLATFORMS: readonly (readonly [DevicePlatform, number])[] = [
  ['Windows', 75],
  ['Mac', 18],
  ['Linux', 7],
];
export const SERVER_PLATFORMS: readonly (readonly [DevicePlatform, number])[] = [
  ['Windows', 80],
  ['Linux', 20],
];

export const HARDWARE: Record<DevicePlatform, readonly (readonly [string, string])[]> = {
  Windows: [
    ['Dell Inc.', 'Latitude 5440'],
    ['Dell Inc.', 'OptiPlex 7010'],
    ['LENOVO', 'ThinkPad T14 Gen 4'],
    ['HP', 'EliteBook 840 G10'],
    ['Microsoft Corporation', 'Surface Laptop 5'],
  ],
  Mac: [
    ['Apple Inc.', 'MacBook Pro (14-inch, 2023)'],
    ['Apple Inc.', 'MacBook Air (M2, 2022)'],
    ['Apple Inc.', 'iMac (24-inch, M3)'],
  ],
  Linux: [
    ['Dell Inc.', 'Precision 3660'],
    ['LENOVO', 'ThinkCentre M70q'],
    ['System76', 'Thelio'],
  ],
};
export const SERVER_HARDWARE: readonly (readonly [string, string])[] = [
  ['Dell Inc.', 'PowerEdge R650'],
  ['HPE', 'ProLiant DL360 Gen10'],
  ['VMware, Inc.', 'VMware Virtual Platform'],
  ['Microsoft Corporation', 'Virtual Machine'],
  ['Supermicro', 'SYS-1029P-WTR'],
];

export const TAG_NAMES = [
  'laptop',
  'finance',
  'critical',
  'remote',
  'vip',
  'kiosk',
  'backup',
  'hyper-v',
  'sql',
  'patch-ring-1',
];
export const FIRST_NAMES = [
  'jdoe',
  'asmith',
  'mgarcia',
  'lchen',
  'pnguyen',
  'kpatel',
  'rjones',
  'tbrown',
  'emiller',
  'swilson',
];
export const NICKNAMES = [
  'Reception PC',
  'Boardroom',
  'CEO Laptop',
  'Print Server',
  'Backup NAS',
  'Shop Floor',
  'Spare',
];
export const LOCATIONS: readonly (readonly [string, string])[] = [
  ['Chicago', 'United States'],
  ['Austin', 'United States'],
  ['Toronto', 'Canada'],
  ['London', 'United Kingdom'],
  ['Berlin', 'Germany'],
  ['Sydney', 'Australia'],
  ['Denver', 'United States'],
  ['Dublin', 'Ireland'],
];
export const PUBLIC_NETS = ['192.0.2', '198.51.100', '203.0.113'];
export const MEMORY_SIZES_GIB = [8, 16, 16, 32, 32, 64, 128];
export const CPU_CORE_COUNTS = [4, 6, 8, 8, 12, 16, 24, 32];

export const ALERT_TYPES: readonly (readonly [string, string])[] = [
  ['CPU usage above 90%', 'CPU usage has been above 90% for 15 minutes'],
  ['Low disk space on C:', 'Free space on C: is below 10%'],
  ['Device offline', 'The device has not checked in for 30 minutes'],
  ['Threat detected', 'Microsoft Defender Antivirus reported a threat'],
  ['Service stopped: Spooler', 'The Print Spooler service is not running'],
  ['Pending reboot', 'The device has been waiting for a reboot for 7 days'],
  ['Backup failed', 'The last scheduled backup did not complete'],
  ['Memory usage above 95%', 'Memory usage has been above 95% for 10 minutes'],
];
export const SEVERITY_WEIGHTS = [
  ['information', 15],
  ['warning', 45],
  ['critical', 32],
  ['emergency', 8],
] as const;
