/**
 * RFC 3261 §18.3 framing of SIP messages on a byte stream (TCP, TLS): each
 * message ends Content-Length octets after its empty line; Content-Length is
 * mandatory. Between messages, RFC 5626 §3.5.1 keep-alives: CRLFCRLF is a
 * ping, a single CRLF the pong.
 *
 * Memory is bounded: the header section, each message and the bytes buffered
 * are limited. After an `error` item the framer stays failed (every later
 * `push` returns nothing) and the connection should be closed.
 */

export type FramedItem =
  | { readonly kind: 'message'; readonly bytes: Buffer }
  | { readonly kind: 'keepalive-ping' }
  | { readonly kind: 'keepalive-pong' }
  | { readonly kind: 'error'; readonly reason: string };

export interface StreamFramerOptions {
  /** Start line + headers + body of one message. Default 65535. */
  readonly maxMessageBytes?: number;
  /** Start line + header section of one message. Default 16384. */
  readonly maxHeaderBytes?: number;
  /** Bytes held between pushes while waiting for the rest of a message. Default 2 × maxMessageBytes. */
  readonly maxBufferedBytes?: number;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);

export class StreamFramer {
  private readonly maxMessageBytes: number;
  private readonly maxHeaderBytes: number;
  private readonly maxBufferedBytes: number;
  private buffer: Buffer = EMPTY;
  private failed = false;
  /** Body length of the message whose header section is complete, once known. */
  private pendingTotal = -1;

  constructor(options: StreamFramerOptions = {}) {
    this.maxMessageBytes = options.maxMessageBytes ?? 65535;
    this.maxHeaderBytes = options.maxHeaderBytes ?? 16384;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 2 * this.maxMessageBytes;
  }

  /** Bytes currently held. */
  get bufferedBytes(): number {
    return this.buffer.length;
  }

  push(chunk: Buffer): FramedItem[] {
    if (this.failed) return [];
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const items: FramedItem[] = [];
    let offset = 0;
    const buffer = this.buffer;
    while (offset < buffer.length) {
      if (this.pendingTotal < 0) {
        // Between messages: keep-alives (RFC 5626 §3.5.1).
        if (buffer[offset] === 0x0d || buffer[offset] === 0x0a) {
          const keepalive = this.scanKeepalive(buffer, offset);
          if (keepalive === undefined) break;
          if (keepalive.item !== undefined) items.push(keepalive.item);
          offset = keepalive.next;
          continue;
        }
        const headerEnd = buffer.indexOf(CRLFCRLF, offset);
        if (headerEnd < 0) {
          if (buffer.length - offset > this.maxHeaderBytes) return this.failWith(items, `header section exceeds ${this.maxHeaderBytes} bytes`);
          break;
        }
        if (headerEnd - offset > this.maxHeaderBytes) return this.failWith(items, `header section exceeds ${this.maxHeaderBytes} bytes`);
        const declared = readContentLength(buffer, offset, headerEnd);
        if (typeof declared === 'string') return this.failWith(items, declared);
        const total = headerEnd + 4 - offset + declared;
        if (total > this.maxMessageBytes) return this.failWith(items, `message exceeds ${this.maxMessageBytes} bytes`);
        this.pendingTotal = total;
      }
      if (buffer.length - offset < this.pendingTotal) break;
      // Copied out so the connection buffer can be released independently of the message.
      items.push({ kind: 'message', bytes: Buffer.from(buffer.subarray(offset, offset + this.pendingTotal)) });
      offset += this.pendingTotal;
      this.pendingTotal = -1;
    }
    this.buffer = offset === 0 ? buffer : offset >= buffer.length ? EMPTY : Buffer.from(buffer.subarray(offset));
    if (this.buffer.length > this.maxBufferedBytes) return this.failWith(items, `more than ${this.maxBufferedBytes} bytes buffered`);
    return items;
  }

  /**
   * At a CR or LF between messages: CRLFCRLF → ping; CRLF not followed by
   * another CRLF → pong; a lone LF is skipped. Undefined while more bytes are
   * needed to decide. A ping split right after its first CRLF is reported as two pongs.
   */
  private scanKeepalive(buffer: Buffer, offset: number): { item?: FramedItem; next: number } | undefined {
    if (buffer[offset] === 0x0a) return { next: offset + 1 };
    if (offset + 1 >= buffer.length) return undefined;
    if (buffer[offset + 1] !== 0x0a) return { next: offset + 1 };
    if (offset + 3 < buffer.length && buffer[offset + 2] === 0x0d && buffer[offset + 3] === 0x0a) {
      return { item: { kind: 'keepalive-ping' }, next: offset + 4 };
    }
    if (offset + 2 < buffer.length && buffer[offset + 2] === 0x0d && offset + 3 >= buffer.length) return undefined;
    return { item: { kind: 'keepalive-pong' }, next: offset + 2 };
  }

  private failWith(items: FramedItem[], reason: string): FramedItem[] {
    this.failed = true;
    this.buffer = EMPTY;
    this.pendingTotal = -1;
    items.push({ kind: 'error', reason });
    return items;
  }
}

/**
 * The Content-Length of the header section buffer[start, headerEnd): exactly
 * one well-formed value required on streams (RFC 3261 §18.3, §20.14).
 * Returns the reason as a string when it is missing or malformed.
 */
function readContentLength(buffer: Buffer, start: number, headerEnd: number): number | string {
  const text = buffer.toString('latin1', start, headerEnd);
  let found: number | undefined;
  let lineStart = text.indexOf('\n') + 1;
  if (lineStart === 0) return 'missing Content-Length (mandatory on stream transports)';
  while (lineStart > 0 && lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    // Unfold: continuation lines belong to this field.
    while (lineEnd < text.length && (text.charCodeAt(lineEnd + 1) === 0x20 || text.charCodeAt(lineEnd + 1) === 0x09)) {
      const next = text.indexOf('\n', lineEnd + 1);
      lineEnd = next < 0 ? text.length : next;
    }
    const colon = text.indexOf(':', lineStart);
    if (colon > 0 && colon < lineEnd) {
      const name = text.slice(lineStart, colon).trim().toLowerCase();
      if (name === 'content-length' || name === 'l') {
        const value = text.slice(colon + 1, lineEnd).replace(/[\r\n]/g, ' ').trim();
        if (!/^[0-9]{1,10}$/.test(value)) return `malformed Content-Length ${JSON.stringify(value.slice(0, 20))}`;
        const length = Number(value);
        if (found !== undefined && found !== length) return 'conflicting Content-Length values';
        found = length;
      }
    }
    lineStart = lineEnd + 1;
  }
  return found ?? 'missing Content-Length (mandatory on stream transports)';
}
