// Search attributes that let operators filter runs in the Temporal UI by tenant and operation,
// and alert runs by device and status. Imported by workflows too, so this file must stay free of I/O.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TENANT_ATTRIBUTE = defineSearchAttributeKey('LevelTenant', SearchAttributeType.KEYWORD);
export const OPERATION_ATTRIBUTE = defineSearchAttributeKey('LevelOperation', SearchAttributeType.KEYWORD);
/** Alert runs: the Level device the alert is on. */
export const DEVICE_ATTRIBUTE = defineSearchAttributeKey('LevelDeviceId', SearchAttributeType.KEYWORD);
/** Alert runs: active, suppressed, resolved or failed (kept current by the run). */
export const ALERT_STATUS_ATTRIBUTE = defineSearchAttributeKey('LevelAlertStatus', SearchAttributeType.KEYWORD);

/** Name → type, as the dev server's `--search-attribute Name=Keyword` flag and the operator API take them. */
export const SEARCH_ATTRIBUTE_KEYS = [TENANT_ATTRIBUTE, OPERATION_ATTRIBUTE, DEVICE_ATTRIBUTE, ALERT_STATUS_ATTRIBUTE];

export const SEARCH_ATTRIBUTES = SEARCH_ATTRIBUTE_KEYS.map((key) => ({ name: key.name, type: 'Keyword' as const }));

/** The attributes every run of ours carries, so the UI can filter by tenant and operation. */
export function runSearchAttributes(tenantId: string, operation: string) {
  return [
    { key: TENANT_ATTRIBUTE, value: tenantId },
    { key: OPERATION_ATTRIBUTE, value: operation },
  ];
}
