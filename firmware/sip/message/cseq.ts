/** RFC 3261 §20.16 CSeq = 1*DIGIT LWS Method. */
import { DIGIT, isChar } from './char-classes.ts';
import { SipSyntaxError } from './errors.ts';
import { methodName } from './param-names.ts';
import { scanToken, skipLws } from './scan.ts';
import type { CSeq } from './types.ts';

/** RFC 3261 §8.1.1.5: the sequence number MUST be less than 2^31. */
export const MAX_CSEQ = 2 ** 31 - 1;

const WHAT = 'CSeq';

export function parseCSeq(value: string): CSeq {
  let i = skipLws(value, 0, value.length);
  const digitsStart = i;
  let seq = 0;
  while (i < value.length && isChar(value.charCodeAt(i), DIGIT)) {
    seq = seq * 10 + (value.charCodeAt(i) - 0x30);
    if (seq > MAX_CSEQ) throw new SipSyntaxError({ what: WHAT, problem: 'sequence number is not below 2^31', text: value, offset: digitsStart });
    i++;
  }
  if (i === digitsStart) throw new SipSyntaxError({ what: WHAT, problem: 'expected a sequence number', text: value, offset: i });
  const methodStart = skipLws(value, i, value.length);
  if (methodStart === i) throw new SipSyntaxError({ what: WHAT, problem: 'expected white space before the method', text: value, offset: i });
  const methodEnd = scanToken(value, methodStart, value.length);
  if (methodEnd === methodStart) throw new SipSyntaxError({ what: WHAT, problem: 'expected a method', text: value, offset: methodStart });
  if (skipLws(value, methodEnd, value.length) !== value.length) {
    throw new SipSyntaxError({ what: WHAT, problem: 'unexpected character after the method', text: value, offset: methodEnd });
  }
  return { seq, method: methodName(value, methodStart, methodEnd) };
}

export function formatCSeq(cseq: CSeq): string {
  return `${cseq.seq} ${cseq.method}`;
}
