/**
 * A tolerant scanner for HTTP/SIP authentication field values: the challenges
 * of `WWW-Authenticate` / `Proxy-Authenticate` and the credentials of
 * `Authorization` / `Proxy-Authorization`.
 *
 * It knows the framework grammar only (auth-scheme, auth-param, token68);
 * what the parameters mean is the business of `digest-challenge.ts`. It never
 * throws: whatever it cannot read becomes a message in `errors`, and it
 * resynchronises at the next comma.
 */

/** One challenge or credentials item: the scheme and its parameters. */
export interface AuthItem {
  /** The auth-scheme as written (compare case-insensitively). */
  readonly scheme: string;
  /** Parameter names lower-cased; values unquoted and unescaped. First occurrence wins. */
  readonly params: ReadonlyMap<string, string>;
  /** The token68 form (`Basic dXNlcjpw`), or null. */
  readonly token68: string | null;
  /** Problems inside this item (a duplicate parameter, a bad character in a quoted string...). */
  readonly errors: readonly string[];
}

export interface AuthFieldParse {
  /** Items in the order they appear in the field. */
  readonly items: readonly AuthItem[];
  /** Problems between items (text that is neither a scheme nor a parameter). */
  readonly errors: readonly string[];
}

/** RFC 7230 §3.2.6 tchar (RFC 3261 §25.1 token is the same set for our purposes). */
function isTchar(code: number): boolean {
  if (code >= 0x30 && code <= 0x39) return true; // DIGIT
  if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return true; // ALPHA
  return "!#$%&'*+-.^_`|~".includes(String.fromCharCode(code)) && code < 0x80;
}

/** RFC 7235 §2.1 token68 characters, without the trailing `=` padding. */
function isToken68Char(code: number): boolean {
  if (code >= 0x30 && code <= 0x39) return true;
  if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return true;
  return code === 0x2d || code === 0x2e || code === 0x5f || code === 0x7e || code === 0x2b || code === 0x2f;
}

/** SP, HTAB, and CR/LF left over from folding (tolerated as whitespace). */
function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}

/** qop-option values a server may (wrongly) send unquoted and comma- or space-separated. */
const BARE_QOP_VALUES: ReadonlySet<string> = new Set(['auth', 'auth-int']);

class Scanner {
  pos = 0;

  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  code(at = this.pos): number {
    return at < this.text.length ? this.text.charCodeAt(at) : -1;
  }

  skipWhitespace(): void {
    while (isWhitespace(this.code())) this.pos++;
  }

  /** End index of the token starting at `from` (== from when there is none). */
  tokenEnd(from: number): number {
    let end = from;
    while (end < this.text.length && isTchar(this.text.charCodeAt(end))) end++;
    return end;
  }

  /** First non-whitespace index at or after `from`. */
  nonWhitespace(from: number): number {
    let at = from;
    while (isWhitespace(this.code(at))) at++;
    return at;
  }

  /** Skips to just past the next comma outside quoted strings (or to the end). */
  skipPastComma(): void {
    let inQuotes = false;
    while (!this.done) {
      const ch = this.code();
      this.pos++;
      if (inQuotes) {
        if (ch === 0x5c) this.pos++;
        else if (ch === 0x22) inQuotes = false;
      } else if (ch === 0x22) inQuotes = true;
      else if (ch === 0x2c) return;
    }
  }
}

/**
 * RFC 7235 §2.1 token68, when the text at the scanner is one: a run of
 * token68 characters, optional `=` padding, then a comma or the end.
 * Returns its end index, or -1.
 */
function token68End(scanner: Scanner): number {
  let at = scanner.pos;
  while (isToken68Char(scanner.code(at))) at++;
  if (at === scanner.pos) return -1;
  while (scanner.code(at) === 0x3d) at++;
  const after = scanner.nonWhitespace(at);
  return after >= scanner.text.length || scanner.code(after) === 0x2c ? at : -1;
}

/**
 * RFC 7230 §3.2.6 quoted-string with quoted-pair (RFC 3261 §25.1: the same,
 * plus UTF-8). The scanner is on the opening quote.
 */
function readQuotedString(scanner: Scanner, errors: string[], name: string): string {
  scanner.pos++; // opening quote
  let value = '';
  let badChar = false;
  for (;;) {
    if (scanner.done) {
      errors.push(`unterminated quoted string in parameter "${name}"`);
      return value;
    }
    let code = scanner.code();
    scanner.pos++;
    if (code === 0x22) return value;
    if (code === 0x5c) {
      if (scanner.done) continue;
      code = scanner.code();
      scanner.pos++;
    }
    if (code === 0x0d || code === 0x0a || code === 0x00) {
      if (!badChar) errors.push(`control character in quoted value of parameter "${name}"`);
      badChar = true;
      continue;
    }
    value += String.fromCharCode(code);
  }
}

/**
 * An unquoted value. Strictly a token, but servers send base64 nonces and the
 * like bare (`nonce=ab/c+d==`), so anything up to a comma or whitespace is taken.
 */
