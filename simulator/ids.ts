// Level ids are opaque, unpadded base64 strings that can contain `/` and `+`. The simulator
// makes sure a good share of its ids do, so any client that forgets to URL-encode breaks loudly.
import { Prng } from './prng';

export type IdStyle = 'random' | 'gid';
export type IdKind = 'Group' | 'Device' | 'Alert' | 'Tag';

const SLASH_POSITION = 4;
const PLUS_POSITION = 10;

export class IdFactory {
  private sequence = 0;

  constructor(
    private readonly prng: Prng,
    private readonly style: IdStyle = 'random',
  ) {}

  next(kind: IdKind): string {
    this.sequence += 1;
    return this.style === 'gid' ? gidId(kind, this.sequence) : this.randomId(this.sequence);
  }

  /** 16 random bytes; one id in three gets a `/`, one in three a `+`, at a fixed spot. */
  private randomId(sequence: number): string {
    const chars = toUnpaddedBase64(this.prng.bytes(16)).split('');
    if (sequence % 3 === 0) chars[SLASH_POSITION] = '/';
    if (sequence % 3 === 1) chars[PLUS_POSITION] = '+';
    return chars.join('');
  }
}

/** Like Level's GraphQL-style global ids: base64 of `gid://level/<Kind>/<n>`. */
function gidId(kind: IdKind, sequence: number): string {
  return toUnpaddedBase64(Buffer.from(`gid://level/${kind}/${sequence}`));
}

function toUnpaddedBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replace(/=+$/, '');
}
