/**
 * ITU-T G.722 SB-ADPCM encoder, 64 kbit/s (mode 1): 16 kHz 16-bit PCM in,
 * one octet per pair of samples out (bits 7-6: higher sub-band IH, bits
 * 5-0: lower sub-band IL; RFC 3551 §4.5.2 packs them into RTP as they come).
 * Integer arithmetic with the reference's saturation, so the bitstream is
 * that of the ITU-T reference code. State carries across calls.
 */
import { encodeHigher } from './higher-sub-band.ts';
import { encodeLower } from './lower-sub-band.ts';
import { QmfAnalysis } from './qmf-analysis.ts';
import { SubBandState } from './sub-band-state.ts';

export class G722Encoder {
  readonly #qmf = new QmfAnalysis();
  readonly #lower = new SubBandState(32);
  readonly #higher = new SubBandState(8);

  /** Back to the reset state of §6 (all delays and predictors zero, DETL 32, DETH 8). */
  reset(): void {
    this.#qmf.reset();
    this.#lower.reset();
    this.#higher.reset();
  }

  /**
   * Encodes an even number of samples into `pcm.length / 2` octets, written
   * into `out` when given (it must be long enough).
   */
  encode(pcm: Int16Array, out?: Uint8Array): Uint8Array {
    if (pcm.length % 2 !== 0) throw new RangeError(`G.722 encodes sample pairs; got ${pcm.length} samples`);
    const count = pcm.length >> 1;
    const codes = out ?? new Uint8Array(count);
    if (codes.length < count) throw new RangeError(`output holds ${codes.length} octets, need ${count}`);
    const qmf = this.#qmf;
    const lower = this.#lower;
    const higher = this.#higher;
    for (let i = 0; i < count; i++) {
      qmf.split(pcm[2 * i]!, pcm[2 * i + 1]!);
      const il = encodeLower(lower, qmf.lower);
      const ih = encodeHigher(higher, qmf.higher);
      codes[i] = (ih << 6) | il;
    }
    return codes;
  }
}
