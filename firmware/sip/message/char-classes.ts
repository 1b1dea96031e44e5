/**
 * Character classes of the RFC 3261 §25.1 grammar as a bit table, so the
 * hand-written scanners test a character with one array look-up (no regular
 * expressions, no backtracking).
 */

export const ALPHANUM = 1 << 0;
/** RFC 3261 §25.1 `unreserved` = alphanum / mark (`-_.!~*'()`). */
export const UNRESERVED = 1 << 1;
/** `token` characters: alphanum / `-.!%*_+\`'~`. */
export const TOKEN = 1 << 2;
/** `user-unreserved`: `&=+$,;?/`. */
export const USER_UNRESERVED = 1 << 3;
/** Password extras: `&=+$,`. */
export const PASSWORD_UNRESERVED = 1 << 4;
/** `param-unreserved`: `[]/:&+$`. */
export const PARAM_UNRESERVED = 1 << 5;
/** `hnv-unreserved`: `[]/?:+$`. */
export const HNV_UNRESERVED = 1 << 6;
/** Host name characters: alphanum / `-` / `.`. */
export const HOSTNAME = 1 << 7;
/** `word` characters (Call-ID): token chars plus `()<>:\"/[]?{}`. */
export const WORD = 1 << 8;
export const HEX = 1 << 9;
export const DIGIT = 1 << 10;
/** RFC 3966 `phonedigit-hex` with visual separators: HEXDIG / `*#-.()`. */
export const PHONEDIGIT_HEX = 1 << 11;
/** RFC 3986 scheme characters after the first: ALPHA / DIGIT / `+-.`. */
export const SCHEME = 1 << 12;
/** RFC 3261 §25.1 gen-value without quotes: token / host, i.e. token characters plus `:[]` (IPv6). */
export const GEN_VALUE = 1 << 13;

const table = new Uint16Array(128);

function add(chars: string, flags: number): void {
  for (let i = 0; i < chars.length; i++) {
    const code = chars.charCodeAt(i);
    table[code] = (table[code] ?? 0) | flags;
  }
}

const DIGITS = '0123456789';
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
add(DIGITS, ALPHANUM | UNRESERVED | TOKEN | HOSTNAME | WORD | HEX | DIGIT | PHONEDIGIT_HEX | SCHEME);
add(LETTERS, ALPHANUM | UNRESERVED | TOKEN | HOSTNAME | WORD | SCHEME);
add('abcdefABCDEF', HEX | PHONEDIGIT_HEX);
add("-_.!~*'()", UNRESERVED);
add("-.!%*_+`'~", TOKEN | WORD);
add('()<>:\\"/[]?{}', WORD);
add('&=+$,;?/', USER_UNRESERVED);
add('&=+$,', PASSWORD_UNRESERVED);
add('[]/:&+$', PARAM_UNRESERVED);
add('[]/?:+$', HNV_UNRESERVED);
add('-.', HOSTNAME);
add('*#-.()', PHONEDIGIT_HEX);
add('+-.', SCHEME);
add(`${DIGITS}${LETTERS}-.!%*_+\`'~:[]`, GEN_VALUE);

/** True when the UTF-16 code unit belongs to one of the classes in `flags` (never for non-ASCII). */
export function isChar(code: number, flags: number): boolean {
  return code < 128 && ((table[code] as number) & flags) !== 0;
}

export function isTokenChar(code: number): boolean {
  return code < 128 && ((table[code] as number) & TOKEN) !== 0;
}

/** True when every character of a non-empty string is a token character. */
export function isToken(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || ((table[code] as number) & TOKEN) === 0) return false;
  }
  return true;
}

/** Linear white space inside a (folding-undone) header value: SP, HT, and stray CR/LF. */
export function isLws(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}
