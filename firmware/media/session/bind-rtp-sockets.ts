/**
 * Binds the UDP socket(s) of an RTP session. RFC 3550 §11: "For UDP and
 * similar protocols, RTP SHOULD use an even destination port number and the
 * corresponding RTCP stream SHOULD use the next higher (odd) destination port
 * number." With rtcp-mux (RFC 5761) one socket carries both.
 */
import { createSocket, type Socket } from 'node:dgram';
import { ipFamilyOf } from './rtp-endpoint.ts';

export interface RtpPortRange {
  /** Lowest RTP port (rounded up to even). */
  readonly minPort: number;
  /** Highest RTP port. */
  readonly maxPort: number;
}

/** The usual RTP range of SIP phones. */
export const DEFAULT_RTP_PORT_RANGE: RtpPortRange = { minPort: 16384, maxPort: 32766 };

export interface BindRtpSocketsOptions {
  readonly address: string;
  /** Even port, or undefined/0 to pick a free even port in `portRange`. */
  readonly port?: number;
  readonly portRange?: RtpPortRange;
  readonly rtcpMux: boolean;
  /** Port choice, uniform in [0, 1). */
  readonly random?: () => number;
  readonly maxAttempts?: number;
}

export interface BoundRtpSockets {
  readonly rtp: Socket;
  /** null with rtcp-mux. */
  readonly rtcp: Socket | null;
  readonly rtpPort: number;
  readonly rtcpPort: number;
}

function bindOne(address: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = ipFamilyOf(address) === 6 ? createSocket({ type: 'udp6', ipv6Only: address !== '::' }) : createSocket('udp4');
    const onError = (error: Error): void => {
      socket.close();
      reject(error);
    };
    socket.once('error', onError);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

function closeQuietly(socket: Socket): void {
  try {
    socket.close();
  } catch {
    // already closed
  }
}

async function bindPair(address: string, port: number, rtcpMux: boolean): Promise<BoundRtpSockets> {
  const rtp = await bindOne(address, port);
  if (rtcpMux) return { rtp, rtcp: null, rtpPort: port, rtcpPort: port };
  try {
    const rtcp = await bindOne(address, port + 1);
    return { rtp, rtcp, rtpPort: port, rtcpPort: port + 1 };
  } catch (error) {
    closeQuietly(rtp);
    throw error;
  }
}

/** Binds RTP (even port) and RTCP (port + 1), or one socket with rtcp-mux. Rejects when no pair can be bound. */
export async function bindRtpSockets(options: BindRtpSocketsOptions): Promise<BoundRtpSockets> {
  if (options.port) {
    if (options.port % 2 !== 0) throw new RangeError(`RTP port ${options.port} is odd; RFC 3550 §11 wants an even RTP port`);
    return bindPair(options.address, options.port, options.rtcpMux);
  }
  const range = options.portRange ?? DEFAULT_RTP_PORT_RANGE;
  const first = range.minPort + (range.minPort % 2);
  const evenPorts = Math.floor((range.maxPort - first) / 2) + 1;
  if (evenPorts <= 0) throw new RangeError(`RTP port range ${range.minPort}-${range.maxPort} holds no even port`);
  const random = options.random ?? Math.random;
  const attempts = Math.min(options.maxAttempts ?? 64, evenPorts);
  let lastError: unknown;
  const start = Math.floor(random() * evenPorts);
  for (let i = 0; i < attempts; i++) {
    const port = first + 2 * ((start + i) % evenPorts);
    try {
      return await bindPair(options.address, port, options.rtcpMux);
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`no free RTP port pair on ${options.address} in ${range.minPort}-${range.maxPort} after ${attempts} attempts`, { cause: lastError });
}
