/**
 * RFC 4733 §2.3 telephone-event payload: one 4-octet block per event.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     event     |E|R| volume    |          duration             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

export const TELEPHONE_EVENT_BLOCK_BYTES = 4;
/** RFC 4733 §2.3.5: the duration field is 16 bits, in RTP timestamp units. */
export const MAX_EVENT_DURATION_UNITS = 0xffff;

export interface TelephoneEventBlock {
  /** RFC 4733 §2.3.2: 0..255 (0-15 are DTMF, §3.2). */
  readonly event: number;
  /** RFC 4733 §2.3.3: E bit, this packet ends the event. */
  readonly end: boolean;
  /**
   * RFC 4733 §2.3.4: power level expressed in dB below 0 dBm0, 0..63 (so 10 means -10 dBm0).
   * Encoded as the field value; use `volumeDbm0` helpers to convert.
   */
  readonly volume: number;
  /** RFC 4733 §2.3.5: duration so far in RTP timestamp units, 0..65535. */
  readonly durationUnits: number;
}

function checkRange(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`telephone-event ${name} out of range 0..${max}: ${value}`);
}

/** RFC 4733 §2.3: encode one event block; the R bit is sent as zero (§2.3.4). */
export function encodeTelephoneEvent(block: TelephoneEventBlock): Uint8Array {
  checkRange('event', block.event, 255);
  checkRange('volume', block.volume, 63);
  checkRange('duration', block.durationUnits, MAX_EVENT_DURATION_UNITS);
  const bytes = new Uint8Array(TELEPHONE_EVENT_BLOCK_BYTES);
  bytes[0] = block.event;
  bytes[1] = (block.end ? 0x80 : 0) | block.volume;
  bytes[2] = block.durationUnits >>> 8;
  bytes[3] = block.durationUnits & 0xff;
  return bytes;
}

/**
 * RFC 4733 §2.3: decode every 4-octet block of a payload (§2.5.1.5 allows
 * several). The R bit is ignored by receivers (§2.3.4). Returns null when the
 * payload is empty or not a whole number of blocks.
 */
export function decodeTelephoneEvents(payload: Uint8Array): TelephoneEventBlock[] | null {
  if (payload.length === 0 || payload.length % TELEPHONE_EVENT_BLOCK_BYTES !== 0) return null;
  const blocks: TelephoneEventBlock[] = [];
  for (let offset = 0; offset < payload.length; offset += TELEPHONE_EVENT_BLOCK_BYTES) {
    const flags = payload[offset + 1] ?? 0;
    blocks.push({
      event: payload[offset] ?? 0,
      end: (flags & 0x80) !== 0,
      volume: flags & 0x3f,
      durationUnits: ((payload[offset + 2] ?? 0) << 8) | (payload[offset + 3] ?? 0),
    });
  }
  return blocks;
}

/** RFC 4733 §2.3.4: the volume field for a level in dBm0 (clamped to 0..-63 dBm0). */
export function volumeFieldForDbm0(levelDbm0: number): number {
  return Math.min(63, Math.max(0, Math.round(-levelDbm0)));
}
