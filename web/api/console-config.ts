// What the service tells the console about itself (GET /console/config.json, no secrets):
// where the Temporal UI is, so each run started here links to its page.
export interface ConsoleConfig {
  temporalUiUrl: string;
  temporalNamespace: string;
}

let loaded: Promise<ConsoleConfig> | undefined;

export function consoleConfig(): Promise<ConsoleConfig> {
  loaded ??= fetch('/console/config.json').then((response) => response.json() as Promise<ConsoleConfig>);
  return loaded;
}

export function temporalRunUrl(config: ConsoleConfig, workflowId: string, runId: string | undefined): string {
  const base = `${config.temporalUiUrl}/namespaces/${encodeURIComponent(config.temporalNamespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${encodeURIComponent(runId)}/history` : base;
}
