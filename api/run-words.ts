// The summary and static details an operation's run shows in the Temporal UI, in words: which
// Level it talks to and, for a sync, how many mapped subtrees it covers. Never a key.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { LevelIntegration } from '../db/entities';
import { loadGroupTree } from '../db/group-tree-store';
import type { Operation } from '../contracts/workflow-ids';

export interface RunWords {
  summary: string;
  details: string;
}

export async function operationRunWords(
  em: EntityManager,
  operation: Operation,
  integration: LevelIntegration,
  fallback: string,
): Promise<RunWords> {
  const level = levelUrl(integration.baseUrl)?.host ?? 'Level';
  // The origin only: whatever else a stored URL holds (a path, credentials) stays out of the UI.
  const details = [
    `**Tenant** ${integration.tenantId}`,
    `**Level** ${levelUrl(integration.baseUrl)?.origin ?? '(invalid URL)'}`,
    `**Operation** ${operation}`,
  ];
  switch (operation) {
    case 'test-connection':
      return { summary: `Test connection — ${level}`, details: details.join('\n') };
    case 'discover-groups':
      return { summary: `Discover groups — ${level}`, details: details.join('\n') };
    case 'backfill-alerts':
      return { summary: `Backfill alerts — ${level}`, details: details.join('\n') };
    case 'device-sync': {
      // The same roots the run's plan will take (the top-most mapped groups).
      const roots = (await loadGroupTree(em, integration.tenantId)).syncRoots.length;
      return {
        summary: `Device sync — ${roots} mapped root${roots === 1 ? '' : 's'}`,
        details: [...details, `**Mapped roots at start** ${roots}`].join('\n'),
      };
    }
    default:
      return { summary: fallback, details: details.join('\n') };
  }
}

function levelUrl(baseUrl: string): URL | undefined {
  try {
    return new URL(baseUrl);
  } catch {
    return undefined;
  }
}
