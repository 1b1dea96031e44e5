/**
 * The media loop's share of the one-way delay, measured in a real run (system
 * clock, real timers, simulated paced devices, no FakeClock): marker frames
 * are injected into the capture device and into the playback side, and their
 * first marker sample is found where it comes out.
 *
 * - Capture: a marker frame delivered by the device at t_d was captured over
 *   [t_d − frame, t_d]; when the loop hands a frame containing it to
 *   `onCaptureFrame` at t_p with the marker starting at sample j, that
 *   frame's first sample was captured at t_d − frame − j/rate, so the frame's
 *   first sample waited t_p − (t_d − frame − j/rate): frame accumulation plus
 *   whatever the loop adds (nothing under device pacing, where the frame is
 *   handed on from the device's event).
 * - Playback: a marker frame returned by `nextPlaybackFrame` at t_w whose
 *   first marker sample is sample k of the frame the device starts playing
 *   at t_c plays at t_c + k/rate: under device pacing the lead (the frame is
 *   asked for when the device's delay has fallen to it, 10 ms at 20 ms
 *   frames) plus timer lateness; under system pacing the level target (2.5
 *   frames of device delay + partial frame after a write, i.e. ~1.5 frames).
 *
 * The lead and the targets are in frames (the lead half a frame), so the
 * figures hold for any sample rate.
 */
import { systemClock } from '../../firmware/core/clock.ts';
import { MediaLoop, type MediaLoopPacing } from '../../firmware/media/loop/media-loop.ts';
import { audioFormat } from '../../hal/audio/audio-format.ts';
import { NullSink } from '../../hal/audio/simulated/null-sink.ts';
import { NullSource } from '../../hal/audio/simulated/null-source.ts';

export const MARKER = 16000;
const THRESHOLD = MARKER / 2;

export interface LoopLatencyResult {
  readonly frameMs: number;
  /** Capture frame's first sample → handed to the encoder, ms: median, min, max over the markers. */
  readonly capture: { readonly medianMs: number; readonly minMs: number; readonly maxMs: number; readonly count: number };
  /** Frame from the jitter buffer → its first sample starts playing, ms. */
  readonly playback: { readonly medianMs: number; readonly minMs: number; readonly maxMs: number; readonly count: number };
  readonly underruns: number;
  /** Device pacing: the lead at the end (raised by underruns), ms. */
  readonly leadMs: number | undefined;
}

/** Index of the first sample louder than half a marker, or -1. */
export const firstAbove = (frame: Int16Array): number => frame.findIndex((sample) => Math.abs(sample) > THRESHOLD);

/** A null sink that reports when a marker sample starts playing (frame taken off the buffer + its offset in the frame). */
export class MarkerSink extends NullSink {
  onMarkerPlayed: ((playMs: number) => void) | undefined;

  protected override onPlayed(frame: Int16Array): void {
    const index = firstAbove(frame);
    if (index >= 0) this.onMarkerPlayed?.(systemClock.nowMs() + (1000 * index) / this.format.sampleRateHz);
  }
}

const summary = (values: readonly number[]): LoopLatencyResult['capture'] => {
  const sorted = [...values].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)] ?? NaN, minMs: sorted[0] ?? NaN, maxMs: sorted[sorted.length - 1] ?? NaN, count: sorted.length };
};

export interface LoopLatencyOptions {
  /** The loop's frame period (board `audio.frameMs`, default 20). */
  readonly frameMs: number;
  /** Board `audio.sampleRateHz` (default 16000); the queues are in frames, so it hardly matters. */
  readonly sampleRateHz?: number;
  /** Real time to run; markers start after 1 s. Default 4000 ms. */
  readonly runMs?: number;
  /** The loop's pacing (default: the loop's default, `device`). */
  readonly pacing?: MediaLoopPacing;
}

export async function measureLoopLatency(options: LoopLatencyOptions): Promise<LoopLatencyResult> {
  const format = audioFormat({ sampleRateHz: options.sampleRateHz ?? 16000, frameMs: options.frameMs });
  const source = new NullSource({ format, clock: systemClock });
  const sink = new MarkerSink({ format, clock: systemClock });
  const marker = new Int16Array(format.frameSamples).fill(MARKER);
  const msPerSample = 1000 / format.sampleRateHz;
  const runMs = options.runMs ?? 4000;

  const captureDelays: number[] = [];
  const playbackDelays: number[] = [];
  let deliveredAtMs: number | undefined; // marker delivered by the capture device, not yet seen by the loop
  let writtenAtMs: number | undefined; // marker handed to the playback path, not yet played
  let tick = 0;
  const startMs = systemClock.nowMs();

  const offDelivery = source.on('frame', (event) => {
    if (firstAbove(event.samples) === 0) deliveredAtMs = systemClock.nowMs();
  });
  sink.onMarkerPlayed = (playMs) => {
    if (writtenAtMs === undefined) return;
    playbackDelays.push(playMs - writtenAtMs);
    writtenAtMs = undefined;
  };
  const loop = new MediaLoop({
    clock: systemClock,
    format,
    source,
    sink,
    ...(options.pacing === undefined ? {} : { pacing: options.pacing }),
    onCaptureFrame: (frame) => {
      const index = firstAbove(frame);
      if (index < 0 || deliveredAtMs === undefined) return;
      captureDelays.push(systemClock.nowMs() - (deliveredAtMs - options.frameMs - index * msPerSample));
      deliveredAtMs = undefined;
    },
    nextPlaybackFrame: () => {
      tick++;
      const elapsedMs = systemClock.nowMs() - startMs;
      // Every 10th tick after a second of warm-up, one marker each way (the previous ones are out by then).
      if (elapsedMs < 1000 || tick % 10 !== 0) return undefined;
      if (deliveredAtMs === undefined) source.injectAudio(marker);
      if (writtenAtMs !== undefined) return undefined;
      writtenAtMs = systemClock.nowMs();
      return marker;
    },
  });

  await sink.start();
  await source.start();
  loop.start();
  try {
    await new Promise((resolve) => setTimeout(resolve, runMs));
  } finally {
    loop.stop();
    offDelivery();
    await source.stop();
    await sink.stop();
  }
  const stats = loop.stats();
  return {
    frameMs: options.frameMs,
    capture: summary(captureDelays),
    playback: summary(playbackDelays),
    underruns: stats.playback?.underruns ?? 0,
    leadMs: stats.playback?.leadMs,
  };
}
