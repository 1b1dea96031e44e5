/**
 * RFC 3261 §7 serializer: start line, header fields exactly as stored (so a
 * parsed message round-trips byte for byte), Content-Length set to the real
 * body length (RFC 3261 §20.14, replacing any value already there), CRLF line
 * endings throughout.
 *
 * A message parsed from canonical wire bytes (every field `name: value` CRLF)
 * is written by copying those bytes while its start line, header fields and
 * body length are unchanged: the output is the same, only faster.
 */
import { CONTENT_LENGTH, nameIs } from './accessors.ts';
import { peekCache, type WireImage, type WireStartLine } from './message-cache.ts';
import type { Header, SipMessage } from './types.ts';
import { formatUri } from './uri.ts';

/**
 * Serializes a message. Throws `RangeError` when a header name or value holds
 * CR or LF (it would inject header fields; folding is never written).
 */
export function serializeMessage(message: SipMessage): Buffer {
  const body = message.body;
  const image = peekCache(message)?.image;
  if (image !== undefined && imageStillValid(message, image)) {
    // Same start line, same field objects in the same order, same Content-Length: the received bytes are exactly what we would write.
    const headLength = image.headEnd - image.headStart;
    const out = Buffer.allocUnsafe(headLength + body.length);
    const data = image.data;
    if (body.buffer === data.buffer && body.byteOffset === data.byteOffset + image.headEnd) {
      // The body is still the received bytes right after the header section: one copy
      // (of the whole datagram when that is all it holds: no view of a part is made).
      if (image.headStart === 0 && image.headEnd + body.length === data.length) out.set(data);
      else data.copy(out, 0, image.headStart, image.headEnd + body.length);
    } else {
      data.copy(out, 0, image.headStart, image.headEnd);
      body.copy(out, headLength);
    }
    return out;
  }
  const startLine = message.kind === 'request' ? `${message.method} ${formatUri(message.uri)} ${message.version}` : `${message.version} ${message.status} ${message.reason}`;
  checkLine(startLine, 'start line');
  let head = `${startLine}\r\n`;
  let wroteLength = false;
  const headers = message.headers;
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i] as Header;
    if (nameIs(header.name, CONTENT_LENGTH)) {
      if (wroteLength) continue;
      wroteLength = true;
      head += `${header.name}: ${body.length}\r\n`;
      continue;
    }
    checkLine(header.name, 'header name');
    checkLine(header.value, 'header value');
    head += `${header.name}: ${header.value}\r\n`;
  }
  if (!wroteLength) head += `Content-Length: ${body.length}\r\n`;
  head += '\r\n';
  const headLength = Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headLength + body.length);
  out.write(head, 0, 'utf8');
  body.copy(out, headLength);
  return out;
}

function imageStillValid(message: SipMessage, image: WireImage): boolean {
  const headers = message.headers;
  if (headers !== image.headers || headers.length !== image.fields.length || !sameStartLine(message, image.start)) return false;
  if (message.body.length !== image.bodyLength) return false;
  for (let i = 0; i < headers.length; i++) if (headers[i] !== image.fields[i]) return false;
  return true;
}

/** True when the start line written for `message` would be the received one (compared by parts, nothing concatenated). */
function sameStartLine(message: SipMessage, start: WireStartLine): boolean {
  if (message.kind === 'request') {
    return start.kind === 'request' && message.method === start.method && message.version === start.version && formatUri(message.uri) === start.uri;
  }
  return start.kind === 'response' && message.status === start.status && message.version === start.version && message.reason === start.reason;
}

function checkLine(text: string, what: string): void {
  if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
    throw new RangeError(`${what} contains CR or LF: ${JSON.stringify(text.slice(0, 60))}`);
  }
}
