import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, defaultConfig, loadConfigFile, parseConfigText } from '../../../firmware/config/load-config.ts';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error.problems.map((p) => `${p.path}: ${p.reason}`);
  }
  assert.fail('expected the configuration to be refused');
}

test('an empty file gives the simulated board listening on 5060 UDP and TCP with no lines', () => {
  const config = defaultConfig();
  assert.equal(config.device.board, 'sim');
  assert.equal(config.sip.udpPort, 5060);
  assert.equal(config.sip.tcpPort, 5060);
  assert.deepEqual(config.lines, []);
  assert.equal(config.sip.timers.t1Ms, 500);
});

test('a line gets its defaults filled in', () => {
  const config = parseConfigText(JSON.stringify({ lines: [{ id: 'line1', user: 'alice', domain: 'pbx.test' }] }), 'x.json');
  const line = config.lines[0];
  assert.ok(line);
  assert.equal(line.registerExpiresSec, 3600);
  assert.equal(line.transport, undefined);
  assert.equal(line.enabled, true);
});

test('every problem is listed with its path and reason, not only the first', () => {
  const problems = problemsOf(() =>
    parseConfigText(
      JSON.stringify({
        sip: { udpPort: 70000, timers: { t1Ms: 'fast' } },
        lines: [
          { id: 'line1', user: 'alice', domain: 'pbx.test', registerExpireSec: 60 },
          { id: 'line1', user: '', domain: 'bad host!', registrar: 'http://x', auth: { username: 'a' } },
        ],
      }),
      'phone.json',
    ),
  );
  const joined = problems.join('\n');
  assert.match(joined, /^sip\.udpPort: /m);
  assert.match(joined, /^sip\.timers\.t1Ms: /m);
  assert.match(joined, /^lines\[0\]: Unrecognized key: "registerExpireSec"/m);
  assert.match(joined, /^lines\[1\]\.user: /m);
  assert.match(joined, /^lines\[1\]\.domain: must be a host name/m);
  assert.match(joined, /^lines\[1\]\.registrar: must be a sip: or sips: URI/m);
  assert.match(joined, /^lines\[1\]\.auth\.password: /m);
  assert.match(joined, /^lines\[1\]\.id: duplicate line id "line1" \(also lines\[0\]\)/m);
  assert.equal(problems.length, 8);
});

test('a JSON syntax error names the line and column', () => {
  const problems = problemsOf(() => parseConfigText('{\n  "lines": [\n    {"id": "x",}\n  ]\n}', 'phone.json'));
  assert.equal(problems.length, 1);
  assert.match(problems[0] ?? '', /not valid JSON at line 3, column \d+/);
});

test('a missing file is refused naming the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'deskphone-config-'));
  await assert.rejects(loadConfigFile(join(dir, 'nope.json')), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /nope\.json is invalid \(1 problem\):\n {2}- \(document\): file not found/);
    return true;
  });
  const file = join(dir, 'ok.json');
  await writeFile(file, '{"log": {"level": "debug"}}');
  assert.equal((await loadConfigFile(file)).log.level, 'debug');
});

test('__proto__ keys in the file cannot pollute prototypes', () => {
  const problems = problemsOf(() => parseConfigText('{"__proto__": {"polluted": true}, "device": {"__proto__": {"x": 1}}}', 'p.json'));
  assert.ok(problems.length >= 1);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});
