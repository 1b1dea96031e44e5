/** Renders `durationMs` of audio by frames of `frameMs`, as the media loop does. */
export function renderFrames(render: (frameSamples: number) => Int16Array, sampleRateHz: number, durationMs: number, frameMs = 20): Int16Array {
  const frameSamples = Math.round((frameMs * sampleRateHz) / 1000);
  const frames = Math.ceil(durationMs / frameMs);
  const out = new Int16Array(frames * frameSamples);
  for (let f = 0; f < frames; f++) out.set(render(frameSamples), f * frameSamples);
  return out;
}
