import { z } from 'zod';

/** One badge read, whatever the reader: what feeds the station's tap. */
export interface BadgeRead {
  uid: string;
  /** The reader's id in the device configuration (or "keyboard", "cli"). */
  source: string;
  /** When the last byte or key of the read arrived (ISO UTC). */
  at: string;
}

export const badgeReadSchema = z.object({ uid: z.string().min(1).max(64), source: z.string().min(1).max(64), at: z.iso.datetime() });

/** Why bytes were thrown away: counted per reader and shown in its status. */
export type DiscardReason = 'noise' | 'partial' | 'malformed' | 'checksum' | 'too_long' | 'invalid_text';

export type DiscardCounts = Record<DiscardReason, number>;
export const emptyDiscardCounts = (): DiscardCounts => ({ noise: 0, partial: 0, malformed: 0, checksum: 0, too_long: 0, invalid_text: 0 });
