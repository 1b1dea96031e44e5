/**
 * RFC 3261 §20.42 Via: sent-protocol LWS sent-by *( SEMI via-params ), with
 * LWS allowed around `/`, `:`, `;` and `=` (RFC 4475 §3.1.1.1).
 */
import { DIGIT, isChar } from './char-classes.ts';
import { SipSyntaxError } from './errors.ts';
import { scanHost, scanPort } from './host.ts';
import { formatParams, scanParams } from './params.ts';
import { scanToken, skipLws } from './scan.ts';
import type { Params, Via } from './types.ts';

const WHAT = 'Via';

/** Parses one Via value (not a comma list). Throws SipSyntaxError. */
export function parseVia(value: string): Via {
  let i = skipLws(value, 0);
  const nameEnd = scanToken(value, i);
  if (nameEnd === i) throw new SipSyntaxError({ what: WHAT, problem: 'expected protocol name', text: value, offset: i });
  const name = value.slice(i, nameEnd).toUpperCase();
  i = expectSlash(value, nameEnd);
  const versionEnd = scanToken(value, i);
  if (versionEnd === i) throw new SipSyntaxError({ what: WHAT, problem: 'expected protocol version', text: value, offset: i });
  const version = value.slice(i, versionEnd);
  i = expectSlash(value, versionEnd);
  const transportEnd = scanToken(value, i);
  if (transportEnd === i) throw new SipSyntaxError({ what: WHAT, problem: 'expected transport', text: value, offset: i });
  const transport = value.slice(i, transportEnd).toUpperCase();
  i = skipLws(value, transportEnd);
  if (i === transportEnd) throw new SipSyntaxError({ what: WHAT, problem: 'expected white space before sent-by', text: value, offset: i });
  const hostScan = scanHost(value, i, WHAT);
  let end = hostScan.end;
  let port: number | null = null;
  i = skipLws(value, end);
  if (value.charCodeAt(i) === 0x3a /* : */) {
    const portScan = scanPort(value, skipLws(value, i + 1), WHAT);
    port = portScan.port;
    end = portScan.end;
  }
  const params: Params = new Map();
  end = skipLws(value, scanParams(value, end, WHAT, params));
  if (end !== value.length) throw new SipSyntaxError({ what: WHAT, problem: 'unexpected character', text: value, offset: end });
  checkViaParams(params, value);
  const protocol = name === 'SIP' && version === '2.0' ? 'SIP/2.0' : `${name}/${version}`;
  return { protocol, transport, host: hostScan.host, port, params };
}

function expectSlash(value: string, start: number): number {
  const i = skipLws(value, start);
  if (value.charCodeAt(i) !== 0x2f /* / */) throw new SipSyntaxError({ what: WHAT, problem: 'expected "/" in sent-protocol', text: value, offset: i });
  return skipLws(value, i + 1);
}

/** RFC 3261 §20.42 / RFC 3581 §3: ttl is 0..255, rport is empty or a port. */
function checkViaParams(params: Params, value: string): void {
  const ttl = params.get('ttl');
  if (ttl !== undefined && !isNumberAtMost(ttl, 255)) throw new SipSyntaxError({ what: WHAT, problem: 'ttl is not 0..255', text: value });
  const rport = params.get('rport');
  if (rport !== undefined && rport !== null && !isNumberAtMost(rport, 65535)) {
    throw new SipSyntaxError({ what: WHAT, problem: 'rport is not a port number', text: value });
  }
  const branch = params.get('branch');
  if (branch === null) throw new SipSyntaxError({ what: WHAT, problem: 'branch without a value', text: value });
}

function isNumberAtMost(text: string | null, max: number): boolean {
  if (text === null || text.length === 0 || text.length > 10) return false;
  for (let i = 0; i < text.length; i++) if (!isChar(text.charCodeAt(i), DIGIT)) return false;
  return Number(text) <= max;
}

export function formatVia(via: Via): string {
  const port = via.port === null ? '' : `:${via.port}`;
  return `${via.protocol}/${via.transport} ${via.host}${port}${formatParams(via.params)}`;
}
