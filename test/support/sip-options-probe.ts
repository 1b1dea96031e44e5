import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';

export interface SipOptionsProbeOptions {
  /** Loopback address of the SIP server. Default 127.0.0.1. */
  readonly host?: string;
  readonly port: number;
  /** How long to wait for a response. Default 500. */
  readonly timeoutMs?: number;
}

/**
 * Sends one out-of-dialog OPTIONS over UDP from an ephemeral port and
 * resolves with the first response's full text (e.g. "SIP/2.0 200 OK\r\n...").
 * Rejects when nothing answers within timeoutMs. Test-harness plumbing
 * (readiness checks), independent of the SIP stack under test.
 */
export function probeSipOptions(options: SipOptionsProbeOptions): Promise<string> {
  const host = options.host ?? '127.0.0.1';
  const timeoutMs = options.timeoutMs ?? 500;
  const family = host.includes(':') ? 'udp6' : 'udp4';
  const socket = createSocket(family);
  const tag = randomBytes(6).toString('hex');
  const uriHost = host.includes(':') ? `[${host}]` : host;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no SIP response to OPTIONS from ${uriHost}:${options.port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
    socket.on('message', (data) => {
      const text = data.toString('utf8');
      if (!text.startsWith('SIP/2.0 ')) return;
      clearTimeout(timer);
      socket.close();
      resolve(text);
    });
    socket.bind({ address: host, port: 0 }, () => {
      const local = socket.address();
      const message = [
        `OPTIONS sip:${uriHost}:${options.port} SIP/2.0`,
        `Via: SIP/2.0/UDP ${uriHost}:${local.port};rport;branch=z9hG4bK${tag}`,
        'Max-Forwards: 70',
        `From: <sip:probe@${uriHost}>;tag=${tag}`,
        `To: <sip:${uriHost}:${options.port}>`,
        `Call-ID: probe-${tag}@${uriHost}`,
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      socket.send(message, options.port, host);
    });
  });
}
