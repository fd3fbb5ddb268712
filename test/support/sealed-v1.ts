// A value as the v1 sealed format stored it (AES-256-GCM, no associated data, no key id): what
// the upgrade at start-up and master-key:rotate must still open.
import { createCipheriv, randomBytes } from 'node:crypto';

export function sealV1(key: Buffer, plaintext: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', nonce, cipher.getAuthTag(), ciphertext]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64')))
    .join(':');
}
