import { createSocket } from 'node:dgram';

let cached: Promise<boolean> | undefined;

/**
 * Whether this machine can bind [::1] (some containers disable IPv6).
 * Checked once per process.
 */
export function isIpv6LoopbackUsable(): Promise<boolean> {
  cached ??= new Promise((resolve) => {
    const socket = createSocket({ type: 'udp6', ipv6Only: true });
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind({ address: '::1', port: 0 }, () => socket.close(() => resolve(true)));
  });
  return cached;
}
