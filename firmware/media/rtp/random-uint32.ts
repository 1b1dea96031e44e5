/**
 * RFC 3550 §5.1 / §8.1: the initial sequence number, initial timestamp and
 * SSRC are random; Appendix A.6 asks for a strong source. Node's CSPRNG.
 */
import { getRandomValues } from 'node:crypto';

export type RandomUint32 = () => number;

export const cryptoRandomUint32: RandomUint32 = () => getRandomValues(new Uint32Array(1))[0] ?? 0;
