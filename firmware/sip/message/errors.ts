/**
 * The one error type the SIP message layer throws: a value from the wire (or
 * from the application) does not match the RFC 3261 / RFC 3966 grammar.
 *
 * `parseMessage` never throws; the URI and header-value parsers and the
 * message accessors do, with a message precise enough to become the reason
 * phrase of a 400 response (`malformed Via: expected "/" after protocol name`).
 */

/** Longest excerpt of the offending text kept in an error message. */
const MAX_EXCERPT_CHARS = 80;

export interface SipSyntaxErrorOptions {
  /** What was being parsed: `SIP URI`, `Via`, `CSeq`, `To`... */
  readonly what: string;
  /** What is wrong, e.g. `expected host`. */
  readonly problem: string;
  /** The text being parsed (quoted in the message, shortened when long). */
  readonly text?: string;
  /** Offset in `text` where the problem was found. */
  readonly offset?: number;
}

export class SipSyntaxError extends Error {
  readonly what: string;
  readonly problem: string;
  readonly offset: number | undefined;
  /** The text `offset` is in, kept for `anchoredTo`. */
  readonly #text: string | undefined;

  constructor(options: SipSyntaxErrorOptions) {
    super(describe(options));
    this.name = 'SipSyntaxError';
    this.what = options.what;
    this.problem = options.problem;
    this.offset = options.offset;
    this.#text = options.text;
  }

  /**
   * The same error told about text[start, end) only: scanners read a value in
   * place in a larger text (the header section) and report positions in that
   * text; this quotes the value and counts the offset from its start, as if
   * the value had been scanned on its own.
   */
  anchoredTo(start: number, end: number): SipSyntaxError {
    const text = this.#text;
    if (text === undefined || (start === 0 && end === text.length)) return this;
    const options: SipSyntaxErrorOptions = { what: this.what, problem: this.problem, text: text.slice(start, end) };
    return new SipSyntaxError(this.offset === undefined ? options : { ...options, offset: this.offset - start });
  }
}

function describe(options: SipSyntaxErrorOptions): string {
  let message = `malformed ${options.what}: ${options.problem}`;
  if (options.offset !== undefined) message += ` at offset ${options.offset}`;
  if (options.text !== undefined) message += ` in ${JSON.stringify(excerpt(options.text))}`;
  return message;
}

function excerpt(text: string): string {
  return text.length <= MAX_EXCERPT_CHARS ? text : `${text.slice(0, MAX_EXCERPT_CHARS)}...`;
}
