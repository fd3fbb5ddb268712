// LEVEL_ALLOWED_HOSTS: which base URLs may be saved and called, checked without a lookup, with
// the name's addresses at save time, and again when the connection is made (DNS rebinding). The
// transport tests send real HTTP to servers on loopback; only DNS answers are made up.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLevelClient } from '../../level/client';
import { LevelApiError } from '../../level/errors';
import { LevelHostPolicy, parseAllowedHosts, type Lookup } from '../../level/host-policy';
import type { LevelSimulator } from '../../simulator';
import { handMadeFleet, KEY, rejection, startSimulator } from './helpers';

const resolvesTo =
  (...addresses: string[]): Lookup =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('Level host policy (LEVEL_ALLOWED_HOSTS)', () => {
  describe('entries', () => {
    it('parses hosts, host:port and bracketed IPv6', () => {
      assert.deepEqual(parseAllowedHosts(' api.level.io, 127.0.0.1:4010 ,[::1]:8080,'), [
        { host: 'api.level.io' },
        { host: '127.0.0.1', port: 4010 },
        { host: '::1', port: 8080 },
      ]);
    });

    it('refuses an entry that is a URL rather than a host', () => {
      assert.throws(() => parseAllowedHosts('https://api.level.io/v2'), /not a host/);
      assert.throws(() => parseAllowedHosts('user@api.level.io'), /not a host/);
    });
  });

  describe('base URLs, without a lookup', () => {
    const policy = LevelHostPolicy.fromSetting('api.level.io,127.0.0.1:4010,10.1.2.3');
    const problem = (url: string) => policy.problemWith(url);

    it('allows the default host over https, on any port, and a listed loopback port over http', () => {
      assert.equal(problem('https://api.level.io'), null);
      assert.equal(problem('https://API.level.io:8443/'), null);
      assert.equal(problem('http://127.0.0.1:4010'), null);
    });

    it('refuses other schemes, and http to a host that is not loopback', () => {
      assert.match(problem('ftp://api.level.io') ?? '', /https/);
      assert.match(problem('http://api.level.io') ?? '', /https/);
      assert.match(problem('http://10.1.2.3') ?? '', /https/);
    });

    it('refuses credentials, a query and a fragment (even an empty one)', () => {
      assert.match(problem('https://user:pw@api.level.io') ?? '', /credentials/);
      assert.match(problem('https://api.level.io/?x=1') ?? '', /query or a fragment/);
      assert.match(problem('http://127.0.0.1:4010/#') ?? '', /query or a fragment/);
    });

    it("refuses hosts and ports that no entry names (the review's port scan)", () => {
      assert.match(problem('http://127.0.0.1:54329/') ?? '', /not allowed/);
      assert.match(problem('http://127.0.0.1:8233/api/v1/namespaces') ?? '', /not allowed/);
      assert.match(problem('http://localhost:4010') ?? '', /not allowed/);
      assert.match(problem('https://api.level.io.evil.example') ?? '', /not allowed/);
      assert.match(problem('http://[::ffff:127.0.0.1]:4010') ?? '', /not allowed/);
      assert.match(problem('not a url') ?? '', /not a valid URL/);
    });
  });

  describe('addresses', () => {
    it('allows public addresses, and special ones only when an entry names them', () => {
      const policy = LevelHostPolicy.fromSetting('api.level.io,10.1.2.3');
      assert.equal(policy.addressAllowed('93.184.216.34'), true);
      assert.equal(policy.addressAllowed('2606:4700::1111'), true);
      for (const address of [
        '127.0.0.1',
        '10.0.0.1',
        '172.16.5.4',
        '192.168.1.1',
        '169.254.169.254',
        '0.0.0.0',
        '::1',
        'fe80::1',
        'fd00::1',
        '::ffff:127.0.0.1',
        '::ffff:7f00:1',
      ]) {
        assert.equal(policy.addressAllowed(address), false, address);
      }
      assert.equal(policy.addressAllowed('10.1.2.3'), true, 'listed');
    });

    it('lets a `localhost` entry reach loopback through that name only', () => {
      const policy = LevelHostPolicy.fromSetting('localhost:4010');
      assert.equal(policy.addressAllowed('127.0.0.1', 'localhost'), true);
      assert.equal(policy.addressAllowed('127.0.0.1', 'level.example'), false);
      assert.equal(policy.addressAllowed('10.0.0.1', 'localhost'), false);
    });

    it('refuses at save time a name that resolves to a private or metadata address', async () => {
      const rebinding = new LevelHostPolicy(
        parseAllowedHosts('level.example'),
        resolvesTo('93.184.216.34', '169.254.169.254'),
      );
      assert.match(
        (await rebinding.problemWithResolved('https://level.example')) ?? '',
        /resolves to 169\.254\.169\.254/,
      );
      const honest = new LevelHostPolicy(parseAllowedHosts('level.example'), resolvesTo('93.184.216.34'));
      assert.equal(await honest.problemWithResolved('https://level.example'), null);
      const missing = new LevelHostPolicy(parseAllowedHosts('level.example'), () =>
        Promise.reject(new Error('ENOTFOUND')),
      );
      assert.match((await missing.problemWithResolved('https://level.example')) ?? '', /could not be resolved/);
    });
  });

  describe('the transport', () => {
    let simulator: LevelSimulator;
    before(async () => {
      simulator = await startSimulator({ fleet: handMadeFleet() });
    });
    after(() => simulator.close());

    const port = () => Number(new URL(simulator.url).port);

    it('calls an allowed host', async () => {
      const client = createLevelClient({
        baseUrl: simulator.url,
        apiKey: KEY,
        hostPolicy: LevelHostPolicy.fromSetting(`127.0.0.1:${port()}`),
      });
      assert.equal((await client.listGroupsPage({ limit: 1 })).data.length, 1);
    });

    it('never contacts a stored base URL that the allowlist does not cover', async () => {
      const before = simulator.stats.countUnder('/v2');
      const client = createLevelClient({
        baseUrl: simulator.url,
        apiKey: KEY,
        hostPolicy: LevelHostPolicy.fromSetting('api.level.io'),
      });
      const error = await rejection(client.listGroupsPage());
      assert.ok(error instanceof LevelApiError);
      assert.equal(error.code, 'invalid_base_url');
      assert.equal(error.retryable, false);
      assert.equal(simulator.stats.countUnder('/v2'), before, 'no request reached the host');
    });

    it('refuses to connect when an allowed name resolves to loopback at request time (DNS rebinding)', async () => {
      const before = simulator.stats.countUnder('/v2');
      const viaName = (name: string) =>
        createLevelClient({
          baseUrl: `http://${name}:${port()}`,
          apiKey: KEY,
          maxRetries: 0,
          hostPolicy: new LevelHostPolicy(parseAllowedHosts(`${name}:${port()}`), resolvesTo('127.0.0.1')),
        });
      // `localhost` may be loopback: the request goes through to the simulator.
      assert.equal((await viaName('localhost').listGroupsPage({ limit: 1 })).data.length, 1);
      // https to a public-looking name that now resolves to 127.0.0.1: refused before connecting.
      const rebound = createLevelClient({
        baseUrl: `https://level.example:${port()}`,
        apiKey: KEY,
        maxRetries: 0,
        hostPolicy: new LevelHostPolicy(parseAllowedHosts('level.example'), resolvesTo('127.0.0.1')),
      });
      const error = await rejection(rebound.listGroupsPage());
      assert.ok(error instanceof LevelApiError, String(error));
      assert.equal(error.code, 'invalid_base_url');
      assert.equal(simulator.stats.countUnder('/v2'), before + 1, 'only the localhost request arrived');
    });

    describe('answers larger than the cap', () => {
      let server: Server;
      let url: string;
      before(async () => {
        // A compromised endpoint streaming a huge body, with and without Content-Length.
        server = createServer((req, res) => {
          const body = Buffer.alloc(2 * 1024 * 1024, 'a');
          if (req.url?.includes('declared')) res.setHeader('content-length', body.length);
          res.setHeader('content-type', 'application/json');
          res.end(body);
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      });
      after(() => new Promise<void>((resolve) => server.close(() => resolve())));

      for (const path of ['/declared', '/streamed']) {
        it(`fails cleanly, without retrying (${path.slice(1)})`, async () => {
          const client = createLevelClient({
            baseUrl: `${url}${path}`,
            apiKey: KEY,
            maxResponseBytes: 1024 * 1024,
            retryBaseDelayMs: 1,
          });
          const error = await rejection(client.listGroupsPage());
          assert.ok(error instanceof LevelApiError, String(error));
          assert.equal(error.code, 'response_too_large');
          assert.equal(error.retryable, false);
        });
      }
    });
  });
});
