// Child-process entry of workflowBundleFile(): writes the workflow bundle to the given path.
import { writeFileSync } from 'node:fs';
import { bundleWorkflows } from './workflow-bundle';

const [outFile, traced] = process.argv.slice(2);
if (!outFile) {
  console.error('usage: bundle-workflows <out-file> [--traced]');
  process.exit(2);
}
bundleWorkflows(traced === '--traced').then(
  (bundle) => writeFileSync(outFile, bundle.code),
  (err: unknown) => {
    console.error(`bundling workflows failed: ${(err as Error).message}`);
    process.exit(1);
  },
);
