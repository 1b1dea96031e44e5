/**
 * In-band DTMF detection (ITU-T Q.23 frequencies, Q.24 receiver limits) for
 * peers that send digits as audio. Pure and frame-driven: feed PCM frames of
 * any size to `process()`; time is the count of samples seen.
 *
 * Every `hopMs` a `windowMs` block is analysed with Goertzel filters (three
 * per DTMF frequency, at f and f ± 1.5 %, so the Q.24 frequency tolerance does
 * not cost level). A block holds a digit when:
 *   - one row and one column tone each reach `minToneLevelDbm0`;
 *   - twist: the high tone is at most `maxHighLouderDb` above the low tone
 *     (normal twist) and at most `maxLowLouderDb` below it (reverse twist);
 *   - each is `minPeakRatioDb` above the other tones of its group;
 *   - the two tones carry the block: their power over everything else is at
 *     least `minSignalToNoiseDb` (speech, music and noise fail here);
 *   - optionally (on by default), neither has a second harmonic within
 *     `maxSecondHarmonicDb` of it, where that harmonic is clear of the other tone.
 * A digit begins after enough consecutive blocks to cover `minDurationMs`
 * and ends after `minGapMs` of blocks without it, so a dropout shorter than
 * that (Q.24: 10 ms) does not split a digit.
 */
import { goertzelPower } from './goertzel.ts';
import { dtmfDigitAt, DTMF_HIGH_FREQUENCIES_HZ, DTMF_LOW_FREQUENCIES_HZ, type DtmfDigit } from './dtmf-digits.ts';
import { sineAmplitudeForDbm0 } from '../tones/dbm0.ts';

export interface DtmfDetectorOptions {
  readonly sampleRateHz: number;
  readonly minToneLevelDbm0?: number;
  readonly maxHighLouderDb?: number;
  readonly maxLowLouderDb?: number;
  readonly minPeakRatioDb?: number;
  readonly minSignalToNoiseDb?: number;
  readonly checkSecondHarmonic?: boolean;
  readonly maxSecondHarmonicDb?: number;
  readonly minDurationMs?: number;
  readonly minGapMs?: number;
  readonly windowMs?: number;
  readonly hopMs?: number;
}

export type DtmfDetection =
  | { readonly kind: 'begin'; readonly digit: DtmfDigit; readonly atMs: number }
  | { readonly kind: 'end'; readonly digit: DtmfDigit; readonly atMs: number; readonly durationMs: number };

/** Defaults in the range of the administrations' values that ITU-T Q.24 tabulates (AT&T-like twist limits). */
const DEFAULTS: Required<Omit<DtmfDetectorOptions, 'sampleRateHz'>> = {
  minToneLevelDbm0: -32,
  maxHighLouderDb: 8,
  maxLowLouderDb: 4,
  minPeakRatioDb: 6,
  minSignalToNoiseDb: 6,
  checkSecondHarmonic: true,
  maxSecondHarmonicDb: -10,
  minDurationMs: 40,
  minGapMs: 40,
  windowMs: 20,
  hopMs: 10,
};

/** How far (in DFT bin widths) a second harmonic must be from the other tone to be judged. */
const HARMONIC_CLEARANCE_BINS = 4;

/** Q.24: operate within ±1.5 % of the nominal frequency. */
const FREQUENCY_TOLERANCE = 0.015;

interface ToneReading {
  readonly index: number;
  readonly power: number;
}

export class DtmfDetector {
  private readonly sampleRateHz: number;
  private readonly windowSamples: number;
  private readonly hopSamples: number;
  private readonly minToneAmplitude: number;
  private readonly maxHighLouder: number;
  private readonly maxLowLouder: number;
  private readonly minPeakRatio: number;
  private readonly minSignalToNoise: number;
  private readonly checkSecondHarmonic: boolean;
  private readonly maxSecondHarmonic: number;
  private readonly hitsToBegin: number;
  private readonly missesToEnd: number;

  private pending = new Float64Array(0);
  /** Sample index (since the start) of `pending[0]`. */
  private pendingStart = 0;
  private candidate: DtmfDigit | null = null;
  private candidateHits = 0;
  private candidateFirstStart = 0;
  private current: { digit: DtmfDigit; firstStart: number; lastStart: number; misses: number } | null = null;

  constructor(options: DtmfDetectorOptions) {
    const o = { ...DEFAULTS };
    for (const key of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
      const value = options[key];
      if (value !== undefined) Object.assign(o, { [key]: value });
    }
    if (!(options.sampleRateHz >= 4000)) throw new RangeError(`DTMF needs at least 4 kHz sampling: ${options.sampleRateHz}`);
    this.sampleRateHz = options.sampleRateHz;
    this.windowSamples = Math.round((o.windowMs * options.sampleRateHz) / 1000);
    this.hopSamples = Math.max(1, Math.round((o.hopMs * options.sampleRateHz) / 1000));
    this.minToneAmplitude = sineAmplitudeForDbm0(o.minToneLevelDbm0);
    this.maxHighLouder = 10 ** (o.maxHighLouderDb / 10);
    this.maxLowLouder = 10 ** (o.maxLowLouderDb / 10);
    this.minPeakRatio = 10 ** (o.minPeakRatioDb / 10);
    this.minSignalToNoise = 10 ** (o.minSignalToNoiseDb / 10);
    this.checkSecondHarmonic = o.checkSecondHarmonic;
    this.maxSecondHarmonic = 10 ** (o.maxSecondHarmonicDb / 10);
    this.hitsToBegin = Math.max(1, Math.floor((o.minDurationMs - o.windowMs) / o.hopMs));
    this.missesToEnd = Math.max(1, Math.ceil(o.minGapMs / o.hopMs));
  }

