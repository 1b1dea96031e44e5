/** RFC 3261 §20.8 Call-ID. */
import { isChar, WORD } from './char-classes.ts';
import { SipSyntaxError } from './errors.ts';

/** RFC 3261 §25.1: callid = word [ "@" word ]; returns the value trimmed, throws SipSyntaxError. */
export function checkCallId(raw: string): string {
  const value = raw.trim();
  let at = -1;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x40 /* @ */ && at < 0 && i > 0) at = i;
    else if (!isChar(code, WORD)) throw new SipSyntaxError({ what: 'Call-ID', problem: 'invalid character', text: value, offset: i });
  }
  if (value.length === 0 || at === value.length - 1) throw new SipSyntaxError({ what: 'Call-ID', problem: 'empty word', text: value });
  return value;
}

/**
 * True when text[start, end) is a Call-ID exactly as written (no white space
 * to trim): what `checkCallId` accepts unchanged, checked in place.
 */
export function isCallIdAt(text: string, start: number, end: number): boolean {
  if (end <= start) return false;
  let at = -1;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x40 /* @ */ && at < 0 && i > start) at = i;
    else if (!isChar(code, WORD)) return false;
  }
  return at !== end - 1;
}
