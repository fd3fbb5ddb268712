// Which Level base URLs the service may call (LEVEL_ALLOWED_HOSTS). A tenant admin types the base
// URL, and the worker sends that tenant's API key there and reads the answer back into the
// tenant's view, so without a policy the field is a port scanner and a proxy into the service's
// own network (PostgreSQL, the Temporal UI). The policy is checked three times: when the URL is
// saved (syntax, allowlist, DNS), before every request (a stored URL that became disallowed), and
// when the connection is made (the address the name resolves to then: DNS rebinding).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

export interface AllowedHost {
  /** Lower-case host name or IP address (IPv6 without brackets). */
  host: string;
  /** Absent: any port of that host. */
  port?: number;
}

export type Lookup = (hostname: string) => Promise<LookupAddress[]>;

export const DEFAULT_LEVEL_ALLOWED_HOSTS = 'api.level.io';

/** Thrown (as a connection error's cause) when a name resolves to an address the policy refuses. */
export const HOST_BLOCKED_CODE = 'ELEVELHOSTBLOCKED';

/** `host` or `host:port` entries, comma-separated (`[::1]:4010` for IPv6). Throws on a bad entry. */
export function parseAllowedHosts(text: string): AllowedHost[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map(parseEntry);
}

function parseEntry(entry: string): AllowedHost {
  let url: URL;
  try {
    url = new URL(`https://${entry}`);
  } catch {
    throw new Error(`"${entry}" is not a host or host:port`);
  }
  if (url.pathname !== '/' || url.username || url.search || url.hash || entry.includes('/'))
    throw new Error(`"${entry}" is not a host or host:port`);
  const port = /:\d+$/.test(entry) ? Number(entry.slice(entry.lastIndexOf(':') + 1)) : undefined;
  return { host: bare(url.hostname), ...(port === undefined ? {} : { port }) };
}

const defaultLookup: Lookup = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

export class LevelHostPolicy {
  constructor(
    readonly allowed: readonly AllowedHost[],
    private readonly lookup: Lookup = defaultLookup,
  ) {}

  static fromSetting(text: string | undefined): LevelHostPolicy {
    return new LevelHostPolicy(parseAllowedHosts(text ?? DEFAULT_LEVEL_ALLOWED_HOSTS));
  }

  /** A copy that also allows `extra` (demo mode adds its simulator). */
  including(extra: AllowedHost): LevelHostPolicy {
    return new LevelHostPolicy([...this.allowed, extra], this.lookup);
  }

  /** What is wrong with `raw` as a base URL without looking anything up, or null. */
  problemWith(raw: string): string | null {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return 'The base URL is not a valid URL';
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The base URL must use https';
    if (url.username || url.password) return 'The base URL must not carry credentials';
    if (raw.includes('?') || raw.includes('#')) return 'The base URL must not have a query or a fragment';
    const entry = this.entryFor(url);
    if (!entry) return `The host ${url.host} is not allowed (LEVEL_ALLOWED_HOSTS)`;
    if (url.protocol === 'http:' && !isLoopbackName(entry.host)) return 'The base URL must use https';
    const literal = bare(url.hostname);
    if (isIP(literal) && !this.addressAllowed(literal)) return `The address ${literal} is not allowed`;
    return null;
  }

  /** problemWith, then the addresses the host resolves to now (at save time). */
  async problemWithResolved(raw: string): Promise<string | null> {
    const problem = this.problemWith(raw);
    if (problem) return problem;
    const hostname = bare(new URL(raw).hostname);
    if (isIP(hostname)) return null;
    let addresses: LookupAddress[];
    try {
      addresses = await this.lookup(hostname);
    } catch {
      return `The host ${hostname} could not be resolved`;
    }
    const refused = addresses.find(({ address }) => !this.addressAllowed(address, hostname));
    return refused ? `The host ${hostname} resolves to ${refused.address}, which is not allowed` : null;
  }

  /**
   * May the service connect to `address`? Public addresses may; a loopback, private, link-local
   * or otherwise special one only when an entry names that address (or names `localhost` and the
   * address is loopback).
   */
  addressAllowed(address: string, viaHostname?: string): boolean {
    const ip = unmapped(address);
    if (!isSpecialAddress(ip)) return true;
    if (this.allowed.some((entry) => isIP(entry.host) && unmapped(entry.host) === ip)) return true;
    return (
      viaHostname !== undefined &&
      isLoopbackName(viaHostname) &&
      isLoopbackAddress(ip) &&
      this.allowed.some((entry) => entry.host === viaHostname)
    );
  }

  /** A `lookup` for the HTTP client: resolves, then refuses to connect to a disallowed address. */
  guardedLookup(): (hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => void {
    return (hostname, options, callback) => {
      this.lookup(hostname).then(
        (addresses) => {
          const refused = addresses.find(({ address }) => !this.addressAllowed(address, hostname));
          if (refused || addresses.length === 0) {
            callback(
              Object.assign(new Error(`${hostname} resolves to an address that is not allowed`), {
                code: HOST_BLOCKED_CODE,
              }),
            );
          } else if (options.all) {
            callback(null, addresses);
          } else {
            callback(null, addresses[0]!.address, addresses[0]!.family);
          }
        },
        (err: unknown) => callback(err),
      );
    };
  }

  private entryFor(url: URL): AllowedHost | undefined {
    const host = bare(url.hostname);
    const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    return this.allowed.find((entry) => entry.host === host && (entry.port === undefined || entry.port === port));
  }
}

// --- addresses -------------------------------------------------------------------------------

/** Everything that is not a public unicast address. */
const SPECIAL_RANGES = (() => {
  const list = new BlockList();
  for (const [network, prefix] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.0.2.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ] as const)
    list.addSubnet(network, prefix, 'ipv4');
  for (const [network, prefix] of [
    ['::', 128],
    ['::1', 128],
    ['64:ff9b::', 96],
    ['100::', 64],
    ['2001:db8::', 32],
    ['fc00::', 7],
    ['fe80::', 10],
    ['ff00::', 8],
  ] as const)
    list.addSubnet(network, prefix, 'ipv6');
  return list;
})();

const LOOPBACK = (() => {
  const list = new BlockList();
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addAddress('::1', 'ipv6');
  return list;
})();

function isSpecialAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return true;
  return SPECIAL_RANGES.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

function isLoopbackAddress(ip: string): boolean {
  const family = isIP(ip);
  return family !== 0 && LOOPBACK.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

function isLoopbackName(host: string): boolean {
  return host === 'localhost' || isLoopbackAddress(unmapped(host));
}

/** `::ffff:127.0.0.1` (which URLs write `::ffff:7f00:1`) is 127.0.0.1 to the kernel. */
function unmapped(ip: string): string {
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (dotted) return dotted[1]!;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
  if (!hex) return ip.toLowerCase();
  const [high, low] = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** URL.hostname keeps IPv6 brackets. */
function bare(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}