function readBareValue(scanner: Scanner, errors: string[], name: string): string {
  const start = scanner.pos;
  while (!scanner.done && scanner.code() !== 0x2c && !isWhitespace(scanner.code())) scanner.pos++;
  const value = scanner.text.slice(start, scanner.pos);
  if (value.length === 0) errors.push(`parameter "${name}" has no value`);
  else if (value.includes('"')) errors.push(`stray quote in value of parameter "${name}"`);
  return value;
}

/**
 * Quirk: `qop=auth,auth-int` or `qop=auth auth-int` (unquoted list). Absorbs the
 * following bare qop values when they are not themselves parameter names.
 */
function readBareQopContinuation(scanner: Scanner, first: string): string {
  let value = first;
  for (;;) {
    let at = scanner.nonWhitespace(scanner.pos);
    if (scanner.code(at) === 0x2c) at = scanner.nonWhitespace(at + 1);
    const end = scanner.tokenEnd(at);
    const word = scanner.text.slice(at, end);
    if (!BARE_QOP_VALUES.has(word.toLowerCase())) return value;
    const after = scanner.nonWhitespace(end);
    if (scanner.code(after) === 0x3d) return value; // a parameter name after all
    value += `,${word}`;
    scanner.pos = end;
  }
}

interface ItemBuilder {
  readonly params: Map<string, string>;
  readonly errors: string[];
}

/**
 * Reads `name = value` pairs after a scheme until the text turns into the
 * next challenge (a token not followed by `=`) or ends.
 */
function readParams(scanner: Scanner, item: ItemBuilder): void {
  for (;;) {
    scanner.skipWhitespace();
    while (scanner.code() === 0x2c) {
      scanner.pos++;
      scanner.skipWhitespace();
    }
    if (scanner.done) return;
    const nameEnd = scanner.tokenEnd(scanner.pos);
    if (nameEnd === scanner.pos) {
      item.errors.push(`unexpected character ${JSON.stringify(scanner.text[scanner.pos])} at offset ${scanner.pos}`);
      scanner.skipPastComma();
      continue;
    }
    const equals = scanner.nonWhitespace(nameEnd);
    if (scanner.code(equals) !== 0x3d) return; // the next challenge starts here
    const name = scanner.text.slice(scanner.pos, nameEnd).toLowerCase();
    scanner.pos = scanner.nonWhitespace(equals + 1);
    const quoted = scanner.code() === 0x22;
    let value = quoted ? readQuotedString(scanner, item.errors, name) : readBareValue(scanner, item.errors, name);
    if (name === 'qop' && !quoted) value = readBareQopContinuation(scanner, value);
    if (item.params.has(name)) item.errors.push(`duplicate parameter "${name}"`);
    else item.params.set(name, value);
    // Next: a comma, the end, or (quirk: comma forgotten) another `name=`.
    scanner.skipWhitespace();
    if (scanner.done || scanner.code() === 0x2c) continue;
    const nextEnd = scanner.tokenEnd(scanner.pos);
    if (nextEnd > scanner.pos && scanner.code(scanner.nonWhitespace(nextEnd)) === 0x3d) continue;
    if (nextEnd > scanner.pos) {
      item.errors.push(`missing comma after parameter "${name}"`);
      return;
    }
    item.errors.push(`unexpected text after parameter "${name}" at offset ${scanner.pos}`);
    scanner.skipPastComma();
  }
}

/**
 * RFC 7235 §2.1 / §4.1: `challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]`,
 * and a field holds a comma-separated list of challenges whose parameters are
 * themselves comma-separated: a token followed by `=` continues the current
 * challenge, a token that is not starts the next one. The same grammar serves
 * credentials (RFC 7235 §4.2). RFC 3261 §25.1 (`challenge`, `credentials`)
 * is the SIP form of it.
 */
export function parseAuthField(value: string): AuthFieldParse {
  const scanner = new Scanner(value);
  const items: AuthItem[] = [];
  const errors: string[] = [];
  for (;;) {
    scanner.skipWhitespace();
    while (scanner.code() === 0x2c) {
      scanner.pos++;
      scanner.skipWhitespace();
    }
    if (scanner.done) break;
    const schemeEnd = scanner.tokenEnd(scanner.pos);
    if (schemeEnd === scanner.pos) {
      errors.push(`expected an auth-scheme at offset ${scanner.pos}, found ${JSON.stringify(value[scanner.pos])}`);
      scanner.skipPastComma();
      continue;
    }
    const scheme = value.slice(scanner.pos, schemeEnd);
    scanner.pos = schemeEnd;
    const item: ItemBuilder = { params: new Map(), errors: [] };
    let token68: string | null = null;
    scanner.skipWhitespace();
    // A token68 can only follow the scheme after whitespace (`Basic dXNlcjpw==`).
    const t68End = scanner.pos > schemeEnd ? token68End(scanner) : -1;
    if (t68End > 0) {
      token68 = value.slice(scanner.pos, t68End);
      scanner.pos = t68End;
    } else {
      readParams(scanner, item);
    }
    items.push({ scheme, params: item.params, token68, errors: item.errors });
  }
  return { items, errors };
}
