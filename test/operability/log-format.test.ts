// LOG_FORMAT: pretty lines for a person at a terminal, JSON for collectors; redaction either way.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { loadConfig } from '../../config/config';
import { logDestination } from '../../config/log-format';
import { createLogger } from '../../config/logger';

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  const out = Object.assign(new Writable({ write: (chunk, _enc, done) => void (chunks.push(String(chunk)), done()) }), {
    isTTY,
  });
  return { out, text: () => chunks.join('') };
}

describe('log format', () => {
  it('writes readable lines on a terminal, without the secret', () => {
    const sink = capture(true);
    createLogger('info', 'level-api', logDestination(undefined, sink.out)).info(
      { apiKey: 'lvl_secret_key', tenantId: 't-1' },
      'API listening',
    );
    // Colours on a terminal: compare the text without them.
    const text = stripVTControlCharacters(sink.text());
    assert.match(text, /INFO/);
    assert.match(text, /INFO \(level-api\): API listening/);
    assert.doesNotMatch(text, /^\{"level"/m, 'not JSON');
    assert.doesNotMatch(text, /lvl_secret_key/);
    assert.match(text, /\[redacted\]/);
  });

  it('writes JSON when not a terminal, and LOG_FORMAT overrides either way', () => {
    const plain = capture(false);
    createLogger('info', 'level-worker', logDestination(undefined, plain.out)).info('worker running');
    assert.equal(JSON.parse(plain.text()).msg, 'worker running');

    const forcedJson = capture(true);
    createLogger('info', 'x', logDestination('json', forcedJson.out)).info('hello');
    assert.equal(JSON.parse(forcedJson.text()).msg, 'hello');

    const forcedPretty = capture(false);
    createLogger('info', 'x', logDestination('pretty', forcedPretty.out)).info('hello');
    assert.match(forcedPretty.text(), /INFO \(x\): hello/);
  });

  it('validates LOG_FORMAT', () => {
    assert.equal(loadConfig({}).logFormat, undefined);
    assert.equal(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat, 'pretty');
    assert.throws(() => loadConfig({ LOG_FORMAT: 'yaml' }), /LOG_FORMAT/);
  });
});
