import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { AudioDeviceError } from '../../../../hal/audio/audio-device-error.ts';
import { audioFormat } from '../../../../hal/audio/audio-format.ts';
import { FileSink } from '../../../../hal/audio/file/file-sink.ts';
import { FileSource } from '../../../../hal/audio/file/file-source.ts';
import { pcm16Samples, readWav } from '../../../../hal/audio/file/wav-reader.ts';
import { wavHeader } from '../../../../hal/audio/file/wav-writer.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { makeTestTempDir } from '../../../support/test-temp-dir.ts';

const format = audioFormat({ sampleRateHz: 8000 });

function wavBytes(sampleRateHz: number, samples: Int16Array, channels = 1): Uint8Array {
  const header = wavHeader(sampleRateHz, samples.byteLength);
  const view = new DataView(header.buffer);
  view.setUint16(22, channels, true);
  const out = new Uint8Array(header.length + samples.byteLength);
  out.set(header);
  out.set(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength), header.length);
  return out;
}

const ramp = (count: number): Int16Array => Int16Array.from({ length: count }, (_, i) => i);

describe('file driver: WAV in', () => {
  test('delivers the file frame by frame in real time, pads the last frame, then ends', async () => {
    const dir = await makeTestTempDir('audio-file');
    const path = join(dir, 'in.wav');
    writeFileSync(path, wavBytes(8000, ramp(400)));
    const clock = new FakeClock();
    const source = new FileSource({ path, format, clock });
    const frames: Int16Array[] = [];
    let ended = 0;
    source.on('frame', (e) => frames.push(e.samples));
    source.on('ended', () => ended++);
    await source.start();
    clock.advance(0);
    assert.equal(frames.length, 1);
    clock.advance(1000);
    assert.equal(frames.length, 3);
    assert.equal(ended, 1);
    assert.deepEqual([...frames[0]!.slice(0, 3)], [0, 1, 2]);
    assert.deepEqual([...frames[2]!.slice(70, 85)], [390, 391, 392, 393, 394, 395, 396, 397, 398, 399, 0, 0, 0, 0, 0]);
    await source.stop();
  });

  test('loop: starts again at the end, seamlessly', async () => {
    const dir = await makeTestTempDir('audio-file');
    const path = join(dir, 'in.wav');
    writeFileSync(path, wavBytes(8000, ramp(200)));
    const clock = new FakeClock();
    const source = new FileSource({ path, format, clock, loop: true });
    const samples: number[] = [];
    source.on('frame', (e) => samples.push(...e.samples));
    await source.start();
    clock.advance(40);
    await source.stop();
    assert.equal(samples.length, 480);
    assert.deepEqual(samples.slice(195, 205), [195, 196, 197, 198, 199, 0, 1, 2, 3, 4]);
  });

  test('a 16 kHz file is resampled to the device rate, or refused with resample: false', async () => {
    const dir = await makeTestTempDir('audio-file');
    const path = join(dir, 'wide.wav');
    writeFileSync(path, wavBytes(16000, Int16Array.from({ length: 3200 }, (_, i) => i * 2)));
    const clock = new FakeClock();
    const source = new FileSource({ path, format, clock });
    const samples: number[] = [];
    source.on('frame', (e) => samples.push(...e.samples));
    await source.start();
    clock.advance(300);
    await source.stop();
    assert.deepEqual(samples.slice(0, 5), [0, 4, 8, 12, 16]);
    assert.equal(samples.filter((s) => s !== 0).length, 1599);

    const strict = new FileSource({ path, format, clock, resample: false });
    await assert.rejects(strict.start(), (error: unknown) => {
      assert.ok(error instanceof AudioDeviceError);
      assert.equal(error.kind, 'format');
      assert.match(error.message, /wide\.wav.*16000 Hz, the device runs at 8000 Hz and resampling is off \(convert: sox in\.wav -r 8000 out\.wav\)/);
      return true;
    });
    assert.equal(strict.state, 'failed');
  });

  test('refuses stereo, 8-bit, non-WAV and missing files with messages naming the file', async () => {
    const dir = await makeTestTempDir('audio-file');
    const clock = new FakeClock();
    const cases: Array<[string, Uint8Array | undefined, AudioDeviceError['kind'], RegExp]> = [
      ['stereo.wav', wavBytes(8000, ramp(320), 2), 'format', /2 channels; only mono/],
      ['text.wav', new TextEncoder().encode('hello, not audio'), 'format', /not a RIFF\/WAVE file/],
      ['missing.wav', undefined, 'device-missing', /cannot read the WAV file \(ENOENT\)/],
    ];
    const eightBit = wavBytes(8000, ramp(100));
    new DataView(eightBit.buffer).setUint16(34, 8, true);
    cases.push(['8bit.wav', eightBit, 'format', /PCM 16-bit/]);
    for (const [name, bytes, kind, pattern] of cases) {
      const path = join(dir, name);
      if (bytes) writeFileSync(path, bytes);
      await assert.rejects(new FileSource({ path, format, clock }).start(), (error: unknown) => {
        assert.ok(error instanceof AudioDeviceError, name);
        assert.equal(error.kind, kind, name);
        assert.ok(error.message.includes(`audio capture device "${path}"`), error.message);
        assert.match(error.message, pattern);
        return true;
      });
    }
  });

  test('reads a WAV written by sox (LIST chunk, other tools) when sox is installed', async (t) => {
    if (spawnSync('sox', ['--version']).status !== 0) return t.skip('sox not installed (test/setup.sh installs it)');
    const dir = await makeTestTempDir('audio-file');
    const path = join(dir, 'sox.wav');
    const made = spawnSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed', path, 'synth', '0.1', 'sine', '1000', 'vol', '0.5']);
    assert.equal(made.status, 0, made.stderr.toString());
    const contents = readWav(readFileSync(path));
    assert.equal(contents.sampleRateHz, 8000);
    assert.equal(pcm16Samples(contents).length, 800);
  });
});

