/**
 * Former home of the codec test signals, now in audio/signal-generators.ts
 * and ffmpeg-has-g722.ts. Kept only as a re-export for test/bench/media-*.ts,
 * written elsewhere at the same time; delete once they import from there.
 */
export { makeNoise, sweepWithNoise, tone, type SweepWithNoiseOptions, type ToneOptions } from './audio/signal-generators.ts';
export { ffmpegHasG722 } from './ffmpeg-has-g722.ts';
