// "Run an automation for device X": what Level's automation HTTP request action does when its
// trigger fires on a device. The body (and URL and header values) are templates in which Level
// substitutes its documented system variables (level-api.md) as plain text and leaves anything
// else — alert variables it does not have, custom fields the simulator does not model, typos —
// as the literal `{{…}}`. Then it POSTs the result; any 2xx counts as success.
import type { Fleet } from './fleet';

export interface AutomationAction {
  /** Where the HTTP request action posts (may use variables too). */
  url: string;
  /** Header name → value template, e.g. `{'X-Alga-Webhook-Secret': '…'}`. */
  headers?: Record<string, string>;
  /** The body template exactly as pasted (a JSON object is serialised first). */
  body: string | Record<string, unknown>;
  /** Default POST. */
  method?: string;
}

export interface AutomationRun {
  status: number;
  /** The JSON answer, or the raw text when it is not JSON. */
  body: unknown;
  /** The body as sent, after substitution. */
  sentBody: string;
}

const VARIABLE = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The template with Level's system variables for the device substituted; unknown ones stay literal. */
export function renderAutomationTemplate(
  fleet: Fleet,
  deviceId: string,
  template: string,
  now: Date = new Date(),
): string {
  const values = systemVariables(fleet, deviceId, now);
  return template.replace(VARIABLE, (literal, name: string) => (Object.hasOwn(values, name) ? values[name]! : literal));
}

export async function runAutomation(
  fleet: Fleet,
  deviceId: string,
  action: AutomationAction,
  now: Date = new Date(),
): Promise<AutomationRun> {
  const render = (template: string) => renderAutomationTemplate(fleet, deviceId, template, now);
  const template = typeof action.body === 'string' ? action.body : JSON.stringify(action.body);
  const sentBody = render(template);
  const headers = Object.fromEntries(
    Object.entries(action.headers ?? {}).map(([name, value]) => [name, render(value)]),
  );
  const response = await fetch(render(action.url), {
    method: action.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: sentBody,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the raw text is the answer.
  }
  return { status: response.status, body, sentBody };
}

/** Level's system variables for one device, as text (level-api.md, "Webhooks from Level"). */
function systemVariables(fleet: Fleet, deviceId: string, now: Date): Record<string, string> {
  const device = fleet.deviceDocument(deviceId, ['operating_system', 'network_interfaces']);
  if (!device) throw new Error(`Unknown device ${deviceId}`);
  const groups = groupChain(fleet, device.group_id);
  const tagNames = device.tags;
  const gib = device.total_memory / 1024 ** 3;
  return {
    level_time: now.toISOString(),
    level_device_id: device.id,
    level_device_hostname: device.hostname,
    level_device_nickname: device.nickname ?? '',
    level_device_public_ip_address: device.public_ip_address ?? '',
    level_device_private_ip_addresses: (device.network_interfaces ?? []).flatMap((nic) => nic.ip_addresses).join(', '),
    level_device_architecture: device.architecture,
    level_device_cpu_cores: String(device.cpu_cores),
    level_device_memory: String(device.total_memory),
    level_device_memory_formatted: `${Number.isInteger(gib) ? gib : gib.toFixed(1)} GB`,
    level_device_os: device.operating_system?.full_operating_system ?? device.platform,
    level_device_os_version: device.operating_system
      ? `${device.operating_system.major_version}.${device.operating_system.minor_version}`
      : '',
    level_device_last_boot_at: device.last_reboot_time,
    level_device_last_seen_at: device.last_seen_at,
    level_group_id: device.group_id ?? '',
    level_group_name: device.group_name ?? '',
    level_group_path: groups.map((group) => group.name).join('/'),
    level_tag_names: tagNames.join(', '),
    level_tag_ids: tagNames.map((name) => fleet.tagIdFor(name)).join(', '),
  };
}

/** The device's group and its ancestors, root first. */
function groupChain(fleet: Fleet, groupId: string | null): Array<{ id: string; name: string }> {
  const chain: Array<{ id: string; name: string }> = [];
  for (let id = groupId; id !== null && chain.length < 64;) {
    const group = fleet.groupDocument(id);
    if (!group) break;
    chain.unshift({ id: group.id, name: group.name });
    id = group.parent_id;
  }
  return chain;
}
