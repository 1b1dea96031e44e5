/**
 * Structured header values: parsers and formatters for Via, name-addr
 * (From/To/Contact/Route), CSeq and parameters, and the message-level
 * accessors a stack uses. Implemented in one small module each; this file is
 * the stable import point.
 */
export { formatCSeq, MAX_CSEQ, parseCSeq } from './cseq.ts';
export { formatNameAddr, parseNameAddr } from './name-addr.ts';
export { formatParams, parseParams } from './params.ts';
export { formatVia, parseVia } from './via.ts';
export {
  callId,
  contacts,
  contentLength,
  cseq,
  expires,
  fromHeader,
  fromTag,
  maxForwards,
  toHeader,
  toTag,
  topVia,
  vias,
} from './accessors.ts';
