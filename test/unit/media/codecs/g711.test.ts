import { test } from 'node:test';
import assert from 'node:assert/strict';
import alawmulaw from 'alawmulaw';
import { g711 } from '../../../../firmware/media/codecs/g711.ts';

const { alaw, mulaw } = alawmulaw;

/** One code's decision interval, in 16-bit units of magnitude: [lower, upper). */
interface DecisionInterval {
  readonly code: number;
  readonly positive: boolean;
  readonly lower: number;
  readonly upper: number;
}

/**
 * ITU-T G.711 Table 2 (μ-law), in 14-bit units biased by 33: segment e
 * (bits inverted) spans [2^(e+5), 2^(e+6)) in 16 steps of 2^(e+1); ×4 to 16-bit.
 */
function muLawInterval(code: number): DecisionInterval {
  const inverted = ~code & 0xff;
  const exponent = (inverted >> 4) & 7;
  const mantissa = inverted & 15;
  const lowerBiased = 2 ** (exponent + 5) + mantissa * 2 ** (exponent + 1);
  return { code, positive: (code & 0x80) !== 0, lower: (lowerBiased - 33) * 4, upper: (lowerBiased + 2 ** (exponent + 1) - 33) * 4 };
}

/**
 * ITU-T G.711 Table 1 (A-law), in 13-bit units: segment 0 spans [0, 32) in
 * steps of 2, segment s ≥ 1 spans [2^(s+4), 2^(s+5)) in steps of 2^s; ×8 to 16-bit.
 */
function aLawInterval(code: number): DecisionInterval {
  const toggled = (code ^ 0x55) & 0x7f;
  const segment = toggled >> 4;
  const mantissa = toggled & 15;
  const step = segment === 0 ? 2 : 2 ** segment;
  const lower = segment === 0 ? 2 * mantissa : 2 ** (segment + 4) + mantissa * step;
  return { code, positive: (code & 0x80) !== 0, lower: lower * 8, upper: (lower + step) * 8 };
}

/** The decoder output is the middle of the code's decision interval (ITU-T G.711 Tables 1/2, "decoder output value"). */
function levelOf(interval: DecisionInterval): number {
  const magnitude = (interval.lower + interval.upper) / 2;
  return interval.positive ? magnitude : 0 - magnitude + 0;
}

/**
 * An independent encoder built from the decision intervals alone: the
 * same-sign code whose interval holds the magnitude (beyond the last interval:
 * the last code). Magnitude of a negative sample is its one's complement
 * (ITU-T G.191 STL convention, intervals symmetric around -1/2).
 */
function intervalEncoder(intervalOf: (code: number) => DecisionInterval): (sample: number) => number {
  const all = Array.from({ length: 256 }, (_, code) => intervalOf(code));
  const bySign = (positive: boolean): DecisionInterval[] => all.filter((interval) => interval.positive === positive).sort((x, y) => x.lower - y.lower);
  const positive = bySign(true);
  const negative = bySign(false);
  const find = (intervals: DecisionInterval[], magnitude: number): number => {
    let found = intervals[0]!;
    for (const interval of intervals) if (interval.lower <= magnitude) found = interval;
    return found.code;
  };
  return (sample) => (sample >= 0 ? find(positive, sample) : find(negative, ~sample));
}

test('ITU-T G.711 Table 2: μ-law decoding of all 256 codes gives the middle of each decision interval, as alawmulaw does', () => {
  for (let code = 0; code < 256; code++) {
    assert.equal(g711.muLawToLinear(code), levelOf(muLawInterval(code)), `code ${code}`);
    assert.equal(g711.muLawToLinear(code), mulaw.decodeSample(code) + 0, `code ${code} vs alawmulaw (its -0 for code 127 read as 0)`);
  }
});

test('ITU-T G.711 Table 1: A-law decoding of all 256 codes gives the middle of each decision interval, as alawmulaw does', () => {
  for (let code = 0; code < 256; code++) {
    assert.equal(g711.aLawToLinear(code), levelOf(aLawInterval(code)), `code ${code}`);
    assert.equal(g711.aLawToLinear(code), alaw.decodeSample(code), `code ${code} vs alawmulaw`);
  }
});

