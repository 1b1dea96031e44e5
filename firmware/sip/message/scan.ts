/**
 * Small scanning helpers for header values (RFC 3261 §25.1): linear white
 * space, tokens, quoted strings. Values reach these after folding has been
 * undone, so LWS is SP/HT (stray CR/LF are skipped as well).
 *
 * Scanners read a span text[start, end) of a larger text (a value in the
 * header section as received, so no substring is made) and never look at
 * `end` or beyond.
 */
import { isChar, isLws, TOKEN } from './char-classes.ts';
import { SipSyntaxError } from './errors.ts';

/** SP or HT: the white space of a header line before folding is undone. */
export function isSpaceOrTab(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** `text` as a JSON string for an error message, cut after 40 characters. */
export function quotedExcerpt(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
}

/** Index of the first character at or after `start` that is not LWS (`end` when none). */
export function skipLws(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && isLws(text.charCodeAt(i))) i++;
  return i;
}

/** End index of the token starting at `start` (== start when there is none). */
export function scanToken(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && isChar(text.charCodeAt(i), TOKEN)) i++;
  return i;
}

/**
 * RFC 3261 §25.1 quoted-string = DQUOTE *(qdtext / quoted-pair) DQUOTE, with
 * `text[start]` the opening quote. Returns the index just after the closing quote.
 */
export function scanQuotedString(text: string, start: number, end: number, what: string): number {
  let i = start + 1;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (code === 0x5c /* \ */) {
      if (i + 1 >= end) break;
      i += 2;
    } else if (code === 0x22 /* " */) {
      return i + 1;
    } else i++;
  }
  throw new SipSyntaxError({ what, problem: 'unterminated quoted string', text, offset: start });
}

/** The content of a quoted string (without its quotes) with quoted-pairs undone. */
export function unquote(inner: string): string {
  if (inner.indexOf('\\') < 0) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i] as string;
    if (ch === '\\' && i + 1 < inner.length) {
      out += inner[i + 1];
      i++;
    } else out += ch;
  }
  return out;
}

/** A quoted-string for `text`: `"` and `\` escaped as quoted-pairs. */
export function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '"' || ch === '\\') out += '\\';
    out += ch;
  }
  return `${out}"`;
}

/** True when text[start, start + expected.length) is exactly `expected` (a loop: cheaper than `startsWith` at a position). */
export function startsWithAt(text: string, start: number, expected: string): boolean {
  if (start + expected.length > text.length) return false;
  for (let i = 0; i < expected.length; i++) if (text.charCodeAt(start + i) !== expected.charCodeAt(i)) return false;
  return true;
}

/**
 * True when text[start, start + lower.length) equals `lower` (lower case)
 * ignoring the case of ASCII letters; any other character must match exactly.
 */
export function equalsLower(text: string, start: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    const code = text.charCodeAt(start + i);
    const wanted = lower.charCodeAt(i);
    if (code !== wanted && ((code | 0x20) !== wanted || wanted < 0x61 || wanted > 0x7a)) return false;
  }
  return true;
}

/**
 * text[start, end) lower-cased; callers pass grammar-checked ASCII (hosts,
 * schemes, tokens). Native: `toLowerCase` returns its receiver when nothing
 * changes, and scans faster than a loop here would.
 */
export function lowerSlice(text: string, start: number, end: number): string {
  return text.slice(start, end).toLowerCase();
}

/** text[start, end) upper-cased (natively, as `lowerSlice`). */
export function upperSlice(text: string, start: number, end: number): string {
  return text.slice(start, end).toUpperCase();
}
