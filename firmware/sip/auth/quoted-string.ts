/**
 * RFC 3261 §25.1 / RFC 7230 §3.2.6 quoted-string: `"` and `\` are escaped as
 * quoted-pairs. CR, LF and NUL cannot be carried at all (they would end or
 * corrupt the header field), so a value holding one is refused with a
 * RangeError: callers pass configuration values validated up front and wire
 * values the parser has already cleaned.
 */
export function quoteString(value: string): string {
  if (/[\r\n\0]/.test(value)) throw new RangeError('a quoted-string cannot contain CR, LF or NUL');
  return `"${value.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}
