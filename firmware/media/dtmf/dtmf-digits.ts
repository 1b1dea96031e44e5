/**
 * The sixteen DTMF digits, their RFC 4733 event codes and their tone pairs.
 */

export type DtmfDigit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';

/** RFC 4733 §3.2 Table 7: event codes 0-9 are the digits, 10 is `*`, 11 is `#`, 12-15 are A-D. */
const DIGITS_BY_EVENT: readonly DtmfDigit[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'A', 'B', 'C', 'D'];

/** ITU-T Q.23 §2: the low (row) group frequencies. */
export const DTMF_LOW_FREQUENCIES_HZ: readonly number[] = [697, 770, 852, 941];
/** ITU-T Q.23 §2: the high (column) group frequencies. */
export const DTMF_HIGH_FREQUENCIES_HZ: readonly number[] = [1209, 1336, 1477, 1633];

/** ITU-T Q.23 Figure 1: the keypad, rows by low frequency, columns by high frequency. */
const KEYPAD: readonly (readonly DtmfDigit[])[] = [
  ['1', '2', '3', 'A'],
  ['4', '5', '6', 'B'],
  ['7', '8', '9', 'C'],
  ['*', '0', '#', 'D'],
];

export function isDtmfDigit(value: string): value is DtmfDigit {
  return (DIGITS_BY_EVENT as readonly string[]).includes(value);
}

/** RFC 4733 §3.2: the event code of a digit. */
export function dtmfDigitToEvent(digit: DtmfDigit): number {
  return DIGITS_BY_EVENT.indexOf(digit);
}

/** RFC 4733 §3.2: the digit of an event code, or null for events that are not DTMF (16 and up). */
export function dtmfEventToDigit(event: number): DtmfDigit | null {
  return DIGITS_BY_EVENT[event] ?? null;
}

/** The digit at a keypad position (row = low-group index, column = high-group index). */
export function dtmfDigitAt(rowIndex: number, columnIndex: number): DtmfDigit | null {
  return KEYPAD[rowIndex]?.[columnIndex] ?? null;
}

/** ITU-T Q.23: the (low, high) frequency pair of a digit. */
export function dtmfFrequenciesHz(digit: DtmfDigit): { readonly lowHz: number; readonly highHz: number } {
  for (let row = 0; row < KEYPAD.length; row++) {
    const column = KEYPAD[row]?.indexOf(digit) ?? -1;
    if (column >= 0) return { lowHz: DTMF_LOW_FREQUENCIES_HZ[row] ?? 0, highHz: DTMF_HIGH_FREQUENCIES_HZ[column] ?? 0 };
  }
  throw new RangeError(`not a DTMF digit: ${String(digit)}`);
}
