// Every run started in the console links to its page in the Temporal UI (TEMPORAL_UI_URL).
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { consoleConfig, temporalRunUrl, type ConsoleConfig } from '../api/console-config';

export function RunLink({
  workflowId,
  runId,
  label,
}: {
  workflowId: string;
  runId?: string | undefined;
  label?: string;
}) {
  const [config, setConfig] = useState<ConsoleConfig | undefined>(undefined);
  useEffect(() => {
    consoleConfig().then(setConfig, () => undefined);
  }, []);
  if (!config) return null;
  return html`<a class="run-link" href=${temporalRunUrl(config, workflowId, runId)} target="_blank" rel="noopener noreferrer">${label ?? 'View run in Temporal UI'}</a>`;
}
