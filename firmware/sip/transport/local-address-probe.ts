/**
 * The interface address the OS picks toward a destination (for Via sent-by and
 * Contact): `probeRouteAddress` asks the kernel by connecting a UDP socket (no
 * packet is sent); `guessRouteAddress` answers synchronously from the
 * interface list when no probe result is cached.
 */
import { createSocket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import { familyOf, isLoopback } from './address-utils.ts';

export function probeRouteAddress(remoteAddress: string, remotePort: number): Promise<string> {
  const family = familyOf(remoteAddress);
  const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => {
    socket.once('error', (error) => {
      socket.close();
      reject(error);
    });
    socket.connect(remotePort, remoteAddress, () => {
      const { address } = socket.address();
      socket.close();
      resolve(address);
    });
  });
}

export function guessRouteAddress(remoteAddress: string): string {
  const family = familyOf(remoteAddress);
  if (isLoopback(remoteAddress)) return family === 6 ? '::1' : '127.0.0.1';
  const candidates = Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((info) => !info.internal && (family === 6 ? info.family === 'IPv6' : info.family === 'IPv4'));
  const global = candidates.find((info) => !info.address.toLowerCase().startsWith('fe80:'));
  return global?.address ?? (family === 6 ? '::1' : '127.0.0.1');
}