  /** Feeds PCM; returns the digits that began or ended within it. */
  process(frame: Int16Array): DtmfDetection[] {
    const joined = new Float64Array(this.pending.length + frame.length);
    joined.set(this.pending);
    joined.set(frame, this.pending.length);
    const detections: DtmfDetection[] = [];
    let offset = 0;
    while (offset + this.windowSamples <= joined.length) {
      const digit = this.classify(joined, offset);
      this.step(digit, this.pendingStart + offset, detections);
      offset += this.hopSamples;
    }
    this.pending = joined.slice(offset);
    this.pendingStart += offset;
    return detections;
  }

  private msAt(sampleIndex: number): number {
    return (sampleIndex * 1000) / this.sampleRateHz;
  }

  private step(digit: DtmfDigit | null, windowStart: number, detections: DtmfDetection[]): void {
    const current = this.current;
    if (current !== null) {
      if (digit === current.digit) {
        current.lastStart = windowStart;
        current.misses = 0;
        return;
      }
      current.misses++;
      if (current.misses < this.missesToEnd) return;
      // Tone length: from the start of the first block that held it to the end of
      // the last (blocks partly outside the tone that still pass make up for the
      // blocks at the edges that do not).
      const durationMs = this.msAt(current.lastStart - current.firstStart + this.windowSamples);
      detections.push({ kind: 'end', digit: current.digit, atMs: this.msAt(windowStart + this.windowSamples), durationMs });
      this.current = null;
      this.candidate = null;
      this.candidateHits = 0;
    }
    if (digit === null || digit !== this.candidate) {
      this.candidate = digit;
      this.candidateHits = digit === null ? 0 : 1;
      this.candidateFirstStart = windowStart;
    } else {
      this.candidateHits++;
    }
    if (this.candidate !== null && this.candidateHits >= this.hitsToBegin) {
      this.current = { digit: this.candidate, firstStart: this.candidateFirstStart, lastStart: windowStart, misses: 0 };
      detections.push({ kind: 'begin', digit: this.candidate, atMs: this.msAt(windowStart + this.windowSamples) });
    }
  }

  private tonePower(samples: Float64Array, start: number, frequencyHz: number): number {
    let best = 0;
    for (const factor of [1 - FREQUENCY_TOLERANCE, 1, 1 + FREQUENCY_TOLERANCE]) {
      const power = goertzelPower(samples, { frequencyHz: frequencyHz * factor, sampleRateHz: this.sampleRateHz, start, length: this.windowSamples });
      if (power > best) best = power;
    }
    return best;
  }

  private strongest(samples: Float64Array, start: number, frequenciesHz: readonly number[]): { best: ToneReading; runnerUp: number } {
    let best: ToneReading = { index: -1, power: -1 };
    let runnerUp = 0;
    frequenciesHz.forEach((frequencyHz, index) => {
      const power = this.tonePower(samples, start, frequencyHz);
      if (power > best.power) {
        runnerUp = Math.max(runnerUp, best.power);
        best = { index, power };
      } else if (power > runnerUp) {
        runnerUp = power;
      }
    });
    return { best, runnerUp };
  }

  private classify(samples: Float64Array, start: number): DtmfDigit | null {
    const n = this.windowSamples;
    const low = this.strongest(samples, start, DTMF_LOW_FREQUENCIES_HZ);
    const high = this.strongest(samples, start, DTMF_HIGH_FREQUENCIES_HZ);
    // Level: amplitude = 2·sqrt(power)/N.
    const lowAmplitude = (2 * Math.sqrt(low.best.power)) / n;
    const highAmplitude = (2 * Math.sqrt(high.best.power)) / n;
    if (lowAmplitude < this.minToneAmplitude || highAmplitude < this.minToneAmplitude) return null;
    // ITU-T Q.24 twist limits.
    if (high.best.power > low.best.power * this.maxHighLouder) return null;
    if (low.best.power > high.best.power * this.maxLowLouder) return null;
    if (low.best.power < low.runnerUp * this.minPeakRatio || high.best.power < high.runnerUp * this.minPeakRatio) return null;
    // Signal to noise: the two tones' mean power (A²/2 each) against what else the block holds.
    let energy = 0;
    for (let i = start; i < start + n; i++) energy += (samples[i] ?? 0) ** 2;
    const meanPower = energy / n;
    const tonesPower = (lowAmplitude ** 2 + highAmplitude ** 2) / 2;
    const restPower = Math.max(meanPower - tonesPower, meanPower * 1e-6);
    if (tonesPower < restPower * this.minSignalToNoise) return null;
    if (this.checkSecondHarmonic) {
      const lowHz = DTMF_LOW_FREQUENCIES_HZ[low.best.index] ?? 0;
      const highHz = DTMF_HIGH_FREQUENCIES_HZ[high.best.index] ?? 0;
      // A harmonic bin within a few bin widths of the other tone reads that tone's
      // leakage (a 20 ms block resolves only 50 Hz), so it is not judged there.
      const clearHz = (HARMONIC_CLEARANCE_BINS * this.sampleRateHz) / n;
      const checks = [
        { harmonicHz: 2 * lowHz, fundamental: low.best.power, otherHz: highHz },
        { harmonicHz: 2 * highHz, fundamental: high.best.power, otherHz: lowHz },
      ];
      for (const { harmonicHz, fundamental, otherHz } of checks) {
        if (harmonicHz >= this.sampleRateHz / 2 || Math.abs(harmonicHz - otherHz) < clearHz) continue;
        const harmonic = goertzelPower(samples, { frequencyHz: harmonicHz, sampleRateHz: this.sampleRateHz, start, length: n });
        if (harmonic > fundamental * this.maxSecondHarmonic) return null;
      }
    }
    return dtmfDigitAt(low.best.index, high.best.index);
  }
}
