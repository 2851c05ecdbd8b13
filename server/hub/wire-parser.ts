// The hub's socket.io parser: socket.io-parser's own Encoder and Decoder (the same wire format:
// the station's socket.io-client is unchanged), with every text packet checked against the wire
// limits before its JSON is parsed, and each decoded argument's size on the wire remembered, so
// the upload handler reads a batch's size from what arrived instead of serialising it again.
import * as socketIoParser from 'socket.io-parser';
import { MAX_BATCH_BYTES } from '../../common/sync/protocol.js';
import { scanJson, type JsonLimits } from '../../common/wire/json-limits.js';

/**
 * Limits of one socket.io packet. Depth: a station's upload nests 6 deep (event array, batch,
 * events, event, payload, person); 64 leaves the protocol room to grow, and is orders of magnitude
 * under what overflows the stack of JSON.stringify, zod or structuredClone on the parsed value
 * (thousands of levels). Items: the sync bench's uploads hold one element or member per ~24 bytes
 * (500 events, 245 kB, 10,200 items); a 1 MB batch of such events holds ~42,000, the densest
 * events the station writes (~18 bytes an item) ~56,000: 100,000 is one per 10 bytes of
 * MAX_BATCH_BYTES, and caps what JSON.parse builds from one packet at a few megabytes of heap.
 */
export const PACKET_LIMITS: JsonLimits = { maxDepth: 64, maxItems: Math.ceil(MAX_BATCH_BYTES / 10) };

/** A packet the hub refuses before parsing it: socket.io closes the connection it came on. */
export class PacketRefusedError extends Error {
  constructor(
    readonly code: 'TOO_DEEP' | 'TOO_MANY_ITEMS' | 'BINARY' | 'INVALID_PACKET',
    message: string,
  ) {
    super(message);
    this.name = 'PacketRefusedError';
  }
}

const wireBytes = new WeakMap<object, number>();

/**
 * The UTF-8 bytes an event's argument took on the wire, as the station wrote it (undefined for a
 * value that did not come through this parser, or a primitive).
 */
export function wireBytesOf(value: unknown): number | undefined {
  return typeof value === 'object' && value !== null ? wireBytes.get(value) : undefined;
}

/** Where the JSON of a text packet starts: after its type, namespace ("/name,") and ack id. */
function jsonStart(packet: string): number {
  let i = 1;
  if (packet.charCodeAt(i) === 0x2f) {
    const comma = packet.indexOf(',', i);
    i = comma < 0 ? packet.length : comma + 1;
  }
  while (i < packet.length && packet.charCodeAt(i) >= 0x30 && packet.charCodeAt(i) <= 0x39) i++;
  return i;
}

/**
 * A socket.io `parser` option. `onRefused` is told of each packet refused (why, and the code),
 * before socket.io closes its connection.
 */
export function limitedParser(limits: JsonLimits, onRefused: (error: PacketRefusedError) => void): typeof socketIoParser {
  const refuse = (code: PacketRefusedError['code'], message: string): never => {
    const error = new PacketRefusedError(code, message);
    onRefused(error);
    throw error;
  };

  class LimitedDecoder extends socketIoParser.Decoder {
    /** The element sizes of the text packet being decoded (its JSON array: event name, then arguments). */
    private sizes: number[] = [];

    constructor() {
      super();
      // Registered before socket.io's own listener, so it runs first: socket.io hands the packet to
      // its handlers on the next tick, with the sizes already known.
      this.on('decoded', (packet: socketIoParser.Packet) => {
        if (packet.type !== socketIoParser.PacketType.EVENT || !Array.isArray(packet.data)) return;
        const args = packet.data as unknown[];
        for (let i = 1; i < args.length; i++) {
          const arg = args[i];
          const bytes = this.sizes[i];
          if (typeof arg === 'object' && arg !== null && bytes !== undefined) wireBytes.set(arg, bytes);
        }
      });
    }

    override add(chunk: unknown): void {
      // The hub's protocol is JSON: binary attachments (a packet in several frames, buffers in
      // the arguments) are not part of it.
      if (typeof chunk !== 'string') return refuse('BINARY', 'a binary frame: the hub takes JSON text packets only');
      const type = chunk.charCodeAt(0) - 0x30;
      if (type === socketIoParser.PacketType.BINARY_EVENT || type === socketIoParser.PacketType.BINARY_ACK) return refuse('BINARY', 'a binary packet: the hub takes JSON text packets only');
      const scan = scanJson(chunk, limits, jsonStart(chunk));
      if (!scan.ok) return refuse(scan.code, `${scan.message} in a packet of ${chunk.length} characters`);
      this.sizes = scan.elementBytes;
      try {
        super.add(chunk);
      } catch (e) {
        refuse('INVALID_PACKET', `a packet socket.io cannot read: ${(e as Error).message}`);
      } finally {
        this.sizes = [];
      }
    }
  }

  return { ...socketIoParser, Decoder: LimitedDecoder };
}
