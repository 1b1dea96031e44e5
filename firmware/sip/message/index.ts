/** Public API of the SIP message layer (RFC 3261 §7, §19, §20, §25; RFC 3966; RFC 5118). */
export * from './types.ts';
export * from './headers.ts';
export { SipSyntaxError, type SipSyntaxErrorOptions } from './errors.ts';
export { checkUri, formatUri, parseUri, uriEquals } from './uri.ts';
export { checkNameAddr } from './name-addr.ts';
export {
  callId,
  contacts,
  contentLength,
  cseq,
  expires,
  formatCSeq,
  formatNameAddr,
  formatParams,
  formatVia,
  fromHeader,
  fromTag,
  MAX_CSEQ,
  maxForwards,
  parseCSeq,
  parseNameAddr,
  parseParams,
  parseVia,
  toHeader,
  toTag,
  topVia,
  vias,
} from './header-values.ts';
export {
  DEFAULT_MAX_HEADER_BYTES,
  DEFAULT_MAX_HEADERS,
  DEFAULT_MAX_MESSAGE_BYTES,
  parseMessage,
  type ParseOptions,
} from './parser.ts';
export { isAnswerable, validateMessage } from './validate.ts';
export { serializeMessage } from './serializer.ts';
export { StreamFramer, type FramedItem, type StreamFramerOptions } from './stream-framer.ts';
export { createResponse, defaultReasonPhrase, newBranch, randomToken, type CreateResponseOptions } from './build.ts';
