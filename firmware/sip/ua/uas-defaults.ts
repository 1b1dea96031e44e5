/**
 * What the phone answers to requests no higher layer has taken yet
 * (RFC 3261 §8.2). Calls arrive with the call layer; until then an INVITE is
 * answered 480 so a caller hears "temporarily unavailable", not silence.
 */
import { createResponse } from '../message/build.ts';
import { getHeaderValues } from '../message/headers.ts';
import type { SipRequest, SipResponse } from '../message/types.ts';

/** Methods this UA implements (Allow, RFC 3261 §20.5). */
export const ALLOWED_METHODS = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS'] as const;

/** Option tags we support (Supported, RFC 3261 §20.37); none yet beyond the base protocol. */
export const SUPPORTED_OPTION_TAGS: readonly string[] = [];

const KNOWN_METHODS = new Set(['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'INFO', 'REFER', 'MESSAGE', 'UPDATE']);

export interface UasDefaultsOptions {
  readonly userAgent: string;
}

/**
 * The response for a request that reached the UA core with nobody to take it,
 * or undefined for an ACK (never answered).
 */
export function defaultResponse(request: SipRequest, options: UasDefaultsOptions): SipResponse | undefined {
  if (request.method === 'ACK') return undefined;
  const response = answer(request);
  response.headers.push({ name: 'Server', value: options.userAgent });
  return response;
}

function answer(request: SipRequest): SipResponse {
  /**
   * RFC 3261 §8.2.2.1: "If the Request-URI uses a scheme not supported by
   * the UAS, it SHOULD reject the request with a 416 (Unsupported URI
   * Scheme) response."
   */
  if (request.uri.scheme !== 'sip' && request.uri.scheme !== 'sips') return createResponse(request, 416);

  /**
   * RFC 3261 §8.2.2.3: "If a UAS does not understand an option-tag listed in
   * a Require header field, it MUST respond by generating a response with
   * status code 420 (Bad Extension). The UAS MUST add an Unsupported header
   * field, and list in it those options it does not understand." (Not for
   * CANCEL, nor ACK.)
   */
  if (request.method !== 'CANCEL') {
    const unsupported = getHeaderValues(request, 'Require').filter((tag) => !SUPPORTED_OPTION_TAGS.includes(tag.toLowerCase()));
    if (unsupported.length > 0) {
      const response = createResponse(request, 420);
      response.headers.push({ name: 'Unsupported', value: unsupported.join(', ') });
      return response;
    }
  }

  switch (request.method) {
    /** RFC 3261 §11.2: answer OPTIONS as we would an INVITE, with Allow, Accept and Supported. */
    case 'OPTIONS': {
      const response = createResponse(request, 200);
      response.headers.push(
        { name: 'Allow', value: ALLOWED_METHODS.join(', ') },
        { name: 'Accept', value: 'application/sdp' },
        { name: 'Accept-Language', value: 'en' },
      );
      if (SUPPORTED_OPTION_TAGS.length > 0) response.headers.push({ name: 'Supported', value: SUPPORTED_OPTION_TAGS.join(', ') });
      return response;
    }
    case 'INVITE':
      return createResponse(request, 480, 'Temporarily Unavailable (calls not enabled on this phone yet)');
    /** RFC 3261 §15.1.2: a BYE that matches no dialog gets 481. §9.2: so does a CANCEL that matches no transaction. */
    case 'BYE':
    case 'CANCEL':
      return createResponse(request, 481);
    default: {
      /**
       * RFC 3261 §8.2.1: "If a UAS recognizes but does not support a method,
       * it MUST return a 405 (Method Not Allowed) ... The UAS MUST also add
       * an Allow header field." Unrecognised methods get 501 (§21.5.2).
       */
      const response = createResponse(request, KNOWN_METHODS.has(request.method) ? 405 : 501);
      response.headers.push({ name: 'Allow', value: ALLOWED_METHODS.join(', ') });
      return response;
    }
  }
}
