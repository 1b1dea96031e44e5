import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Clock, TimerHandle } from '../../../../firmware/core/clock.ts';
import { LinearResampler } from '../../../../firmware/media/loop/linear-resampler.ts';
import { MediaLoop } from '../../../../firmware/media/loop/media-loop.ts';
import { RateEstimator } from '../../../../firmware/media/loop/rate-estimator.ts';
import { audioFormat } from '../../../../hal/audio/audio-format.ts';
import { NullSink } from '../../../../hal/audio/simulated/null-sink.ts';
import { NullSource } from '../../../../hal/audio/simulated/null-source.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

/** A clock whose timers fire late by whatever `lateMs()` says (a busy event loop). */
class LateClock implements Clock {
  constructor(
    readonly inner: FakeClock,
    private readonly lateMs: () => number,
  ) {}
  nowMs(): number {
    return this.inner.nowMs();
  }
  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    return this.inner.setTimeout(callback, delayMs + this.lateMs());
  }
  clearTimeout(handle: TimerHandle | undefined): void {
    this.inner.clearTimeout(handle);
  }
}

const format = audioFormat({ sampleRateHz: 8000 });

describe('media loop pacing', () => {
  for (const pacing of ['system', 'device'] as const) {
    test(`${pacing} pacing: timers 0-15 ms late for a minute add no drift`, async () => {
      let seed = 7;
      const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      const fake = new FakeClock();
      const clock = new LateClock(fake, () => random() * 15);
      const sink = new NullSink({ format, clock: fake });
      await sink.start();
      let frames = 0;
      const loop = new MediaLoop({
        clock,
        format,
        sink,
        pacing,
        nextPlaybackFrame: () => {
          frames++;
          return undefined;
        },
      });
      loop.start();
      fake.advance(60_000);
      const stats = loop.stats();
      // 60 s / 20 ms = 3000 periods (+ tick 0 / the primed frame); late timers delay ticks, never lose or add one.
      assert.ok(stats.ticks === 3001 || stats.ticks === 3000, `ticks ${stats.ticks}`);
      assert.equal(frames, stats.ticks);
      assert.equal(stats.skippedTicks, 0);
      assert.ok(stats.maxLateMs < 16, `max late ${stats.maxLateMs}`);
      if (pacing === 'device') {
        // Lateness beyond the 10 ms lead runs the device dry; each underrun moves the lead 2.5 ms further ahead (at most a frame).
        const playback = stats.playback!;
        assert.ok(playback.underruns <= 3, `underruns ${playback.underruns}`);
        assert.ok(playback.leadMs! >= 10 + 2.5 * playback.underruns - 1e-9 || playback.leadMs === 20, `lead ${playback.leadMs}`);
      }
      loop.stop();
    });
  }

  test('device pacing: a frame from nextPlaybackFrame starts playing 10 ms (the lead) after it was asked for', async () => {
    const clock = new FakeClock();
    const playedAt: number[] = [];
    class StampingSink extends NullSink {
      protected override onPlayed(frame: Int16Array): void {
        if (frame[0] === 1000) playedAt.push(clock.nowMs());
      }
    }
    const sink = new StampingSink({ format, clock });
    await sink.start();
    const askedAt: number[] = [];
    let calls = 0;
    const loop = new MediaLoop({
      clock,
      format,
      sink,
      nextPlaybackFrame: () => {
        if (++calls % 10 !== 0) return undefined;
        askedAt.push(clock.nowMs());
        return new Int16Array(160).fill(1000);
      },
    });
    loop.start();
    clock.advance(2000);
    loop.stop();
    assert.ok(askedAt.length >= 9, `markers ${askedAt.length}`);
    for (const [i, asked] of askedAt.entries()) {
      if (playedAt[i] === undefined) continue;
      assert.ok(Math.abs(playedAt[i]! - asked - 10) < 1e-6, `marker ${i}: asked ${asked}, played ${playedAt[i]}`);
    }
  });

  test('a stall longer than 5 periods skips the backlog instead of bursting it', () => {
    const fake = new FakeClock();
    let stall = false;
    const clock = new LateClock(fake, () => (stall ? 500 : 0));
    const loop = new MediaLoop({ clock, format, source: new NullSource({ format, clock: fake }) });
    loop.start();
    fake.advance(1000);
    stall = true;
    fake.advance(20);
    stall = false;
    fake.advance(1000);
    const stats = loop.stats();
    assert.ok(stats.skippedTicks >= 20 && stats.skippedTicks <= 26, `skipped ${stats.skippedTicks}`);
    // Still on the grid: ticks + skipped = elapsed periods.
    assert.equal(stats.ticks, Math.floor(fake.nowMs() / 20) + 1);
    loop.stop();
  });

  test('a playback frame of the wrong length is refused', async () => {
    const clock = new FakeClock();
    const sink = new NullSink({ format, clock });
    await sink.start();
    const loop = new MediaLoop({ clock, format, sink, nextPlaybackFrame: () => new Int16Array(100) });
    loop.start();
    assert.throws(() => clock.advance(20), /returned 100 samples, expected 160/);
  });
});

describe('linear resampler', () => {
  test('step 1 passes samples through unchanged (one sample of look-ahead)', () => {
    const r = new LinearResampler();
    r.push(Int16Array.from([1, 2, 3, 4, 5]));
    assert.deepEqual([...r.pull(4, 1)!], [1, 2, 3, 4]);
    assert.equal(r.pull(2, 1), undefined);
    r.push(Int16Array.from([6]));
    assert.deepEqual([...r.pull(2, 1)!], [5, 6]);
  });

  test('step 0.5 interpolates, step 2 decimates', () => {
    const up = new LinearResampler();
    up.push(Int16Array.from([0, 100, 200]));
    assert.deepEqual([...up.pullAll(0.5)], [0, 50, 100, 150, 200]);
    const down = new LinearResampler();
    down.push(Int16Array.from([0, 10, 20, 30, 40, 50, 60]));
    assert.deepEqual([...down.pullAll(2)], [0, 20, 40, 60]);
  });

  test('a step of 1.005 consumes 0.5 % more than it produces over many blocks', () => {
    const r = new LinearResampler();
    let produced = 0;
    for (let i = 0; i < 1000; i++) {
      r.push(new Int16Array(160).fill(1000));
      produced += r.pullAll(1.005).length;
    }
    assert.ok(Math.abs(produced - 160_000 / 1.005) <= 2, `produced ${produced}`);
  });
});

describe('rate estimator', () => {
  test('measures a device delivering 160-sample bursts 0.3 % fast with ±3 ms jitter', () => {
    const estimator = new RateEstimator({ nominalRateHz: 8000 });
    let seed = 1;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    assert.equal(estimator.ratio(), undefined);
    for (let n = 1; n <= 3000; n++) {
      const timeMs = (n * 20) / 1.003 + random() * 3;
      estimator.observe(timeMs, n * 160);
    }
    const ppm = estimator.deviationPpm()!;
    assert.ok(Math.abs(ppm - 3000) < 100, `estimated ${ppm} ppm`);
  });
});