test('ITU-T G.711: μ-law encoding of all 65536 inputs falls in its decision interval (formula reference)', () => {
  const reference = intervalEncoder(muLawInterval);
  for (let sample = -32768; sample < 32768; sample++) {
    assert.equal(g711.linearToMuLaw(sample), reference(sample), `sample ${sample}`);
  }
});

test('ITU-T G.711: A-law encoding of all 65536 inputs falls in its decision interval (formula reference)', () => {
  const reference = intervalEncoder(aLawInterval);
  for (let sample = -32768; sample < 32768; sample++) {
    assert.equal(g711.linearToALaw(sample), reference(sample), `sample ${sample}`);
  }
});

/**
 * alawmulaw takes a negative sample's magnitude as −x (two's complement), the
 * ITU-T G.191 reference as ~x = −x−1. They agree on every input except the
 * 127 negative decision boundaries, where alawmulaw's code is our code for
 * x−1 (one level further from zero).
 */
function compareWithAlawmulaw(ours: (sample: number) => number, theirs: (sample: number) => number, name: string): void {
  const disagreements: number[] = [];
  for (let sample = -32768; sample < 32768; sample++) {
    const their = theirs(sample) & 0xff;
    if (their === ours(sample)) continue;
    disagreements.push(sample);
    assert.ok(sample < 0, `${name}: disagreement at non-negative ${sample}`);
    assert.equal(their, ours(sample - 1), `${name}: at ${sample} alawmulaw should equal our code for ${sample - 1}`);
  }
  assert.equal(disagreements.length, 127, `${name}: ${disagreements.length} disagreements`);
}

test('ITU-T G.711 vs alawmulaw: μ-law encoding of all 65536 inputs agrees except at the 127 negative decision boundaries', () => {
  compareWithAlawmulaw(g711.linearToMuLaw, mulaw.encodeSample, 'μ-law');
});

test('ITU-T G.711 vs alawmulaw: A-law encoding of all 65536 inputs agrees except at the 127 negative decision boundaries', () => {
  compareWithAlawmulaw(g711.linearToALaw, alaw.encodeSample, 'A-law');
});

test('ITU-T G.711: block encode/decode equal the per-sample functions and write into a given buffer', () => {
  const pcm = new Int16Array(65536);
  for (let i = 0; i < pcm.length; i++) pcm[i] = i - 32768;
  const mu = g711.encodeMuLaw(pcm);
  const a = new Uint8Array(pcm.length);
  assert.equal(g711.encodeALaw(pcm, a), a);
  for (let i = 0; i < pcm.length; i++) {
    assert.equal(mu[i], g711.linearToMuLaw(pcm[i]!));
    assert.equal(a[i], g711.linearToALaw(pcm[i]!));
  }
  const decodedMu = g711.decodeMuLaw(mu);
  const decodedA = g711.decodeALaw(a);
  for (let i = 0; i < pcm.length; i++) {
    assert.equal(decodedMu[i], g711.muLawToLinear(mu[i]!));
    assert.equal(decodedA[i], g711.aLawToLinear(a[i]!));
  }
  assert.throws(() => g711.encodeMuLaw(pcm, new Uint8Array(10)), RangeError);
  assert.throws(() => g711.decodeALaw(a, new Int16Array(10)), RangeError);
});

test('ITU-T G.711: decode(encode(decode(c))) = decode(c) for every code (levels are fixed points)', () => {
  for (let code = 0; code < 256; code++) {
    const muLevel = g711.muLawToLinear(code);
    assert.equal(g711.muLawToLinear(g711.linearToMuLaw(muLevel)), muLevel);
    const aLevel = g711.aLawToLinear(code);
    assert.equal(g711.aLawToLinear(g711.linearToALaw(aLevel)), aLevel);
  }
});
