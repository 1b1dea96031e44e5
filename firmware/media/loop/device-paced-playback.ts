import type { Clock, TimerHandle } from '../../core/clock.ts';
import type { Logger } from '../../log/logger.ts';
import type { AudioSink } from '../../../hal/audio/audio-device.ts';
import { playPosition, type PlaybackPathStats } from './playback-path.ts';
import { RateEstimator } from './rate-estimator.ts';

export interface DevicePacedPlaybackOptions {
  readonly clock: Clock;
  /** Must report its delay (`bufferedSamples()`); started by the caller. */
  readonly sink: AudioSink;
  readonly logger: Logger;
  /** The next frame to play (exactly `frameSamples`), asked for once per device frame. */
  readonly nextFrame: () => Int16Array;
  /** How long before the device would run dry each frame is written. */
  readonly leadMs: number;
  /** Largest lead the underrun back-off may reach. */
  readonly maxLeadMs: number;
  /** Added to the lead after each underrun. */
  readonly leadStepMs: number;
  readonly rateWindowMs?: number;
}

/**
 * Playback paced by the device's own clock: a frame is asked for (from the
 * jitter buffer behind `nextFrame`) and written when the device's delay
 * (`bufferedSamples()`, ALSA's snd_pcm_delay) has fallen to `leadMs`, so a
 * frame starts playing `leadMs` after it was taken. Nothing is resampled:
 * frames are requested at the device's rate, and the jitter buffer, which
 * already follows the far end's clock, absorbs the difference.
 *
 * Each wake-up is computed from the device's delay at that moment, so the
 * device is the absolute reference: a late timer shortens the next wait,
 * lateness never accumulates, and a stall is not made up in a burst (the
 * device ran dry, reported an underrun, and restarts on the next write).
 * After an underrun the lead grows by `leadStepMs`, up to `maxLeadMs`.
 */
export class DevicePacedPlayback {
  private readonly estimator: RateEstimator;
  private readonly frameSamples: number;
  private readonly msPerSample: number;
  private timer: TimerHandle | undefined;
  private dueMs = 0;
  private running = false;
  private leadMs: number;
  private wakeUps = 0;
  private maxLateMs = 0;
  private framesWritten = 0;
  private droppedSamples = 0;
  private underruns = 0;
  private overruns = 0;
  private minLevel = Number.POSITIVE_INFINITY;
  private maxLevel = 0;
  private readonly unsubscribe: Array<() => void>;

  constructor(private readonly options: DevicePacedPlaybackOptions) {
    const { format } = options.sink;
    this.frameSamples = format.frameSamples;
    this.msPerSample = 1000 / format.sampleRateHz;
    this.leadMs = options.leadMs;
    this.estimator = new RateEstimator({
      nominalRateHz: format.sampleRateHz,
      ...(options.rateWindowMs === undefined ? {} : { windowMs: options.rateWindowMs }),
    });
    this.unsubscribe = [
      options.sink.on('underrun', () => this.onUnderrun()),
      options.sink.on('overrun', (event) => {
        this.overruns++;
        this.droppedSamples += event.droppedSamples;
      }),
    ];
  }

  /** Primes one frame of silence (the device starts on it) and waits for it to drain to the lead. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.write(new Int16Array(this.frameSamples));
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    for (const off of this.unsubscribe.splice(0)) off();
  }

  /** Wake-ups that wrote (the device-paced counterpart of loop ticks). */
  get ticks(): number {
    return this.wakeUps;
  }

  get maxLateMilliseconds(): number {
    return this.maxLateMs;
  }

  stats(): PlaybackPathStats {
    const level = this.delaySamples();
    return {
      pacing: 'device',
      deviceDeviationPpm: this.estimator.deviationPpm(),
      levelSamples: level,
      minLevelSamples: Number.isFinite(this.minLevel) ? this.minLevel : undefined,
      maxLevelSamples: Number.isFinite(this.minLevel) ? this.maxLevel : undefined,
      underruns: this.underruns,
      overruns: this.overruns,
      resamplerAdjustSamples: 0,
      framesWritten: this.framesWritten,
      leadMs: this.leadMs,
    };
  }

  resetLevelMarks(): void {
    this.minLevel = Number.POSITIVE_INFINITY;
    this.maxLevel = 0;
  }

  private delaySamples(): number {
    return this.options.sink.bufferedSamples() ?? 0;
  }

  private schedule(): void {
    const nowMs = this.options.clock.nowMs();
    // The device drains at its measured rate (nominal until measured); the next wake-up re-reads its delay, so an error here does not add up.
    const ratio = this.estimator.ratio() ?? 1;
    const waitMs = Math.max(0, (this.delaySamples() * this.msPerSample) / ratio - this.leadMs);
    this.dueMs = nowMs + waitMs;
    this.timer = this.options.clock.setTimeout(() => this.fire(), waitMs);
  }

  private fire(): void {
    this.timer = undefined;
    if (!this.running) return;
    const nowMs = this.options.clock.nowMs();
    this.maxLateMs = Math.max(this.maxLateMs, nowMs - this.dueMs);
    const played = playPosition(this.options.sink, this.framesWritten * this.frameSamples - this.droppedSamples);
    if (played !== undefined) this.estimator.observe(nowMs, played);
    // Normally one frame; two only if the device is short of even one frame's worth beyond the lead (never a burst).
    // Up to 1/20 frame early counts as due (timer granularity), rather than another wake-up for a fraction of a millisecond.
    const dueSamples = this.leadMs / this.msPerSample + this.frameSamples / 20;
    let wrote = 0;
    while (this.running && wrote < 2 && this.delaySamples() <= dueSamples) {
      this.write(this.options.nextFrame());
      wrote++;
    }
    if (wrote > 0) {
      this.wakeUps++;
      const level = this.delaySamples();
      this.minLevel = Math.min(this.minLevel, level);
      this.maxLevel = Math.max(this.maxLevel, level);
    }
    if (this.running) this.schedule();
  }

  private write(frame: Int16Array): void {
    this.options.sink.write(frame);
    this.framesWritten++;
  }

  private onUnderrun(): void {
    this.underruns++;
    const raised = Math.min(this.options.maxLeadMs, this.leadMs + this.options.leadStepMs);
    this.options.logger.warn('playback underrun, writing further ahead', { underruns: this.underruns, leadMs: raised });
    this.leadMs = raised;
  }
}
