// Encryption at rest for Level API keys and webhook secrets: AES-256-GCM with a random 96-bit
// nonce per value, and associated data naming where the value belongs (tenant, table, column):
// a sealed value copied to another column or tenant fails to open instead of being revealed
// there. Stored form: "v2:<key id>:<nonce b64>:<tag b64>:<ciphertext b64>", where the key id
// (a short SHA-256 fingerprint) says which master key sealed it, so that during a rotation
// (MASTER_KEY new, MASTER_KEY_PREVIOUS old) each value opens with its own key.
// "v1:<nonce>:<tag>:<ciphertext>" values (no associated data, one key) are only opened by the
// re-sealing that upgrades them (db/secret-reseal.ts).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v2';
const LEGACY_VERSION = 'v1';

export function parseMasterKey(value: string): Buffer {
  const trimmed = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error('must be 32 bytes, base64 or hex encoded');
  return key;
}

export function generateMasterKey(): string {
  return randomBytes(32).toString('base64');
}

/** Where a sealed value lives: bound into the ciphertext as associated data. */
export interface SealContext {
  tenantId: string;
  table: string;
  column: string;
}

export interface SecretBox {
  seal(plaintext: string, context: SealContext): string;
  /** Throws SecretUnreadableError when the value was sealed elsewhere, or under an unknown key. */
  open(sealed: string, context: SealContext): string;
  /** Sealed in the current format under the current key (a rotation leaves it as it is). */
  isCurrent(sealed: string): boolean;
  /** A v1 value (no associated data), opened with the current or the previous key. */
  openLegacy(sealed: string): string;
}

export class SecretUnreadableError extends Error {
  override name = 'SecretUnreadableError';
}

export function createSecretBox(masterKey: Buffer, previousKey?: Buffer): SecretBox {
  for (const key of [masterKey, previousKey])
    if (key && key.length !== 32) throw new Error('master key must be 32 bytes');
  const currentId = keyId(masterKey);
  const keys = new Map([[currentId, masterKey], ...(previousKey ? [[keyId(previousKey), previousKey] as const] : [])]);
  return {
    seal(plaintext, context) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv(ALGORITHM, masterKey, nonce).setAAD(associatedData(context));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [
        VERSION,
        currentId,
        ...[nonce, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64')),
      ].join(':');
    },
    open(sealed, context) {
      const [version, id, nonce, tag, ciphertext] = sealed.split(':');
      if (version !== VERSION || !id || !nonce || !tag || ciphertext === undefined)
        throw new SecretUnreadableError('The stored secret is in an unknown or outdated format');
      const key = keys.get(id);
      if (!key)
        throw new SecretUnreadableError(
          'The stored secret was sealed under a master key this process does not have (set MASTER_KEY_PREVIOUS during a rotation)',
        );
      return decrypt(key, nonce, tag, ciphertext, associatedData(context));
    },
    isCurrent(sealed) {
      return sealed.startsWith(`${VERSION}:${currentId}:`);
    },
    openLegacy(sealed) {
      const [version, nonce, tag, ciphertext] = sealed.split(':');
      if (version !== LEGACY_VERSION || !nonce || !tag || ciphertext === undefined)
        throw new SecretUnreadableError('Not a v1 sealed value');
      for (const key of keys.values()) {
        try {
          return decrypt(key, nonce, tag, ciphertext, null);
        } catch {
          // try the other key
        }
      }
      throw new SecretUnreadableError('The v1 sealed value opens with neither MASTER_KEY nor MASTER_KEY_PREVIOUS');
    },
  };
}

function decrypt(key: Buffer, nonce: string, tag: string, ciphertext: string, aad: Buffer | null): string {
  try {
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(nonce, 'base64'));
    if (aad) decipher.setAAD(aad);
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    // GCM's authentication failed: another key, another place, or a modified value.
    throw new SecretUnreadableError(
      'The stored secret does not open here (sealed for another tenant or column, or modified)',
    );
  }
}

function associatedData({ tenantId, table, column }: SealContext): Buffer {
  return Buffer.from(`levelsync/${tenantId}/${table}/${column}`, 'utf8');
}

/** 8 hex characters of the key's SHA-256: enough to tell two keys apart, nothing about either. */
function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** What an admin may see of a secret: its last four characters. */
export function secretHint(secret: string): string {
  return `…${secret.slice(-4)}`;
}
