/**
 * Per-request round trips of a sipp run, read from its -trace_msg file:
 * every message there is preceded by a `----- YYYY-MM-DD HH:MM:SS.uuuuuu`
 * line (gettimeofday, microseconds). sipp's own response-time (RTD) figures
 * are whole milliseconds, too coarse for loopback round trips.
 *
 * sipp stamps a sent message after the send call returned, so a round trip
 * measured here is a slight underestimate of sipp's own.
 */

export interface SippTraceEvent {
  /** Microseconds since the epoch (local time as sipp wrote it). */
  readonly timeUs: number;
  readonly direction: 'sent' | 'received';
  /** `REGISTER sip:pbx.test SIP/2.0` or `SIP/2.0 200 OK`. */
  readonly startLine: string;
  readonly callId: string;
  readonly cseq: number;
}

const STAMP = /^-{10,} (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})\.(\d{6})\s*$/;

function headerValue(lines: readonly string[], names: readonly string[]): string | undefined {
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (names.includes(name)) return line.slice(colon + 1).trim();
  }
  return undefined;
}

export function parseSippTrace(text: string): SippTraceEvent[] {
  const events: SippTraceEvent[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const stamp = STAMP.exec(lines[i] ?? '');
    if (!stamp) continue;
    const [, date, time, micros] = stamp;
    const timeUs = Date.parse(`${date}T${time}`) * 1000 + Number(micros);
    const kind = lines[i + 1] ?? '';
    const direction = /message sent/i.test(kind) ? 'sent' : /message received/i.test(kind) ? 'received' : undefined;
    if (direction === undefined) continue;
    // The message follows after a blank line, up to the next stamp.
    const body: string[] = [];
    for (let j = i + 2; j < lines.length && !STAMP.test(lines[j] ?? ''); j++) body.push(lines[j] ?? '');
    const start = body.findIndex((line) => line.trim() !== '');
    if (start < 0) continue;
    const headers = body.slice(start + 1);
    const callId = headerValue(headers, ['call-id', 'i']);
    const cseq = Number.parseInt(headerValue(headers, ['cseq']) ?? '', 10);
    if (callId === undefined || !Number.isInteger(cseq)) continue;
    events.push({ timeUs, direction, startLine: (body[start] ?? '').trim(), callId, cseq });
  }
  return events;
}

/**
 * Round trip of one request in each call: from the first send of the request
 * with CSeq `fromCseq` to the receipt of the final response with `toCseq`.
 * Calls are returned in the order they started.
 */
export function roundTripsMs(events: readonly SippTraceEvent[], fromCseq: number, toCseq: number): number[] {
  const sentUs = new Map<string, number>();
  const order: string[] = [];
  const doneUs = new Map<string, number>();
  for (const event of events) {
    if (event.direction === 'sent' && event.cseq === fromCseq && !event.startLine.startsWith('SIP/2.0')) {
      if (!sentUs.has(event.callId)) {
        sentUs.set(event.callId, event.timeUs);
        order.push(event.callId);
      }
    } else if (event.direction === 'received' && event.cseq === toCseq && /^SIP\/2\.0 [2-6]\d\d/.test(event.startLine)) {
      if (!doneUs.has(event.callId)) doneUs.set(event.callId, event.timeUs);
    }
  }
  const result: number[] = [];
  for (const callId of order) {
    const start = sentUs.get(callId);
    const end = doneUs.get(callId);
    if (start !== undefined && end !== undefined) result.push((end - start) / 1000);
  }
  return result;
}
