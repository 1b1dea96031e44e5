/**
 * Locates a sender's reference PCM inside a jitter buffer's output and
 * compares them sample by sample, to prove frames came through unaltered.
 */

/** Output index where reference[referenceStart..] begins, if a `probeLength` stretch matches exactly. */
export function findReferenceOffset(
  output: Int16Array,
  reference: Int16Array,
  referenceStart: number,
  probeLength = 160,
): number | undefined {
  outer: for (let offset = 0; offset + probeLength <= output.length; offset++) {
    for (let i = 0; i < probeLength; i++) {
      if (output[offset + i] !== reference[referenceStart + i]) continue outer;
    }
    return offset;
  }
  return undefined;
}

/** Samples that differ between output[outputStart..] and reference[referenceStart..] over `length`. */
export function countMismatches(output: Int16Array, outputStart: number, reference: Int16Array, referenceStart: number, length: number): number {
  let mismatches = 0;
  for (let i = 0; i < length; i++) if (output[outputStart + i] !== reference[referenceStart + i]) mismatches++;
  return mismatches;
}
