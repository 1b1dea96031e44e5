import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DtmfDetector, type DtmfDetection, type DtmfDetectorOptions } from '../../../../firmware/media/dtmf/dtmf-detector.ts';
import { dtmfTonePattern } from '../../../../firmware/media/dtmf/dtmf-tone.ts';
import { dtmfFrequenciesHz, type DtmfDigit } from '../../../../firmware/media/dtmf/dtmf-digits.ts';
import { ToneGenerator } from '../../../../firmware/media/tones/tone-generator.ts';
import { silenceStep, type TonePattern, type ToneStep } from '../../../../firmware/media/tones/tone-pattern.ts';
import { componentLevelDbm0 } from '../../../support/audio/signal-measurements.ts';
import { mixSignals, whiteNoise } from '../../../support/audio/signal-generators.ts';
import { formantSpeech, musicLikeChords } from '../../../support/audio/speech-and-music.ts';

const ALL_DIGITS = '123A456B789C*0#D'.split('') as DtmfDigit[];
const RATES_HZ = [8000, 16000] as const;

function detect(samples: Int16Array, options: DtmfDetectorOptions, frameSamples = options.sampleRateHz / 50): DtmfDetection[] {
  const detector = new DtmfDetector(options);
  const out: DtmfDetection[] = [];
  for (let i = 0; i < samples.length; i += frameSamples) out.push(...detector.process(samples.subarray(i, i + frameSamples)));
  out.push(...detector.process(new Int16Array(options.sampleRateHz / 5))); // trailing silence ends the last digit
  return out;
}

function play(pattern: TonePattern, sampleRateHz: number, leadMs = 0): Int16Array {
  const generator = new ToneGenerator({ sampleRateHz, pattern });
  const lead = Math.round((leadMs * sampleRateHz) / 1000);
  const body: Int16Array[] = [];
  while (!generator.done) body.push(generator.render(sampleRateHz / 100));
  const out = new Int16Array(lead + body.length * (sampleRateHz / 100));
  body.forEach((frame, i) => out.set(frame, lead + i * frame.length));
  return out;
}

function pair(lowHz: number, highHz: number, lowDbm0: number, highDbm0: number, durationMs = 100): ToneStep {
  return { durationMs, components: [{ frequencyHz: lowHz, levelDbm0: lowDbm0 }, { frequencyHz: highHz, levelDbm0: highDbm0 }] };
}

const digitsOf = (detections: readonly DtmfDetection[], kind: 'begin' | 'end') => detections.filter((d) => d.kind === kind).map((d) => d.digit).join('');

test('ITU-T Q.23/Q.24: all 16 digits at 8 and 16 kHz, each reported once, begin then end, 100 ms ± 10', () => {
  for (const sampleRateHz of RATES_HZ) {
    const detections = detect(play(dtmfTonePattern(ALL_DIGITS, { toneMs: 100, pauseMs: 100 }), sampleRateHz), { sampleRateHz });
    assert.equal(digitsOf(detections, 'begin'), ALL_DIGITS.join(''));
    assert.equal(digitsOf(detections, 'end'), ALL_DIGITS.join(''));
    assert.deepEqual(detections.map((d) => d.kind), ALL_DIGITS.flatMap(() => ['begin', 'end']));
    for (const d of detections) if (d.kind === 'end') assert.ok(Math.abs(d.durationMs - 100) <= 10, `${d.digit}: ${d.durationMs} ms`);
  }
});

test('ITU-T Q.24: a 40 ms tone is always detected; a 24 ms one never (at every alignment to the analysis blocks)', () => {
  for (const sampleRateHz of RATES_HZ) {
    for (let leadMs = 0; leadMs < 10; leadMs++) {
      const long = detect(play(dtmfTonePattern('5', { toneMs: 40 }), sampleRateHz, leadMs), { sampleRateHz });
      assert.equal(digitsOf(long, 'end'), '5', `${sampleRateHz} Hz, 40 ms at +${leadMs} ms`);
      const short = detect(play(dtmfTonePattern('5', { toneMs: 24 }), sampleRateHz, leadMs), { sampleRateHz });
      assert.deepEqual(short, [], `${sampleRateHz} Hz, 24 ms at +${leadMs} ms`);
    }
  }
});

test('ITU-T Q.24: a 10 ms interruption does not split a digit; a 40 ms pause separates two', () => {
  for (const sampleRateHz of RATES_HZ) {
    const tone = pair(852, 1336, -8, -6, 80);
    const interrupted = play({ name: 'x', steps: [tone, silenceStep(10), tone, silenceStep(100)], repeat: false }, sampleRateHz);
    assert.equal(digitsOf(detect(interrupted, { sampleRateHz }), 'end'), '8');
    const paused = play({ name: 'x', steps: [tone, silenceStep(40), tone, silenceStep(100)], repeat: false }, sampleRateHz);
    assert.equal(digitsOf(detect(paused, { sampleRateHz }), 'end'), '88');
  }
});

