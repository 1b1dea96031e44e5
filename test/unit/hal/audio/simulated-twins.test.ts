import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AudioDeviceError } from '../../../../hal/audio/audio-device-error.ts';
import { audioFormat } from '../../../../hal/audio/audio-format.ts';
import { NullSink } from '../../../../hal/audio/simulated/null-sink.ts';
import { NullSource } from '../../../../hal/audio/simulated/null-source.ts';
import { ToneSource } from '../../../../hal/audio/simulated/tone-source.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const format = audioFormat({ sampleRateHz: 8000, frameMs: 20 });

function isAudioError(kind: AudioDeviceError['kind'], pattern: RegExp): (error: unknown) => boolean {
  return (error) => error instanceof AudioDeviceError && error.kind === kind && pattern.test(error.message);
}

describe('audio format', () => {
  test('20 ms at 8 kHz is 160 samples; 16 kHz 10 ms is 160; odd sizes are refused', () => {
    assert.deepEqual(audioFormat({ sampleRateHz: 8000 }), { sampleRateHz: 8000, frameSamples: 160, channels: 1 });
    assert.equal(audioFormat({ sampleRateHz: 16000, frameMs: 10 }).frameSamples, 160);
    assert.throws(() => audioFormat({ sampleRateHz: 11025, frameMs: 20 }), isAudioError('format', /not a whole number/));
    assert.throws(() => audioFormat({ sampleRateHz: 100 }), isAudioError('format', /4000\.\.192000/));
  });
});

describe('simulated sink (null) enforces the frame contract', () => {
  test('write before start, wrong length, start twice, write after stop, stop twice', async () => {
    const clock = new FakeClock();
    const sink = new NullSink({ format, clock, device: 'sim-speaker' });
    assert.throws(() => sink.write(new Int16Array(160)), isAudioError('state', /"sim-speaker".*write\(\) while idle \(call start\(\) first\)/));
    await assert.rejects(sink.stop(), isAudioError('state', /stop\(\) called while idle/));
    await sink.start();
    await assert.rejects(sink.start(), isAudioError('state', /start\(\) called while running/));
    assert.throws(() => sink.write(new Int16Array(159)), isAudioError('frame-size', /frame of 159 samples, expected exactly 160/));
    assert.throws(() => sink.write(new Float32Array(160) as unknown as Int16Array), isAudioError('frame-size', /Int16Array of 160/));
    sink.write(new Int16Array(160));
    await sink.stop();
    assert.equal(sink.state, 'stopped');
    assert.throws(() => sink.write(new Int16Array(160)), isAudioError('state', /write\(\) while stopped/));
    await assert.rejects(sink.stop(), isAudioError('state', /stop\(\) called while stopped/));
    await assert.rejects(sink.start(), isAudioError('state', /start\(\) called while stopped/));
  });

  test('plays one frame per period, records what it played, underruns when starved, overruns when full', async () => {
    const clock = new FakeClock();
    const sink = new NullSink({ format, clock, bufferFrames: 3 });
    const events: string[] = [];
    sink.on('underrun', (e) => events.push(`underrun ${e.device}`));
    sink.on('overrun', (e) => events.push(`overrun ${e.droppedSamples}`));
    await sink.start();
    const frame = (value: number): Int16Array => new Int16Array(160).fill(value);
    sink.write(frame(1));
    sink.write(frame(2));
    sink.write(frame(3));
    sink.write(frame(4)); // buffer of 3 is full: dropped
    assert.deepEqual(events, ['overrun 160']);
    assert.equal(sink.bufferedSamples(), 480);
    clock.advance(0);
    assert.equal(sink.playedSamples(), 160);
    clock.advance(40);
    assert.equal(sink.playedSamples(), 480);
    assert.deepEqual(sink.recordedFrames().map((f) => f[0]), [1, 2, 3]);
    clock.advance(20);
    assert.deepEqual(events, ['overrun 160', 'underrun null']);
    assert.equal(sink.underrunCount, 1);
    // Stopped after the underrun: no more underruns until the next write restarts it.
    clock.advance(200);
    assert.equal(sink.underrunCount, 1);
    sink.write(frame(5));
    clock.advance(0);
    assert.deepEqual(sink.recordedFrames().map((f) => f[0]), [1, 2, 3, 5]);
    await sink.stop();
  });

  test('a sink 1 % fast plays 102 frames in 2 s where an exact one plays 101', async () => {
    const clock = new FakeClock();
    const sink = new NullSink({ format, clock, clockSkewPpm: 10_000, bufferFrames: 500 });
    await sink.start();
    for (let i = 0; i < 200; i++) sink.write(new Int16Array(160));
    clock.advance(2000);
    assert.equal(sink.playedSamples() / 160, 102); // frames at t = 0, 19.8, ..., 2000 ms → 1 + floor(2000 / 19.80)
    await sink.stop();
  });
});

