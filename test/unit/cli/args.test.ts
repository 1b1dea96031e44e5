import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CliError, parseCli } from '../../../firmware/cli/args.ts';

test('--config and --board are read; defaults otherwise', () => {
  assert.deepEqual(parseCli(['--config', 'p.json', '--board', 'rpi4']), {
    configFile: 'p.json', board: 'rpi4', logLevel: undefined, help: false, version: false,
  });
  assert.equal(parseCli([]).configFile, undefined);
});

test('an unknown option is a CliError naming it', () => {
  assert.throws(() => parseCli(['--confg', 'x']), (e: unknown) => e instanceof CliError && /--confg/.test(e.message));
});
