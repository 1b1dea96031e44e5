/**
 * What registration needs to know about a line, and the URIs derived from it
 * (RFC 3261 §10.2: Request-URI = the registrar's domain, To = From = the
 * address of record).
 */
import { parseUri } from '../message/uri.ts';
import type { SipUri } from '../message/types.ts';
import type { TransportProtocol } from '../transport/types.ts';

export interface RegistrationLine {
  readonly id: string;
  readonly user: string;
  readonly domain: string;
  readonly displayName?: string | undefined;
  /** `sip:` / `sips:` URI of the registrar; `sip:<domain>` when absent. */
  readonly registrar?: string | undefined;
  /** When set, every REGISTER is sent here first. */
  readonly outboundProxy?: string | undefined;
  /** Forces a transport when the URI does not name one; RFC 3263 chooses when absent. */
  readonly transport?: TransportProtocol | undefined;
  readonly registerExpiresSec: number;
  readonly auth?: { readonly username: string; readonly password: string; readonly realm?: string | undefined } | undefined;
}

export class RegistrationConfigError extends Error {
  override readonly name = 'RegistrationConfigError';
}

function sipUri(text: string, what: string, lineId: string): SipUri {
  let uri;
  try {
    uri = parseUri(text);
  } catch (error) {
    throw new RegistrationConfigError(`line "${lineId}": ${what} "${text}" is not a valid URI: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (uri.scheme !== 'sip' && uri.scheme !== 'sips') {
    throw new RegistrationConfigError(`line "${lineId}": ${what} "${text}" must be a sip: or sips: URI`);
  }
  return uri;
}

/** The address of record: `sip:user@domain`. */
export function addressOfRecord(line: RegistrationLine): SipUri {
  return { scheme: 'sip', user: line.user, password: null, host: line.domain.toLowerCase(), port: null, params: new Map(), headers: new Map() };
}

/**
 * RFC 3261 §10.2: "Request-URI: The Request-URI names the domain of the
 * location service for which the registration is meant ... The 'userinfo'
 * and '@' components of the SIP URI MUST NOT be present."
 */
export function registrarUriFor(line: RegistrationLine): SipUri {
  const uri = sipUri(line.registrar ?? `sip:${line.domain}`, 'registrar', line.id);
  const params = new Map(uri.params);
  params.delete('transport');
  return { ...uri, user: null, password: null, params, headers: new Map() };
}

/** Where the REGISTER is sent first: the outbound proxy or the registrar, with the line's transport. */
export function nextHopFor(line: RegistrationLine): SipUri {
  const uri = sipUri(line.outboundProxy ?? line.registrar ?? `sip:${line.domain}`, line.outboundProxy ? 'outboundProxy' : 'registrar', line.id);
  if (uri.params.has('transport') || line.transport === undefined) return uri;
  if (line.transport === 'tls') return { ...uri, scheme: 'sips' };
  const params = new Map(uri.params);
  params.set('transport', line.transport);
  return { ...uri, params };
}
