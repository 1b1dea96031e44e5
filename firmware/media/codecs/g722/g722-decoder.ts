/**
 * ITU-T G.722 SB-ADPCM decoder, 64 kbit/s (mode 1): one octet in, two 16 kHz
 * 16-bit samples out. Any octet is a valid code, so the decoder never fails
 * on corrupt input; the output stays within the 16-bit range by construction.
 */
import { decodeHigher } from './higher-sub-band.ts';
import { decodeLower } from './lower-sub-band.ts';
import { QmfSynthesis } from './qmf-synthesis.ts';
import { SubBandState } from './sub-band-state.ts';

export class G722Decoder {
  readonly #qmf = new QmfSynthesis();
  readonly #lower = new SubBandState(32);
  readonly #higher = new SubBandState(8);

  reset(): void {
    this.#qmf.reset();
    this.#lower.reset();
    this.#higher.reset();
  }

  /** Decodes octets into `2 × codes.length` samples, written into `out` when given (it must be long enough). */
  decode(codes: Uint8Array, out?: Int16Array): Int16Array {
    const count = codes.length;
    const pcm = out ?? new Int16Array(count * 2);
    if (pcm.length < count * 2) throw new RangeError(`output holds ${pcm.length} samples, need ${count * 2}`);
    const qmf = this.#qmf;
    const lower = this.#lower;
    const higher = this.#higher;
    for (let i = 0; i < count; i++) {
      const code = codes[i]!;
      const rl = decodeLower(lower, code & 0x3f);
      const rh = decodeHigher(higher, code >> 6);
      qmf.merge(rl, rh);
      pcm[2 * i] = qmf.first;
      pcm[2 * i + 1] = qmf.second;
    }
    return pcm;
  }
}
