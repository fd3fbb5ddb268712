// `npm run temporal:install`: makes sure the Temporal CLI (dev server + UI) is available,
// building it from the Go module proxy into the cache when it is not.
import { ensureTemporalCli, TEMPORAL_CLI_VERSION } from '../devserver/temporal-cli';

ensureTemporalCli(process.env, (line) => console.log(line)).then(
  (path) => {
    if (!path) {
      console.log(
        `No Temporal CLI ${TEMPORAL_CLI_VERSION} and no Go toolchain: the SDK will download the CLI on first use (needs internet).`,
      );
      return;
    }
    console.log(`Temporal CLI: ${path}`);
  },
  (err: unknown) => {
    console.error(`temporal:install failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
