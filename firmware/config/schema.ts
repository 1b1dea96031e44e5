/**
 * The phone's configuration file: one JSON document, validated here.
 *
 * Every object is strict: an unknown key is refused (a typo such as
 * `registerExpireSec` must not silently fall back to a default). Defaults are
 * filled in by the schema, so `{}` is a valid file: the phone then starts on
 * the simulated board with no lines and listens for SIP on port 5060, UDP and
 * TCP, so it can be called by IP at once.
 */
import { z } from 'zod';

const port = z.number().int().min(0).max(65535);

const logLevel = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']);

const transport = z.enum(['udp', 'tcp', 'tls']);

/** `sip:host[:port][;params]` or `sips:...`, checked loosely here; the SIP URI parser has the last word. */
const sipUriText = z
  .string()
  .regex(/^sips?:[^\s]+$/i, 'must be a sip: or sips: URI, e.g. "sip:pbx.example.com;transport=tcp"');

const hostText = z
  .string()
  .min(1)
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)$/, 'must be a host name or an IP address');

export const lineSchema = z.strictObject({
  /** Stable identifier used in events, logs and the UI (`line1`). */
  id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1-32 letters, digits, "-" or "_"'),
  enabled: z.boolean().default(true),
  /** Shown on the idle screen and sent as the From display name. */
  displayName: z.string().max(64).optional(),
  /** The user part of the address of record: `alice` in `sip:alice@pbx.example.com`. */
  user: z.string().min(1).max(128),
  /** The domain of the address of record. */
  domain: hostText,
  /** Where REGISTER goes; defaults to `sip:<domain>` (RFC 3261 §10.2.6, located by RFC 3263). */
  registrar: sipUriText.optional(),
  /** Every request of this line goes through this proxy first (a pre-loaded Route). */
  outboundProxy: sipUriText.optional(),
  /** Transport used when the registrar URI does not name one; RFC 3263 (NAPTR/SRV) chooses when absent. */
  transport: transport.optional(),
  auth: z
    .strictObject({
      username: z.string().min(1).max(128),
      password: z.string().max(256),
      /** Answer challenges from this realm only; any realm when absent. */
      realm: z.string().optional(),
    })
    .optional(),
  registerExpiresSec: z.number().int().min(10).max(86_400).default(3600),
  /** Register at all (a line can be used for outgoing calls to a proxy without registering). */
  register: z.boolean().default(true),
  /** NAT keep-alive interval towards the registrar (RFC 5626 CRLF on streams, a small datagram on UDP); 0 disables. */
  keepAliveIntervalSec: z.number().int().min(0).max(3600).default(25),
});

export const configSchema = z.strictObject({
  device: z
    .strictObject({
      /** Board config name from `board-configs/` (e.g. `sim`, `rpi4`). */
      board: z.string().regex(/^[a-z0-9-]+$/, 'must be a board config name such as "sim" or "rpi4"').default('sim'),
      userAgent: z.string().min(1).max(128).optional(),
    })
    .prefault({}),
  sip: z
    .strictObject({
      /** Local address to listen on; `0.0.0.0` listens on every IPv4 interface, `::` on every interface. */
      listenAddress: z.string().default('0.0.0.0'),
      udpPort: port.nullable().default(5060),
      tcpPort: port.nullable().default(5060),
      tls: z
        .strictObject({
          /** PEM file of the certificate authorities trusted for servers; the system store when absent. */
          caFile: z.string().optional(),
          /** Turning this off is for labs only: it accepts any server certificate. */
          verifyServer: z.boolean().default(true),
        })
        .prefault({}),
      timers: z
        .strictObject({
          t1Ms: z.number().int().min(50).max(10_000).default(500),
          t2Ms: z.number().int().min(500).max(60_000).default(4000),
          t4Ms: z.number().int().min(500).max(60_000).default(5000),
        })
        .prefault({}),
      /** DNS servers for RFC 3263 look-ups (`"127.0.0.1:5353"`); the system's when empty. */
      dnsServers: z.array(z.string().min(1)).default([]),
    })
    .prefault({}),
  lines: z
    .array(lineSchema)
    .max(16)
    .default([]),
  log: z
    .strictObject({
      level: logLevel.default('info'),
      /** Per-category overrides, e.g. `{ "sip.transaction": "debug" }`. */
      categories: z.record(z.string(), logLevel).default({}),
    })
    .prefault({}),
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