describe('file driver: WAV out', () => {
  test('records what it plays; the header is valid while recording and final after stop', async () => {
    const dir = await makeTestTempDir('audio-file');
    const path = join(dir, 'out.wav');
    const clock = new FakeClock();
    const sink = new FileSink({ path, format, clock, bufferFrames: 200 });
    await sink.start();
    for (let i = 0; i < 75; i++) sink.write(Int16Array.from({ length: 160 }, (_, j) => i * 160 + j - 6000));
    clock.advance(1000); // 51 frames played = 8160 samples: the header was updated at 8000
    const midway = readWav(readFileSync(path));
    assert.equal(midway.sampleRateHz, 8000);
    assert.ok(pcm16Samples(midway).length >= 8000, 'a crash now would leave at least one second readable');
    clock.advance(1000);
    await sink.stop();
    const final = pcm16Samples(readWav(readFileSync(path)));
    assert.equal(final.length, 75 * 160);
    assert.deepEqual([...final.slice(0, 3)], [-6000, -5999, -5998]);
    assert.equal(final[75 * 160 - 1], 75 * 160 - 1 - 6000);
    const bytes = readFileSync(path);
    assert.equal(bytes.readUInt32LE(4), bytes.length - 8, 'RIFF size');
    assert.equal(bytes.readUInt32LE(40), 75 * 320, 'data size');
  });

  test('sox reads the recorded file when installed', async (t) => {
    if (spawnSync('soxi', ['-V0', '--help']).error) return t.skip('sox not installed (test/setup.sh installs it)');
    const dir = await makeTestTempDir('audio-file');
    const path = join(dir, 'out.wav');
    const clock = new FakeClock();
    const sink = new FileSink({ path, format, clock });
    await sink.start();
    for (let i = 0; i < 5; i++) sink.write(new Int16Array(160).fill(1000));
    clock.advance(200);
    await sink.stop();
    const info = spawnSync('soxi', ['-s', path]);
    assert.equal(info.stdout.toString().trim(), '800');
  });

  test('a directory that does not exist is a clear start() error', async () => {
    const sink = new FileSink({ path: '/nonexistent-dir/out.wav', format, clock: new FakeClock() });
    await assert.rejects(sink.start(), /audio playback device "\/nonexistent-dir\/out\.wav": cannot create the WAV file \(ENOENT\)/);
  });
});
