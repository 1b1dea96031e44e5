/**
 * RFC 3261 §19.1.2 / §25.1 `escaped` = "%" HEXDIG HEXDIG: decoding on parse,
 * re-escaping on format. Decoded octets are read as UTF-8 when they form valid
 * UTF-8, otherwise one character per octet (so `%00` and `%FF` survive and
 * nothing is truncated at a NUL, RFC 4475 §3.1.1.4). Formatting always writes
 * non-ASCII characters as their UTF-8 octets.
 */
import { isChar } from './char-classes.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();
const HEX_DIGITS = '0123456789ABCDEF';

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/** Decodes `%HH` escapes in `text`; the caller has already checked that every `%` is followed by two hex digits. */
export function unescapePercent(text: string): string {
  if (text.indexOf('%') < 0) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code !== 0x25) {
      out += text[i];
      i++;
      continue;
    }
    // A run of escapes is decoded together so multi-octet UTF-8 sequences come out whole.
    const bytes: number[] = [];
    while (i + 2 < text.length && text.charCodeAt(i) === 0x25) {
      const high = hexValue(text.charCodeAt(i + 1));
      const low = hexValue(text.charCodeAt(i + 2));
      if (high < 0 || low < 0) break;
      bytes.push(high * 16 + low);
      i += 3;
    }
    if (bytes.length === 0) {
      out += '%';
      i++;
      continue;
    }
    out += decodeOctets(bytes);
  }
  return out;
}

function decodeOctets(bytes: number[]): string {
  const array = Uint8Array.from(bytes);
  try {
    return utf8.decode(array);
  } catch {
    return String.fromCharCode(...bytes);
  }
}

/** True when `text[index]` starts a well-formed escape (`%` HEX HEX) ending before `end`. */
export function isEscapeAt(text: string, index: number, end: number = text.length): boolean {
  return (
    index + 2 < end &&
    text.charCodeAt(index) === 0x25 &&
    hexValue(text.charCodeAt(index + 1)) >= 0 &&
    hexValue(text.charCodeAt(index + 2)) >= 0
  );
}

/**
 * Escapes every character not in the character classes `allowedFlags` (and
 * always `%` itself): UTF-8 octets as upper-case `%HH`.
 */
export function escapePercent(text: string, allowedFlags: number): string {
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x25 || !isChar(code, allowedFlags)) {
      plain = false;
      break;
    }
  }
  if (plain) return text;
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code !== 0x25 && isChar(code, allowedFlags)) {
      out += ch;
      continue;
    }
    const octets = code < 0x80 ? [code] : encoder.encode(ch);
    for (const octet of octets) out += `%${HEX_DIGITS[octet >> 4]}${HEX_DIGITS[octet & 15]}`;
  }
  return out;
}
