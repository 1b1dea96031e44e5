/**
 * RFC 3261 §26.2.1 / RFC 5922: SIP over TLS. As a client (the usual case for a
 * phone) the server certificate is verified by default against the configured
 * CAs (the system store when none), and the name checked (and sent as SNI) is
 * `destination.serverName`, the domain of the URI before RFC 3263 resolution.
 * Without a server name the IP address itself must be in the certificate.
 * A server certificate turns on listening for TLS.
 */
import { isIP, type Server, type Socket } from 'node:net';
import { connect, createServer, type ConnectionOptions } from 'node:tls';
import { awaitConnect } from './await-connect.ts';
import { StreamTransport, type StreamTransportOptions } from './stream-transport.ts';
import type { Destination } from './types.ts';

type Pem = string | Buffer;

export interface TlsSettings {
  /** PEM certificate authorities trusted for servers; the system store when absent. */
  readonly ca?: Pem | readonly Pem[];
  /** Verify the server certificate and name (RFC 5922 §7). Default true; off is for labs only. */
  readonly verifyServer?: boolean;
  /** Client certificate, for servers that ask for one. */
  readonly clientCertificate?: { readonly cert: Pem; readonly key: Pem };
  /** Our server certificate: needed to listen for TLS. */
  readonly serverCertificate?: { readonly cert: Pem; readonly key: Pem };
}

export interface TlsTransportOptions extends StreamTransportOptions {
  readonly tls: TlsSettings;
}

export class TlsTransport extends StreamTransport {
  readonly protocol = 'tls' as const;
  private readonly tls: TlsSettings;

  constructor(options: TlsTransportOptions) {
    super(options);
    this.tls = options.tls;
  }

  /** A TLS connection is verified for one name: never reuse it for another. */
  protected override reuseKey(address: string, port: number, serverName: string | undefined): string {
    return `${address}|${port}|${serverName ?? ''}`;
  }

  protected openSocket(destination: Destination): Promise<Socket> {
    const serverName = destination.serverName && isIP(destination.serverName) === 0 ? destination.serverName : undefined;
    const options: ConnectionOptions = {
      host: destination.address,
      port: destination.port,
      rejectUnauthorized: this.tls.verifyServer ?? true,
      minVersion: 'TLSv1.2',
      ...(serverName ? { servername: serverName } : {}),
      ...(this.tls.ca ? { ca: toList(this.tls.ca) } : {}),
      ...(this.tls.clientCertificate ? { cert: this.tls.clientCertificate.cert, key: this.tls.clientCertificate.key } : {}),
    };
    return awaitConnect(connect(options), {
      readyEvent: 'secureConnect',
      clock: this.options.clock,
      timeoutMs: this.options.connectTimeoutMs,
      description: `TLS connect to ${destination.address}:${destination.port}`,
    });
  }

  protected createServer(onSocket: (socket: Socket) => void): Server {
    const certificate = this.tls.serverCertificate;
    if (!certificate) throw new Error('TLS listening needs a server certificate (tls.serverCertificate)');
    const server = createServer({
      cert: certificate.cert,
      key: certificate.key,
      minVersion: 'TLSv1.2',
      ...(this.tls.ca ? { ca: toList(this.tls.ca) } : {}),
    });
    server.on('secureConnection', (socket) => onSocket(socket));
    server.on('tlsClientError', (error, socket) => {
      this.options.logger.warn('TLS handshake with a client failed', { remote: socket.remoteAddress, error });
    });
    return server;
  }
}

function toList(ca: Pem | readonly Pem[]): Pem[] {
  return Array.isArray(ca) ? [...(ca as readonly Pem[])] : [ca as Pem];
}