test('ITU-T Q.24: frequencies off by ±1.5 % are detected, off by ±3.5 % are not (every digit)', () => {
  for (const sampleRateHz of RATES_HZ) {
    for (const digit of ALL_DIGITS) {
      const { lowHz, highHz } = dtmfFrequenciesHz(digit);
      for (const [deviation, expected] of [[0.015, digit], [-0.015, digit], [0.035, ''], [-0.035, '']] as const) {
        const samples = play({ name: 'x', steps: [pair(lowHz * (1 + deviation), highHz * (1 + deviation), -8, -6), silenceStep(50)], repeat: false }, sampleRateHz);
        assert.equal(digitsOf(detect(samples, { sampleRateHz }), 'end'), expected, `${sampleRateHz} Hz ${digit} ${deviation * 100} %`);
      }
    }
  }
});

test('ITU-T Q.24: twist (limits +8/-4 dB): high tone 7 dB louder or 3 dB softer is accepted, 10 dB louder or 6 dB softer is not', () => {
  for (const sampleRateHz of RATES_HZ) {
    const cases = [
      { low: -14, high: -7, expected: '1' },
      { low: -17, high: -7, expected: '' },
      { low: -7, high: -10, expected: '1' },
      { low: -7, high: -13, expected: '' },
    ];
    for (const c of cases) {
      const samples = play({ name: 'x', steps: [pair(697, 1209, c.low, c.high), silenceStep(50)], repeat: false }, sampleRateHz);
      assert.equal(digitsOf(detect(samples, { sampleRateHz }), 'end'), c.expected, `${sampleRateHz} Hz low ${c.low} high ${c.high}`);
    }
  }
});

test('ITU-T Q.24: sensitivity: -30 dBm0 per tone is detected, -36 dBm0 is not', () => {
  for (const sampleRateHz of RATES_HZ) {
    const quiet = play(dtmfTonePattern('9', { lowLevelDbm0: -30, highLevelDbm0: -30 }), sampleRateHz);
    assert.equal(digitsOf(detect(quiet, { sampleRateHz }), 'end'), '9');
    const tooQuiet = play(dtmfTonePattern('9', { lowLevelDbm0: -36, highLevelDbm0: -36 }), sampleRateHz);
    assert.equal(digitsOf(detect(tooQuiet, { sampleRateHz }), 'end'), '');
  }
});

test('ITU-T Q.24: digits in white noise 15 dB below the tones are all detected', () => {
  for (const sampleRateHz of RATES_HZ) {
    const tones = play(dtmfTonePattern(ALL_DIGITS, { toneMs: 70, pauseMs: 70, lowLevelDbm0: -15, highLevelDbm0: -13 }), sampleRateHz);
    const noise = whiteNoise({ seed: 7, sampleRateHz, durationMs: (tones.length * 1000) / sampleRateHz, levelDbm0: -26 });
    assert.equal(digitsOf(detect(mixSignals(tones, noise), { sampleRateHz }), 'end'), ALL_DIGITS.join(''));
  }
});

test('Talk-off (ITU-T Q.24): 100 s each of seeded white noise, speech-like sound and music-like chords detect nothing', () => {
  for (const sampleRateHz of RATES_HZ) {
    for (let seed = 1; seed <= 5; seed++) {
      for (const [name, generate] of [['noise', whiteNoise], ['speech', formantSpeech], ['music', musicLikeChords]] as const) {
        for (const levelDbm0 of [-10, -25]) {
          const signal = generate({ seed, sampleRateHz, durationMs: 20_000, levelDbm0 });
          assert.deepEqual(detect(signal, { sampleRateHz }), [], `${name} seed ${seed} at ${levelDbm0} dBm0, ${sampleRateHz} Hz`);
        }
      }
    }
  }
});

test('Talk-off: an instrument sounding 697 + 1209 Hz with second harmonics 8 dB down is refused by the harmonic check', () => {
  for (const sampleRateHz of RATES_HZ) {
    const step: ToneStep = {
      durationMs: 300,
      components: [
        { frequencyHz: 697, levelDbm0: -10 },
        { frequencyHz: 1209, levelDbm0: -10 },
        { frequencyHz: 1394, levelDbm0: -18 },
        { frequencyHz: 2418, levelDbm0: -18 },
      ],
    };
    const samples = play({ name: 'instrument', steps: [step, silenceStep(50)], repeat: false }, sampleRateHz);
    assert.ok(Math.abs(componentLevelDbm0(samples, { frequencyHz: 2418, sampleRateHz, start: sampleRateHz / 10, length: sampleRateHz / 10 }) + 18) < 0.5);
    assert.deepEqual(detect(samples, { sampleRateHz }), []);
    // Without the check the same sound passes as a '1': the check is what refuses it.
    assert.equal(digitsOf(detect(samples, { sampleRateHz, checkSecondHarmonic: false }), 'end'), '1');
  }
});

test('detector: the result does not depend on the frame size', () => {
  const samples = play(dtmfTonePattern(['7', '#', '0'], { toneMs: 60, pauseMs: 50 }), 8000);
  const reference = detect(samples, { sampleRateHz: 8000 }, 160);
  assert.equal(digitsOf(reference, 'end'), '7#0');
  for (const frameSamples of [1, 37, 80, 1000]) assert.deepEqual(detect(samples, { sampleRateHz: 8000 }, frameSamples), reference, `${frameSamples}`);
});
