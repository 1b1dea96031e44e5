/**
 * The usual spellings of header field names (RFC 3261 §20 and the common
 * extensions), recognised exactly as written in one pass, so the parser gets
 * a field's kind and a shared name string without classifying
 * case-insensitively, checking token characters or slicing. Any other
 * spelling (`VIA`, `cseq`, an unknown name) goes through `headerKindAt`.
 */
import {
  KIND_CALL_ID,
  KIND_CONTACT,
  KIND_CONTENT_LENGTH,
  KIND_CONTENT_TYPE,
  KIND_CSEQ,
  KIND_EXPIRES,
  KIND_FROM,
  KIND_MAX_FORWARDS,
  KIND_MIME_VERSION,
  KIND_MIN_EXPIRES,
  KIND_MIN_SE,
  KIND_OTHER,
  KIND_RACK,
  KIND_RSEQ,
  KIND_SESSION_EXPIRES,
  KIND_TO,
  KIND_VIA,
} from './header-index.ts';

/** [name as usually written, kind]; every name is a token (RFC 3261 §7.3.1). */
const USUAL: ReadonlyArray<readonly [string, number]> = [
  ['Via', KIND_VIA], ['From', KIND_FROM], ['To', KIND_TO], ['Call-ID', KIND_CALL_ID], ['CSeq', KIND_CSEQ],
  ['Max-Forwards', KIND_MAX_FORWARDS], ['Content-Length', KIND_CONTENT_LENGTH], ['Contact', KIND_CONTACT],
  ['Expires', KIND_EXPIRES], ['Content-Type', KIND_CONTENT_TYPE], ['Min-Expires', KIND_MIN_EXPIRES],
  ['MIME-Version', KIND_MIME_VERSION], ['RSeq', KIND_RSEQ], ['RAck', KIND_RACK],
  ['Session-Expires', KIND_SESSION_EXPIRES], ['Min-SE', KIND_MIN_SE],
  ['v', KIND_VIA], ['f', KIND_FROM], ['t', KIND_TO], ['i', KIND_CALL_ID], ['m', KIND_CONTACT],
  ['l', KIND_CONTENT_LENGTH], ['c', KIND_CONTENT_TYPE], ['x', KIND_SESSION_EXPIRES],
  ['Route', KIND_OTHER], ['Record-Route', KIND_OTHER], ['Allow', KIND_OTHER], ['Supported', KIND_OTHER],
  ['Require', KIND_OTHER], ['Proxy-Require', KIND_OTHER], ['Unsupported', KIND_OTHER], ['User-Agent', KIND_OTHER],
  ['Server', KIND_OTHER], ['Accept', KIND_OTHER], ['Authorization', KIND_OTHER], ['Proxy-Authorization', KIND_OTHER],
  ['WWW-Authenticate', KIND_OTHER], ['Proxy-Authenticate', KIND_OTHER], ['Authentication-Info', KIND_OTHER],
  ['Date', KIND_OTHER], ['Subject', KIND_OTHER], ['Event', KIND_OTHER], ['Allow-Events', KIND_OTHER],
  ['Subscription-State', KIND_OTHER], ['Path', KIND_OTHER], ['Service-Route', KIND_OTHER],
  ['Warning', KIND_OTHER], ['Reason', KIND_OTHER], ['P-Asserted-Identity', KIND_OTHER], ['Refer-To', KIND_OTHER],
  ['Referred-By', KIND_OTHER], ['Replaces', KIND_OTHER], ['Timestamp', KIND_OTHER], ['Organization', KIND_OTHER],
  ['Accept-Encoding', KIND_OTHER], ['Accept-Language', KIND_OTHER], ['Content-Disposition', KIND_OTHER],
  ['Content-Encoding', KIND_OTHER], ['Content-Language', KIND_OTHER], ['Call-Info', KIND_OTHER],
  ['Alert-Info', KIND_OTHER], ['Error-Info', KIND_OTHER], ['In-Reply-To', KIND_OTHER], ['Priority', KIND_OTHER],
  ['Reply-To', KIND_OTHER], ['Retry-After', KIND_OTHER], ['Privacy', KIND_OTHER],
];

/** Names and kinds by index, and the candidates for a length and first character as a chain: FIRST then NEXT (-1 ends). */
const NAMES: readonly string[] = USUAL.map(([name]) => name);
/** Character codes of each name (an array read is cheaper than `charCodeAt` on the constant). */
const CODES: readonly (readonly number[])[] = NAMES.map((name) => Array.from(name, (ch) => ch.charCodeAt(0)));
const KINDS: Uint8Array = Uint8Array.from(USUAL.map(([, kind]) => kind));
const MAX_LENGTH = 20;
const FIRST = new Int16Array((MAX_LENGTH + 1) * 128).fill(-1);
const NEXT = new Int16Array(USUAL.length).fill(-1);
for (let i = USUAL.length - 1; i >= 0; i--) {
  const name = NAMES[i] as string;
  const key = name.length * 128 + name.charCodeAt(0);
  NEXT[i] = FIRST[key] as number;
  FIRST[key] = i;
}

/** Index (for `usualName` / `usualKind`) of the usual name spelled exactly text[start, end), or -1. */
export function usualNameAt(text: string, start: number, end: number): number {
  const length = end - start;
  const first = text.charCodeAt(start);
  if (length > MAX_LENGTH || !(first < 128)) return -1;
  for (let index = FIRST[length * 128 + first] as number; index >= 0; index = NEXT[index] as number) {
    const codes = CODES[index] as readonly number[];
    let i = 1;
    while (i < length && text.charCodeAt(start + i) === codes[i]) i++;
    if (i === length) return index;
  }
  return -1;
}

export function usualName(index: number): string {
  return NAMES[index] as string;
}

export function usualKind(index: number): number {
  return KINDS[index] as number;
}
