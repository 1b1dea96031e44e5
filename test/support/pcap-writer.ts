/**
 * Writes a classic libpcap file (magic 0xa1b2c3d4, LINKTYPE_RAW = 101: each
 * record is an IPv4 packet) with UDP datagrams, so that tshark can decode
 * packets we produced without a live capture.
 */

export interface PcapUdpDatagram {
  readonly sourceAddress: string;
  readonly sourcePort: number;
  readonly destinationAddress: string;
  readonly destinationPort: number;
  readonly payload: Uint8Array;
  /** Capture time, ms since the Unix epoch. */
  readonly timeMs: number;
}

const LINKTYPE_RAW = 101;

function ipv4Bytes(address: string): number[] {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) {
    throw new Error(`pcap writer handles IPv4 only, got ${address}`);
  }
  return parts;
}

function ipv4Checksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function ipv4UdpPacket(datagram: PcapUdpDatagram): Buffer {
  const udpLength = 8 + datagram.payload.byteLength;
  const packet = Buffer.alloc(20 + udpLength);
  packet[0] = 0x45; // version 4, IHL 5
  packet.writeUInt16BE(20 + udpLength, 2);
  packet[8] = 64; // TTL
  packet[9] = 17; // UDP
  Buffer.from(ipv4Bytes(datagram.sourceAddress)).copy(packet, 12);
  Buffer.from(ipv4Bytes(datagram.destinationAddress)).copy(packet, 16);
  packet.writeUInt16BE(ipv4Checksum(packet.subarray(0, 20)), 10);
  packet.writeUInt16BE(datagram.sourcePort, 20);
  packet.writeUInt16BE(datagram.destinationPort, 22);
  packet.writeUInt16BE(udpLength, 24);
  // UDP checksum 0: "no checksum" is legal over IPv4.
  Buffer.from(datagram.payload).copy(packet, 28);
  return packet;
}

export function pcapFile(datagrams: readonly PcapUdpDatagram[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16); // snaplen
  header.writeUInt32LE(LINKTYPE_RAW, 20);
  const records = datagrams.map((datagram) => {
    const packet = ipv4UdpPacket(datagram);
    const record = Buffer.alloc(16);
    record.writeUInt32LE(Math.floor(datagram.timeMs / 1000), 0);
    record.writeUInt32LE(Math.floor((datagram.timeMs % 1000) * 1000), 4);
    record.writeUInt32LE(packet.length, 8);
    record.writeUInt32LE(packet.length, 12);
    return Buffer.concat([record, packet]);
  });
  return Buffer.concat([header, ...records]);
}
