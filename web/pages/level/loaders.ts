// What the Level page loads. A configuration that does not exist yet is an answer here, not an
// error: the cards show what to do first.
import { ApiError, get } from '../../api/client';
import { fetchAll } from '../../api/lists';
import type { Group, Integration, WebhookCard } from '../../api/types';

export const LEVEL = '/api/v1/integrations/level';

/** null: never configured (the API's 404). */
export async function loadIntegration(): Promise<Integration | null> {
  try {
    return await get<Integration>(LEVEL);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** The groups (none before the first configuration: 404). */
export async function loadGroups(): Promise<Group[]> {
  try {
    return await fetchAll<Group>(`${LEVEL}/groups`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return [];
    throw err;
  }
}

/** The webhook card; null when there is none to show (never configured: 404, disconnected: 409). */
export async function loadWebhook(): Promise<WebhookCard | null> {
  try {
    return await get<WebhookCard>(`${LEVEL}/webhook`);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 409)) return null;
    throw err;
  }
}
