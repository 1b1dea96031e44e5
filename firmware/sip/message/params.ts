/**
 * Header parameters (RFC 3261 §25.1 `generic-param` = token [ EQUAL gen-value ],
 * gen-value = token / host / quoted-string), with LWS allowed around `;` and `=`.
 *
 * Names are lower-cased; a valueless parameter maps to null; a quoted value is
 * kept with its quotes (`+sip.instance="<urn:uuid:...>"`) so it formats back
 * unchanged. A repeated parameter keeps its first value. Always a `Map`.
 */
import { GEN_VALUE, isChar } from './char-classes.ts';
import { paramName } from './param-names.ts';
import { SipSyntaxError } from './errors.ts';
import { equalsLower, quote, scanQuotedString, scanToken, skipLws } from './scan.ts';
import type { Params } from './types.ts';

/**
 * Extra per-parameter check (Via ttl/rport/branch), given the lower-case name
 * (a shared constant for the usual names, see `paramName`) and the value's
 * bounds in `text` (-1 when the parameter has no value).
 */
export type ParamCheck = (name: string, text: string, valueStart: number, valueEnd: number) => void;

/** A parameter looked for while checking (`scanParams` with `out` null): `value` gets what `out.get(name)` would hold. */
export interface ParamProbe {
  /** Lower case. */
  readonly name: string;
  /** The first value found (null: valueless); undefined until found. */
  value: string | null | undefined;
}

/**
 * Scans `*( SEMI generic-param )` from `start` in text[.., end) into `out`
 * (null: check the syntax only, allocating nothing but what `probe` finds);
 * returns the index after the last parameter (trailing LWS not consumed).
 */
export function scanParams(text: string, start: number, end: number, what: string, out: Params | null, check?: ParamCheck, probe?: ParamProbe): number {
  let last = start;
  for (;;) {
    let i = skipLws(text, last, end);
    if (i >= end || text.charCodeAt(i) !== 0x3b /* ; */) return last;
    i = skipLws(text, i + 1, end);
    const nameEnd = scanToken(text, i, end);
    if (nameEnd === i) throw new SipSyntaxError({ what, problem: 'empty parameter', text, offset: i });
    let valueStart = -1;
    let valueEnd = -1;
    last = nameEnd;
    const afterName = skipLws(text, nameEnd, end);
    if (afterName < end && text.charCodeAt(afterName) === 0x3d /* = */) {
      valueStart = skipLws(text, afterName + 1, end);
      valueEnd = valueStart < end && text.charCodeAt(valueStart) === 0x22 /* " */ ? scanQuotedString(text, valueStart, end, what) : scanGenValue(text, valueStart, end);
      if (valueEnd === valueStart) throw new SipSyntaxError({ what, problem: 'empty parameter value', text, offset: valueStart });
      last = valueEnd;
    }
    if (out !== null || check !== undefined) {
      const name = paramName(text, i, nameEnd);
      if (check !== undefined) check(name, text, valueStart, valueEnd);
      // A repeated parameter keeps its first value (nothing to look up while the table is empty).
      if (out !== null && (out.size === 0 || !out.has(name))) out.set(name, valueStart < 0 ? null : text.slice(valueStart, valueEnd));
    } else if (probe !== undefined && probe.value === undefined && nameEnd - i === probe.name.length && equalsLower(text, i, probe.name)) {
      probe.value = valueStart < 0 ? null : text.slice(valueStart, valueEnd);
    }
  }
}

/** token / host: token characters plus `:[]` (IPv6 `received=`, RFC 5118 §4.5). */
function scanGenValue(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && isChar(text.charCodeAt(i), GEN_VALUE)) i++;
  return i;
}

/** Parses `;a=b;c` (the leading `;` may be omitted). Throws SipSyntaxError. */
export function parseParams(value: string): Params {
  const params: Params = new Map();
  let text = value;
  const first = skipLws(value, 0, value.length);
  if (first < value.length && value.charCodeAt(first) !== 0x3b) text = `;${value.slice(first)}`;
  const end = skipLws(text, scanParams(text, 0, text.length, 'parameters', params), text.length);
  if (end !== text.length) throw new SipSyntaxError({ what: 'parameters', problem: 'unexpected character', text, offset: end });
  return params;
}

/** `;name=value;flag`. Values that are neither token/host nor already quoted are quoted. */
export function formatParams(params: Params): string {
  let out = '';
  for (const [name, value] of params) {
    out += `;${name}`;
    if (value !== null) out += `=${needsQuotes(value) ? quote(value) : value}`;
  }
  return out;
}

function needsQuotes(value: string): boolean {
  if (value.length >= 2 && value.charCodeAt(0) === 0x22 && value.charCodeAt(value.length - 1) === 0x22) return false;
  return value.length === 0 || scanGenValue(value, 0, value.length) !== value.length;
}
