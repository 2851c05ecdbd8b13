// The wire protocol between a station and the hub, over socket.io (websocket transport). Every
// message is parsed with these schemas on arrival. The rules that keep money right:
// - the station's SQLite outbox is the queue; socket.io alone delivers at most once;
// - the station uploads bounded batches and waits for an ack (with a timeout); the hub inserts
//   idempotently (unique event id, unique (stream, seq)) and acks the highest contiguous seq it
//   committed; after any timeout, disconnect or restart the station resends from that seq;
// - an invalid event is acked as rejected with a reason and never blocks the queue; the same seq
//   with different content is quarantined; reference data comes down by cursor.
import { z } from 'zod';
import { isoInstant, streamSchema } from '../events.js';

export const PROTOCOL_VERSION = 1;
/** At most this many events in one upload. */
export const MAX_BATCH_EVENTS = 500;
/** At most this many bytes of events (JSON) in one upload; the hub refuses bigger messages. */
export const MAX_BATCH_BYTES = 1_000_000;

/** Socket.io handshake `auth`: the station's credential, shown once at enrollment. */
export const handshakeSchema = z.object({
  credential: z.string().regex(/^esc1_[a-z0-9-]{1,40}_[A-Za-z0-9_-]{32,64}$/, 'a station credential as given at enrollment'),
  protocol: z.literal(PROTOCOL_VERSION),
});
export type Handshake = z.infer<typeof handshakeSchema>;

export function parseCredential(credential: string): { stationId: string; secret: string } | undefined {
  const m = /^esc1_([a-z0-9-]{1,40})_([A-Za-z0-9_-]{32,64})$/.exec(credential);
  return m ? { stationId: m[1]!, secret: m[2]! } : undefined;
}

// ---- station → hub ------------------------------------------------------------------------

export const EVENTS_UPLOAD = 'events.upload';
export const STREAM_STATUS = 'stream.status';
export const REFERENCE_PULL = 'reference.pull';
// ---- hub → station ------------------------------------------------------------------------
/** Payload-free: "reference data changed, pull". */
export const REFERENCE_POKE = 'reference.poke';

export const uploadBatchSchema = z.object({
  batchId: z.string().min(1).max(64),
  stream: streamSchema,
  /** Each event is parsed on its own at the hub, so one bad event is rejected, not the batch. */
  events: z.array(z.unknown()).min(1).max(MAX_BATCH_EVENTS),
  /** The station's wall clock when it sent the batch: the hub measures the clock offset with it. */
  sentAt: isoInstant,
  /**
   * The last seq the station holds on this stream when it sent the batch. When the hub's ack
   * reaches it, everything the station had at `sentAt` is at the hub: the stream's watermark.
   */
  headSeq: z.number().int().min(1).optional(),
});
export type UploadBatch = z.infer<typeof uploadBatchSchema>;

const seqRef = z.object({ seq: z.number().int().min(1), id: z.string().optional(), reason: z.string() });

export const uploadAckSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    stream: streamSchema,
    /** Every seq up to this one is committed at the hub (accepted, rejected or quarantined). */
    ackedSeq: z.number().int().min(0),
    rejected: z.array(seqRef),
    quarantined: z.array(seqRef),
    hubTime: isoInstant,
  }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);
export type UploadAck = z.infer<typeof uploadAckSchema>;

export const streamStatusRequestSchema = z.object({
  stream: streamSchema,
  /** As on an upload: with `sentAt`, lets an idle station move its watermark forward. */
  headSeq: z.number().int().min(0).optional(),
  sentAt: isoInstant.optional(),
});
export const streamStatusAckSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), ackedSeq: z.number().int().min(0), hubTime: isoInstant }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);

export const REFERENCE_ENTITIES = ['site', 'payer', 'service', 'tariff', 'member', 'badge', 'staff', 'plan', 'subscription', 'quota', 'signup'] as const;
export type ReferenceEntity = (typeof REFERENCE_ENTITIES)[number];

export const referenceChangeSchema = z.object({
  entity: z.enum(REFERENCE_ENTITIES),
  key: z.string().min(1).max(128),
  /** The entity's whole current value, or null: a tombstone (deleted at the hub). */
  data: z.unknown().nullable(),
  cursor: z.number().int().min(1),
});
export type ReferenceChange = z.infer<typeof referenceChangeSchema>;

export const referencePullSchema = z.object({
  /** The cursor of the last change applied; null for everything. */
  cursor: z.number().int().min(0).nullable(),
  /** Continuing a snapshot: the live entities after `cursor`, not the changes. */
  snapshot: z.boolean().default(false),
  limit: z.number().int().min(1).max(5000).default(1000),
});

export const referencePullAckSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    changes: z.array(referenceChangeSchema),
    /** Where the next pull starts. */
    cursor: z.number().int().min(0),
    /**
     * The cursor was older than the change log keeps: these pages are a full snapshot, and when
     * the last one (more = false) is applied, every entity not in it is gone.
     */
    snapshot: z.boolean(),
    more: z.boolean(),
  }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);
export type ReferencePullAck = z.infer<typeof referencePullAckSchema>;

/**
 * Who the connected station is, as the hub enrolled it: a station set up from nothing but the hub's
 * address and its credential learns its site here (the first start's set-up screen).
 */
export const STATION_PROFILE = 'station.profile';
export const stationProfileAckSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), stationId: z.string().min(1).max(64), stationName: z.string().max(200), siteId: z.string().min(1).max(64), siteName: z.string().max(200).optional() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);
export type StationProfileAck = z.infer<typeof stationProfileAckSchema>;

/**
 * Error codes the hub answers with. INTERNAL: the hub failed on the request (logged there; try
 * again later); UNKNOWN_EVENT: an event name the hub does not serve.
 */
export type HubErrorCode = 'INVALID_BATCH' | 'FORBIDDEN_STREAM' | 'TOO_LARGE' | 'UNAVAILABLE' | 'INVALID_REQUEST' | 'INTERNAL' | 'UNKNOWN_EVENT';
