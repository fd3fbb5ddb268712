// Root hooks: integration suites start shared services lazily (see test-env.ts); whatever was
// started is stopped once, after the whole run. Pure unit suites start nothing.
import { stopBrowser } from '../console/browser';
import { stopTestEnv } from './test-env';

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await stopBrowser();
    await stopTestEnv();
  },
};
