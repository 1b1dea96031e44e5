/** What a played-out frame (or sample) is made of. */
export type PlayoutKind = 'normal' | 'accelerated' | 'expanded' | 'concealed' | 'comfort-noise' | 'silence';

/** Kinds in the order a frame is labelled by: a frame holding any concealed sample is 'concealed', and so on. */
export const PLAYOUT_KIND_PRIORITY: readonly PlayoutKind[] = [
  'concealed',
  'expanded',
  'accelerated',
  'comfort-noise',
  'normal',
  'silence',
];
