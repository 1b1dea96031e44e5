import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AlsaSink } from '../../../../hal/audio/alsa/alsa-sink.ts';
import { AlsaSource } from '../../../../hal/audio/alsa/alsa-source.ts';
import { AudioDeviceError, audioFormat, createAudioDriver, UnknownAudioDriverError } from '../../../../hal/audio/index.ts';
import { FileSink } from '../../../../hal/audio/file/file-sink.ts';
import { FileSource } from '../../../../hal/audio/file/file-source.ts';
import { NullSink } from '../../../../hal/audio/simulated/null-sink.ts';
import { NullSource } from '../../../../hal/audio/simulated/null-source.ts';
import { ToneSource } from '../../../../hal/audio/simulated/tone-source.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { makeTestTempDir } from '../../../support/test-temp-dir.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const format = audioFormat({ sampleRateHz: 8000 });

describe('createAudioDriver', () => {
  test('builds each driver by name without opening anything', () => {
    const clock = new FakeClock();
    const alsa = createAudioDriver('alsa', { format, clock, alsa: { captureDevice: 'plughw:CARD=Device', playbackDevice: 'default' } });
    assert.ok(alsa.source instanceof AlsaSource && alsa.sink instanceof AlsaSink);
    assert.equal(alsa.source.device, 'plughw:CARD=Device');
    assert.equal(alsa.sink.device, 'default');
    assert.equal(alsa.source.state, 'idle');
    const file = createAudioDriver('file', { format, clock, file: { inputPath: '/tmp/in.wav', outputPath: '/tmp/out.wav' } });
    assert.ok(file.source instanceof FileSource && file.sink instanceof FileSink);
    const tone = createAudioDriver('tone', { format, clock, tone: { frequencyHz: 425 } });
    assert.ok(tone.source instanceof ToneSource && tone.sink instanceof NullSink);
    assert.equal(tone.source.device, 'tone:425Hz');
    const none = createAudioDriver('null', { format, clock });
    assert.ok(none.source instanceof NullSource && none.sink instanceof NullSink);
  });

  test('unknown names and a file driver without an input are refused clearly', () => {
    assert.throws(() => createAudioDriver('pulse', { format }), (error: unknown) => {
      assert.ok(error instanceof UnknownAudioDriverError);
      assert.equal(error.message, 'unknown audio driver "pulse" (known: alsa, file, tone, null)');
      return true;
    });
    assert.throws(() => createAudioDriver('file', { format }), /needs file\.inputPath/);
  });

  test('the file driver runs end to end: WAV in → loop → WAV out', async () => {
    const dir = await makeTestTempDir('audio-driver');
    const input = join(dir, 'in.wav');
    const samples = Int16Array.from({ length: 1600 }, (_, i) => (i % 100) * 10);
    const { wavHeader } = await import('../../../../hal/audio/file/wav-writer.ts');
    writeFileSync(input, Buffer.concat([wavHeader(8000, samples.byteLength), Buffer.from(samples.buffer)]));
    const clock = new FakeClock();
    const driver = createAudioDriver('file', { format, clock, file: { inputPath: input, outputPath: join(dir, 'out.wav') } });
    const sink = driver.sink as FileSink;
    driver.source.on('frame', (e) => sink.write(e.samples)); // straight loopback
    await driver.sink.start();
    await driver.source.start();
    clock.advance(400);
    await driver.source.stop();
    await driver.sink.stop();
    const played = sink.recordedFrames().flatMap((f) => [...f]);
    assert.deepEqual(played, [...samples]);
  });
});

describe('the ALSA driver without its native modules', () => {
  test('a missing speaker module is a clear module-missing error, no crash', async () => {
    const sink = new AlsaSink({ device: 'default', format, speakerModule: 'deskphone-no-such-speaker' });
    await assert.rejects(sink.start(), (error: unknown) => {
      assert.ok(error instanceof AudioDeviceError);
      assert.equal(error.kind, 'module-missing');
      assert.match(error.message, /^audio playback device "default": the optional native module "deskphone-no-such-speaker" is not installed; install libasound2-dev and run npm rebuild speaker alsa-capture$/);
      return true;
    });
    assert.equal(sink.state, 'failed');
  });

  test('a missing alsa-capture module is a clear module-missing error', async () => {
    const source = new AlsaSource({ device: 'hw:1,0', format, alsaCaptureModule: 'deskphone-no-such-alsa-capture' });
    await assert.rejects(source.start(), (error: unknown) => {
      assert.ok(error instanceof AudioDeviceError);
      assert.equal(error.kind, 'module-missing');
      assert.match(error.message, /audio capture device "hw:1,0": the optional native module "deskphone-no-such-alsa-capture" is not available .*install libasound2-dev and run npm rebuild speaker alsa-capture/);
      return true;
    });
  });

  test('importing hal/audio/index.ts and creating an alsa driver loads no native module', () => {
    const script = `
      const { createAudioDriver, audioFormat } = await import(${JSON.stringify(join(root, 'hal/audio/index.ts'))});
      createAudioDriver('alsa', { format: audioFormat({ sampleRateHz: 8000 }) });
      const natives = process.report.getReport().sharedObjects.filter((path) => path.endsWith('.node'));
      process.stdout.write(JSON.stringify(natives));
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout), []);
  });
});
