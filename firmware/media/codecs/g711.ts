/**
 * ITU-T G.711 companding: 16-bit linear PCM <-> 8-bit μ-law and A-law codes.
 *
 * Encoding is a lookup in a 65 536-entry table per law (indexed by the
 * sample's 16-bit pattern), decoding a lookup in a 256-entry table. The
 * tables are built once, at module load, from the conversion rules of the
 * ITU-T reference implementation (G.191 Software Tools Library, module
 * g711): negative samples take their one's complement before quantisation,
 * so the decision intervals are symmetric around -1/2 and -32768 maps to
 * the same code as -32767.
 */

/**
 * ITU-T G.711 §3 (A-law), Tables 1a/1b: the magnitude (top 12 bits of the
 * 16-bit sample) falls in one of 8 segments, 16 steps each; segments 0 and 1
 * share the smallest step. Even bits are inverted (XOR 0x55); bit 8 set = positive.
 */
function linearToALawFormula(sample: number): number {
  let magnitude = sample < 0 ? ~sample >> 4 : sample >> 4; // 0..2047
  if (magnitude > 15) {
    let exponent = 1;
    while (magnitude > 31) {
      magnitude >>= 1;
      exponent++;
    }
    magnitude = (magnitude - 16) | (exponent << 4);
  }
  if (sample >= 0) magnitude |= 0x80;
  return magnitude ^ 0x55;
}

/**
 * ITU-T G.711 §3 (μ-law), Tables 2a/2b: 14-bit magnitude biased by 33,
 * segment = position of the leading one, all bits inverted; bit 8 set = positive.
 */
function linearToMuLawFormula(sample: number): number {
  let biased = (sample < 0 ? ~sample >> 2 : sample >> 2) + 33;
  if (biased > 0x1fff) biased = 0x1fff;
  let segment = 1;
  for (let rest = biased >> 6; rest !== 0; rest >>= 1) segment++;
  const high = 8 - segment;
  const low = 0x0f - ((biased >> segment) & 0x0f);
  const code = (high << 4) | low;
  return sample >= 0 ? code | 0x80 : code;
}

/** ITU-T G.711 Tables 1a/1b: the decoder output value (16-bit, left-justified 13-bit) of an A-law code. */
function aLawToLinearFormula(code: number): number {
  const toggled = (code ^ 0x55) & 0x7f;
  const exponent = toggled >> 4;
  let mantissa = toggled & 0x0f;
  if (exponent > 0) mantissa += 16;
  mantissa = (mantissa << 4) + 8;
  if (exponent > 1) mantissa <<= exponent - 1;
  return code > 127 ? mantissa : -mantissa;
}

/** ITU-T G.711 Tables 2a/2b: the decoder output value (16-bit, left-justified 14-bit) of a μ-law code. */
function muLawToLinearFormula(code: number): number {
  const inverted = ~code & 0xff;
  const exponent = (inverted >> 4) & 0x07;
  const mantissa = inverted & 0x0f;
  const step = 4 << (exponent + 1);
  const magnitude = (0x80 << exponent) + step * mantissa + step / 2 - 4 * 33;
  return code < 0x80 ? -magnitude : magnitude;
}

function buildEncodeTable(formula: (sample: number) => number): Uint8Array {
  const table = new Uint8Array(65536);
  for (let pattern = 0; pattern < 65536; pattern++) table[pattern] = formula((pattern << 16) >> 16);
  return table;
}

function buildDecodeTable(formula: (code: number) => number): Int16Array {
  const table = new Int16Array(256);
  for (let code = 0; code < 256; code++) table[code] = formula(code);
  return table;
}

const MU_LAW_ENCODE = buildEncodeTable(linearToMuLawFormula);
const A_LAW_ENCODE = buildEncodeTable(linearToALawFormula);
const MU_LAW_DECODE = buildDecodeTable(muLawToLinearFormula);
const A_LAW_DECODE = buildDecodeTable(aLawToLinearFormula);

function encodeWith(table: Uint8Array, pcm: Int16Array, out: Uint8Array | undefined): Uint8Array {
  const codes = out ?? new Uint8Array(pcm.length);
  if (codes.length < pcm.length) throw new RangeError(`output holds ${codes.length} codes, need ${pcm.length}`);
  for (let i = 0; i < pcm.length; i++) codes[i] = table[pcm[i]! & 0xffff]!;
  return codes;
}

function decodeWith(table: Int16Array, codes: Uint8Array, out: Int16Array | undefined): Int16Array {
  const pcm = out ?? new Int16Array(codes.length);
  if (pcm.length < codes.length) throw new RangeError(`output holds ${pcm.length} samples, need ${codes.length}`);
  for (let i = 0; i < codes.length; i++) pcm[i] = table[codes[i]!]!;
  return pcm;
}

/** G.711 μ-law and A-law, sample-wise and block-wise. Block functions write into `out` when given (it must be long enough). */
export const g711 = {
  linearToMuLaw: (sample: number): number => MU_LAW_ENCODE[sample & 0xffff]!,
  linearToALaw: (sample: number): number => A_LAW_ENCODE[sample & 0xffff]!,
  muLawToLinear: (code: number): number => MU_LAW_DECODE[code & 0xff]!,
  aLawToLinear: (code: number): number => A_LAW_DECODE[code & 0xff]!,
  encodeMuLaw: (pcm: Int16Array, out?: Uint8Array): Uint8Array => encodeWith(MU_LAW_ENCODE, pcm, out),
  encodeALaw: (pcm: Int16Array, out?: Uint8Array): Uint8Array => encodeWith(A_LAW_ENCODE, pcm, out),
  decodeMuLaw: (codes: Uint8Array, out?: Int16Array): Int16Array => decodeWith(MU_LAW_DECODE, codes, out),
  decodeALaw: (codes: Uint8Array, out?: Int16Array): Int16Array => decodeWith(A_LAW_DECODE, codes, out),
} as const;
