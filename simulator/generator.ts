// Deterministic fleet generator: the same options always give the same groups, devices, alerts
// and ids. The tree has many root groups (an MSP's clients) with sites/departments below, and
// one branch always reaches the requested depth so deep hierarchies are exercised.
import {
  ALERT_TYPES,
  COMPANY_SUFFIXES,
  COMPANY_WORDS,
  FLEET_EPOCH_MS,
  SEVERITY_WEIGHTS,
  SUBGROUP_NAMES,
} from './catalog';
import { isoAgo } from './device-defaults';
import { Fleet } from './fleet';
import { IdStyle } from './ids';
import { Prng } from './prng';

export interface GenerateFleetOptions {
  seed: number;
  /** Total number of groups. */
  groups: number;
  /** Maximum number of levels (1 = only root groups). */
  depth: number;
  /** Devices spread over the groups (all ungrouped when there are no groups). */
  devices: number;
  /** Extra devices with no group. Default 0. */
  ungroupedDevices?: number;
  /** Alerts on random devices. Default 0. */
  alerts?: number;
  /** Share of alerts created already resolved. Default 0.3. */
  resolvedAlertShare?: number;
  idStyle?: IdStyle;
}

/** Roughly one group in seven is a root (a client); the rest are sites and departments. */
const ROOT_SHARE = 0.15;
const MINUTE_MS = 60_000;

export function generateFleet(options: GenerateFleetOptions): Fleet {
  const fleet = new Fleet({ seed: options.seed, idStyle: options.idStyle });
  const groupIds = buildGroupTree(fleet, options.groups, Math.max(1, options.depth));
  for (let i = 0; i < options.devices; i += 1) {
    fleet.insertDevice({ groupId: groupIds.length > 0 ? fleet.prng.pick(groupIds) : null });
  }
  for (let i = 0; i < (options.ungroupedDevices ?? 0); i += 1) fleet.insertDevice({ groupId: null });
  addAlerts(fleet, options.alerts ?? 0, options.resolvedAlertShare ?? 0.3);
  return fleet;
}

interface PlacedGroup {
  id: string;
  level: number;
}

function buildGroupTree(fleet: Fleet, count: number, depth: number): string[] {
  const prng = fleet.prng;
  const created: PlacedGroup[] = [];
  const canHaveChildren: PlacedGroup[] = [];
  const place = (parent: PlacedGroup | null) => {
    const level = parent ? parent.level + 1 : 1;
    const name = parent ? prng.pick(SUBGROUP_NAMES) : companyName(prng, created.length);
    const group = { id: fleet.addGroup({ name, parentId: parent?.id ?? null }).id, level };
    created.push(group);
    if (level < depth) canHaveChildren.push(group);
    return group;
  };
  const rootCount = count === 0 ? 0 : depth === 1 ? count : Math.max(1, Math.ceil(count * ROOT_SHARE));
  for (let i = 0; i < rootCount; i += 1) place(null);
  // One chain down to the full depth, so "depth" is really reached when there are enough groups.
  for (let parent = created[0]; parent && parent.level < depth && created.length < count;) parent = place(parent);
  while (created.length < count) place(prng.pick(canHaveChildren));
  return created.map((group) => group.id);
}

/** Unique, readable client names: "Acme Dental", ..., then "Acme Foods 2" once words run out. */
function companyName(prng: Prng, index: number): string {
  const word = COMPANY_WORDS[index % COMPANY_WORDS.length] as string;
  const round = Math.floor(index / COMPANY_WORDS.length);
  return `${word} ${prng.pick(COMPANY_SUFFIXES)}${round === 0 ? '' : ` ${round + 1}`}`;
}

function addAlerts(fleet: Fleet, count: number, resolvedShare: number): void {
  const deviceIds = fleet.sortedDeviceIds();
  if (deviceIds.length === 0) return;
  const prng = fleet.prng;
  for (let i = 0; i < count; i += 1) {
    const [name, description] = prng.pick(ALERT_TYPES);
    const startedMsAgo = prng.int(5, 30 * 24 * 60) * MINUTE_MS;
    const resolved = prng.chance(resolvedShare);
    fleet.addAlert({
      deviceId: prng.pick(deviceIds),
      name,
      description,
      severity: prng.weighted(SEVERITY_WEIGHTS),
      payload: prng.chance(0.5) ? JSON.stringify({ threshold: 90, value: prng.int(90, 100) }) : null,
      startedAt: isoAgo(startedMsAgo),
      resolvedAt: resolved ? resolvedAt(startedMsAgo, prng.int(1, 120) * MINUTE_MS) : null,
    });
  }
}

/** Resolution some minutes after the start, never after the fleet's "now". */
function resolvedAt(startedMsAgo: number, durationMs: number): string {
  return new Date(Math.min(FLEET_EPOCH_MS, FLEET_EPOCH_MS - startedMsAgo + durationMs)).toISOString();
}
