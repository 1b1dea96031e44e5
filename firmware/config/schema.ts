/**
 * The phone's configuration file: one JSON document, validated here.
 *
 * Every object is strict: an unknown key is refused (a typo such as
 * `registerExpireSec` must not silently fall back to a default). Defaults are
 * filled in by the schema, so `{}` is a valid file: the phone then starts on
 * the simulated board with no lines and listens for SIP on port 5060, UDP and
 * TCP, so it can be called by IP at once.
 */
import * as z from 'zod/mini';
import './zod-locale.ts';

const port = z.number().check(z.int(), z.minimum(0), z.maximum(65535));

const logLevel = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']);

const transport = z.enum(['udp', 'tcp', 'tls']);

/** `sip:host[:port][;params]` or `sips:...`, checked loosely here; the SIP URI parser has the last word. */
const sipUriText = z
  .string()
  .check(z.regex(/^sips?:[^\s]+$/i, 'must be a sip: or sips: URI, e.g. "sip:pbx.example.com;transport=tcp"'));

const hostText = z
  .string()
  .check(z.minLength(1), z.regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)$/, 'must be a host name or an IP address'));

export const lineSchema = z.strictObject({
  /** Stable identifier used in events, logs and the UI (`line1`). */
  id: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1-32 letters, digits, "-" or "_"')),
  enabled: z._default(z.boolean(), true),
  /** Shown on the idle screen and sent as the From display name. */
  displayName: z.optional(z.string().check(z.maxLength(64))),
  /** The user part of the address of record: `alice` in `sip:alice@pbx.example.com`. */
  user: z.string().check(z.minLength(1), z.maxLength(128)),
  /** The domain of the address of record. */
  domain: hostText,
  /** Where REGISTER goes; defaults to `sip:<domain>` (RFC 3261 §10.2.6, located by RFC 3263). */
  registrar: z.optional(sipUriText),
  /** Every request of this line goes through this proxy first (a pre-loaded Route). */
  outboundProxy: z.optional(sipUriText),
  /** Transport used when the registrar URI does not name one; RFC 3263 (NAPTR/SRV) chooses when absent. */
  transport: z.optional(transport),
  auth: z.optional(
    z.strictObject({
      username: z.string().check(z.minLength(1), z.maxLength(128)),
      password: z.string().check(z.maxLength(256)),
      /** Answer challenges from this realm only; any realm when absent. */
      realm: z.optional(z.string()),
    }),
  ),
  registerExpiresSec: z._default(z.number().check(z.int(), z.minimum(10), z.maximum(86_400)), 3600),
  /** Register at all (a line can be used for outgoing calls to a proxy without registering). */
  register: z._default(z.boolean(), true),
  /** NAT keep-alive interval towards the registrar (RFC 5626 CRLF on streams, a small datagram on UDP); 0 disables. */
  keepAliveIntervalSec: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(3600)), 25),
});

export const configSchema = z.strictObject({
  device: z.prefault(
    z.strictObject({
      /** Board config name from `board-configs/` (e.g. `sim`, `rpi4`). */
      board: z._default(z.string().check(z.regex(/^[a-z0-9-]+$/, 'must be a board config name such as "sim" or "rpi4"')), 'sim'),
      userAgent: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    }),
    {},
  ),
  sip: z.prefault(
    z.strictObject({
      /** Local address to listen on; `0.0.0.0` listens on every IPv4 interface, `::` on every interface. */
      listenAddress: z._default(z.string(), '0.0.0.0'),
      udpPort: z._default(z.nullable(port), 5060),
      tcpPort: z._default(z.nullable(port), 5060),
      tls: z.prefault(
        z.strictObject({
          /** PEM file of the certificate authorities trusted for servers; the system store when absent. */
          caFile: z.optional(z.string()),
          /** Turning this off is for labs only: it accepts any server certificate. */
          verifyServer: z._default(z.boolean(), true),
        }),
        {},
      ),
      timers: z.prefault(
        z.strictObject({
          t1Ms: z._default(z.number().check(z.int(), z.minimum(50), z.maximum(10_000)), 500),
          t2Ms: z._default(z.number().check(z.int(), z.minimum(500), z.maximum(60_000)), 4000),
          t4Ms: z._default(z.number().check(z.int(), z.minimum(500), z.maximum(60_000)), 5000),
        }),
        {},
      ),
      /** DNS servers for RFC 3263 look-ups (`"127.0.0.1:5353"`); the system's when empty. */
      dnsServers: z._default(z.array(z.string().check(z.minLength(1))), []),
    }),
    {},
  ),
  lines: z._default(z.array(lineSchema).check(z.maxLength(16)), []),
  log: z.prefault(
    z.strictObject({
      level: z._default(logLevel, 'info'),
      /** Per-category overrides, e.g. `{ "sip.transaction": "debug" }`. */
      categories: z._default(z.record(z.string(), logLevel), {}),
    }),
    {},
  ),
});

export type PhoneConfig = z.infer<typeof configSchema>;
export type LineConfig = z.infer<typeof lineSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/**
 * Checks that need the whole document and must run even when other parts are
 * invalid (zod skips refinements once a member fails): duplicate line ids.
 */
export function crossFieldProblems(document: unknown): { path: (string | number)[]; message: string }[] {
  if (typeof document !== 'object' || document === null) return [];
  const lines: unknown = (document as { lines?: unknown }).lines;
  if (!Array.isArray(lines)) return [];
  const problems: { path: (string | number)[]; message: string }[] = [];
  const seen = new Map<string, number>();
  lines.forEach((line: unknown, index) => {
    const id = typeof line === 'object' && line !== null ? (line as { id?: unknown }).id : undefined;
    if (typeof id !== 'string') return;
    const first = seen.get(id);
    if (first !== undefined) problems.push({ path: ['lines', index, 'id'], message: `duplicate line id "${id}" (also lines[${first}])` });
    else seen.set(id, index);
  });
  return problems;
}
