import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SineGenerator } from '../../../hal/audio/simulated/sine-generator.ts';
import { makeTestTempDir } from '../../support/test-temp-dir.ts';
import { nativeModulesMissing, writeAlsaTestConfig } from './alsa-test-config.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const childScript = join(root, 'test/hil/audio/alsa-child.ts');
const skip = nativeModulesMissing();

interface ChildResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly result: Record<string, unknown> | undefined;
}

/** Runs one scenario in a child whose alsa-lib reads our configuration. */
function runChild(configPath: string, scenario: Record<string, unknown>): ChildResult {
  const child = spawnSync(process.execPath, ['--import', 'tsx', childScript], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ALSA_CONFIG_PATH: configPath, DESKPHONE_ALSA_TEST: JSON.stringify(scenario) },
  });
  const line = child.stdout.trim().split('\n').at(-1);
  let result: Record<string, unknown> | undefined;
  try {
    result = line ? (JSON.parse(line) as Record<string, unknown>) : undefined;
  } catch {
    result = undefined;
  }
  return { status: child.status, signal: child.signal, stderr: child.stderr, result };
}

function readSamples(path: string): Int16Array {
  const bytes = readFileSync(path);
  return new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

describe('ALSA driver through alsa-lib plugins (no sound card needed)', { skip }, () => {
  test('playback: a 1 s 440 Hz tone played to PCM "tap" lands sample for sample in the raw file', async () => {
    const dir = await makeTestTempDir('alsa');
    const config = writeAlsaTestConfig(dir, { withDefault: true });
    const tone = new SineGenerator({ sampleRateHz: 8000, frequencyHz: 440, levelDbfs: -6 }).next(8000);
    const tonePath = join(dir, 'tone.raw');
    writeFileSync(tonePath, new Uint8Array(tone.buffer));
    const run = runChild(config.configPath, { mode: 'play', device: 'tap', rawPath: tonePath });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.result, { ok: true, frames: 50, underruns: [] });
    const played = readSamples(config.playbackRawPath);
    assert.equal(played.length, tone.length);
    assert.deepEqual(played, tone);
  });

  test('capture: PCM "mic" reading a known raw file gives exactly those samples in 160-sample frames', async () => {
    const dir = await makeTestTempDir('alsa');
    const config = writeAlsaTestConfig(dir, { withDefault: true });
    const known = Int16Array.from({ length: 4000 }, (_, i) => ((i * 7919) % 65536) - 32768);
    writeFileSync(config.captureRawPath, new Uint8Array(known.buffer));
    const outPath = join(dir, 'captured.raw');
    const run = runChild(config.configPath, { mode: 'capture', device: 'mic', rawPath: outPath, frames: 25 });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.result, { ok: true, frames: 25, lengths: [160] });
    assert.deepEqual(readSamples(outPath), known);
  });

  test('a missing playback device: our error naming it, the child exits normally', async () => {
    const dir = await makeTestTempDir('alsa');
    const config = writeAlsaTestConfig(dir, { withDefault: true });
    const run = runChild(config.configPath, { mode: 'start-sink', device: 'plughw:CARD=NoSuchCard' });
    assert.equal(run.signal, null);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.result?.kind, 'device-missing');
    assert.equal(run.result?.device, 'plughw:CARD=NoSuchCard');
    assert.match(String(run.result?.message), /^audio playback device "plughw:CARD=NoSuchCard": device missing or cannot be opened \(ALSA: /);
  });

  test('a missing capture device: our error naming it', async () => {
    const dir = await makeTestTempDir('alsa');
    const config = writeAlsaTestConfig(dir, { withDefault: true });
    const run = runChild(config.configPath, { mode: 'start-source', device: 'nomic' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.result?.kind, 'device-missing');
    assert.match(String(run.result?.message), /^audio capture device "nomic": device missing or cannot be opened \(ALSA: Unable to open PCM device/);
  });

  test('no default PCM: the alsa sink refuses with our message instead of speaker aborting the process', async () => {
    const dir = await makeTestTempDir('alsa');
    const config = writeAlsaTestConfig(dir, { withDefault: false });
    const run = runChild(config.configPath, { mode: 'start-sink', device: 'tap' });
    assert.equal(run.signal, null, 'the child must not abort');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.result?.kind, 'device-missing');
    assert.match(String(run.result?.message), /ALSA has no usable "default" PCM \(ALSA: Unknown PCM default\)/);
  });

  test('no default PCM: importing hal/audio and creating the alsa driver does not abort and loads no native module', async () => {
    const dir = await makeTestTempDir('alsa');
    const config = writeAlsaTestConfig(dir, { withDefault: false });
    const run = runChild(config.configPath, { mode: 'import-index' });
    assert.equal(run.signal, null);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.result, { ok: true, natives: [] });
  });

  test('(control) speaker itself does abort the process without a default PCM', async () => {
    const dir = await makeTestTempDir('alsa');
    const config = writeAlsaTestConfig(dir, { withDefault: false });
    const child = spawnSync(process.execPath, ['-e', "require('speaker')"], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ALSA_CONFIG_PATH: config.configPath },
    });
    assert.equal(child.signal, 'SIGABRT', `status ${child.status}, signal ${child.signal}`);
  });
});

if (skip) test(`ALSA tests skipped: ${skip}`, { skip }, () => undefined);
