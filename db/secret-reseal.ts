// Re-sealing the stored secrets of every Level integration under the current master key and
// format: at start-up for values still in the v1 format (no associated data), and for all values
// when `npm run admin -- master-key:rotate` runs while MASTER_KEY_PREVIOUS opens the old ones.
// Each row is updated only if its value is still the one read, so processes re-sealing at once
// (API and workers starting together) and a person saving a new key meanwhile are both safe.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../security/secret-box';
import { INTEGRATION_SECRET_COLUMNS, integrationSecret, type IntegrationSecretColumn } from './integration-secrets';

export interface ResealReport {
  /** Values re-sealed by this call. */
  resealed: number;
  /** Values that were already current (or, with legacyOnly, not v1). */
  current: number;
}

type SecretRow = { id: string; tenant_id: string } & Record<IntegrationSecretColumn, string | null>;

export async function resealIntegrationSecrets(
  em: EntityManager,
  secretBox: SecretBox,
  options: { legacyOnly: boolean },
): Promise<ResealReport> {
  const rows = await em.execute<SecretRow[]>(
    `select "id", "tenant_id", ${INTEGRATION_SECRET_COLUMNS.map((c) => `"${c}"`).join(', ')} from "level_integrations"`,
  );
  const report: ResealReport = { resealed: 0, current: 0 };
  for (const row of rows) {
    for (const column of INTEGRATION_SECRET_COLUMNS) {
      const sealed = row[column];
      if (sealed === null) continue;
      const legacy = sealed.startsWith('v1:');
      if (secretBox.isCurrent(sealed) || (options.legacyOnly && !legacy)) {
        report.current += 1;
        continue;
      }
      const context = integrationSecret({ tenantId: row.tenant_id }, column);
      const plaintext = legacy ? secretBox.openLegacy(sealed) : secretBox.open(sealed, context);
      const updated = await em.execute(
        `update "level_integrations" set "${column}" = ? where "id" = ? and "${column}" = ?`,
        [secretBox.seal(plaintext, context), row.id, sealed],
        'run',
      );
      if ((updated as { affectedRows?: number }).affectedRows !== 0) report.resealed += 1;
    }
  }
  return report;
}
