// Sealed secrets are bound to their place (tenant, table, column) and to the key that sealed
// them; a rotation opens old values with MASTER_KEY_PREVIOUS until they are re-sealed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSecretBox, SecretUnreadableError, type SealContext } from '../../security/secret-box';
import { sealV1 } from '../support/sealed-v1';

const here: SealContext = { tenantId: 't-1', table: 'level_integrations', column: 'api_key_sealed' };

describe('security/secret-box', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  it('opens a value where it was sealed, and nowhere else', () => {
    const box = createSecretBox(newKey);
    const sealed = box.seal('lvk_secret', here);
    assert.equal(box.open(sealed, here), 'lvk_secret');
    for (const elsewhere of [
      { ...here, column: 'webhook_secret_sealed' },
      { ...here, tenantId: 't-2' },
      { ...here, table: 'other' },
    ]) {
      assert.throws(() => box.open(sealed, elsewhere), SecretUnreadableError, JSON.stringify(elsewhere));
    }
  });

  it('never says the secret in its errors', () => {
    const box = createSecretBox(newKey);
    const sealed = box.seal('lvk_do-not-print', here);
    assert.throws(
      () => box.open(sealed, { ...here, column: 'x' }),
      (err: Error) => !err.message.includes('lvk_do-not-print'),
    );
  });

  it('opens values of the previous key during a rotation, and seals under the new one', () => {
    const before = createSecretBox(oldKey).seal('lvk_rotate-me', here);
    const rotating = createSecretBox(newKey, oldKey);
    assert.equal(rotating.open(before, here), 'lvk_rotate-me');
    assert.equal(rotating.isCurrent(before), false);
    const after = rotating.seal('lvk_rotate-me', here);
    assert.equal(rotating.isCurrent(after), true);
    assert.equal(createSecretBox(newKey).open(after, here), 'lvk_rotate-me', 'the new key alone opens it');
    assert.throws(() => createSecretBox(newKey).open(before, here), /MASTER_KEY_PREVIOUS/);
  });

  it('opens v1 values only through openLegacy (the upgrade), with either key', () => {
    const legacy = sealV1(oldKey, 'whs_legacy');
    const box = createSecretBox(newKey, oldKey);
    assert.throws(() => box.open(legacy, here), /outdated format/);
    assert.equal(box.openLegacy(legacy), 'whs_legacy');
    assert.throws(() => createSecretBox(newKey).openLegacy(legacy), SecretUnreadableError);
  });
});