describe('simulated sources (null, tone)', () => {
  test('null source delivers silent frames of exactly frameSamples, paced by the clock', async () => {
    const clock = new FakeClock();
    const source = new NullSource({ format, clock });
    const frames: Int16Array[] = [];
    source.on('frame', (e) => frames.push(e.samples));
    await source.start();
    clock.advance(999);
    assert.equal(frames.length, 50); // t = 0, 20, ..., 980
    assert.ok(frames.every((f) => f.length === 160 && f.every((s) => s === 0)));
    await source.stop();
    clock.advance(1000);
    assert.equal(frames.length, 50);
  });

  test('injectAudio() frames come first, in order; a wrong-size injection is refused', async () => {
    const clock = new FakeClock();
    const source = new NullSource({ format, clock });
    assert.throws(() => source.injectAudio(new Int16Array(80)), isAudioError('frame-size', /frame of 80 samples/));
    source.injectAudio(new Int16Array(160).fill(7));
    source.injectAudio(new Int16Array(160).fill(8));
    const firsts: number[] = [];
    source.on('frame', (e) => firsts.push(e.samples[0]!));
    await source.start();
    clock.advance(40);
    assert.deepEqual(firsts, [7, 8, 0]);
    assert.deepEqual(source.deliveredFrames().map((f) => f[0]), [7, 8, 0]);
    await source.stop();
  });

  test('tone source: 1 kHz at -6 dBFS has the right period, peak and phase continuity', async () => {
    const clock = new FakeClock();
    const source = new ToneSource({ format, clock, frequencyHz: 1000, levelDbfs: -6 });
    assert.equal(source.device, 'tone:1000Hz');
    const samples: number[] = [];
    source.on('frame', (e) => samples.push(...e.samples));
    await source.start();
    clock.advance(980);
    await source.stop();
    assert.equal(samples.length, 8000);
    let upward = 0;
    for (let i = 1; i < samples.length; i++) if (samples[i - 1]! < 0 && samples[i]! >= 0) upward++;
    assert.ok(upward >= 999 && upward <= 1000, `zero crossings ${upward}`);
    const peak = Math.max(...samples.map(Math.abs));
    assert.ok(Math.abs(peak - 32767 * 10 ** (-6 / 20)) < 2, `peak ${peak}`);
    // 1 kHz at 8 kHz: every 8 samples the waveform repeats exactly, across frame boundaries too.
    for (let i = 8; i < samples.length; i++) assert.ok(Math.abs(samples[i]! - samples[i - 8]!) <= 1, `sample ${i}`);
  });

  test('tone source refuses a frequency above Nyquist', () => {
    assert.throws(() => new ToneSource({ format, clock: new FakeClock(), frequencyHz: 5000 }), /must be in \(0, 4000\) Hz/);
  });

  test('per-instance state: two sources do not share injected audio or counters', async () => {
    const clock = new FakeClock();
    const a = new NullSource({ format, clock });
    const b = new NullSource({ format, clock });
    a.injectAudio(new Int16Array(160).fill(1));
    await a.start();
    await b.start();
    clock.advance(0);
    assert.equal(a.deliveredFrames()[0]![0], 1);
    assert.equal(b.deliveredFrames()[0]![0], 0);
    await a.stop();
    await b.stop();
  });
});
