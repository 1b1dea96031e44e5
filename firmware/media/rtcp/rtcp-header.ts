/**
 * The 4-octet header every RTCP packet starts with (RFC 3550 §6.4.1):
 *
 *     0                   1                   2                   3
 *     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *    |V=2|P|  count  |      PT       |             length            |
 *    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * "length: 16 bits — The length of this RTCP packet in 32-bit words minus
 * one, including the header and any padding."
 */

export const RTCP_HEADER_BYTES = 4;

/** A packet of `bodyBytes` after the header, with its header written in. `bodyBytes` must be a multiple of 4. */
export function allocateRtcpPacket(options: { readonly packetType: number; readonly count: number; readonly bodyBytes: number }): {
  readonly bytes: Uint8Array;
  readonly view: DataView;
} {
  if (options.bodyBytes % 4 !== 0) throw new RangeError(`RTCP packet body of ${options.bodyBytes} octets is not 32-bit aligned`);
  if (options.count < 0 || options.count > 31) throw new RangeError(`RTCP count ${options.count} does not fit in 5 bits`);
  const totalBytes = RTCP_HEADER_BYTES + options.bodyBytes;
  const lengthWords = totalBytes / 4 - 1;
  if (lengthWords > 0xffff) throw new RangeError(`RTCP packet of ${totalBytes} octets is too long`);
  const bytes = new Uint8Array(totalBytes);
  const view = new DataView(bytes.buffer);
  bytes[0] = 0x80 | options.count;
  bytes[1] = options.packetType;
  view.setUint16(2, lengthWords);
  return { bytes, view };
}
