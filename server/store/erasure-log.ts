// The erasure log: every member erasure and guest purge the hub made, one JSON line each, in a
// file beside the database (or where --erasure-log says), outside it. A database restored from an
// older backup has lost the erasures made since; the log has not, and the hub applies them again
// when it opens the store (server/hub/privacy.ts reapplyErasures). It holds ids, times and audit
// ids only — never a name, an e-mail or the operator's reason — so it can travel with the hub's
// backups and needs no erasure itself. Append-only, synced to disk before the erasure is answered.
import fs from 'node:fs';
import { z } from 'zod';

const isoInstant = z.iso.datetime({ offset: false });
const id = z.string().min(1).max(200);

export const erasureLogEntrySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('member.erased'),
    memberId: id,
    /** The erasure's time: its audit entry's, and the member record's erasedAt. */
    at: isoInstant,
    /** The audit entry's id in the database that made it (member_erasure.id). */
    auditId: z.number().int(),
    /**
     * The pseudonym the erasure gave: random (ERASED-…), nothing of the person. Applied again, the
     * erasure gives the same text the stations hold already.
     */
    pseudonym: z.string().regex(/^ERASED-[0-9A-F]+$/),
  }),
  z.object({ kind: z.literal('guests.purged'), guestIds: z.array(id).min(1), at: isoInstant }),
]);
export type ErasureLogEntry = z.infer<typeof erasureLogEntrySchema>;

/** The default place of the log: beside the SQLite database file. */
export const defaultErasureLogFile = (databaseFile: string): string => `${databaseFile}.erasures.jsonl`;

export class ErasureLog {
  constructor(readonly file: string) {}

  /**
   * Appends one entry and syncs it to disk. One write() of one line on a file opened for appending:
   * several hub processes sharing the file never interleave their lines.
   */
  append(entry: ErasureLogEntry): void {
    const line = JSON.stringify(erasureLogEntrySchema.parse(entry)) + '\n';
    const fd = fs.openSync(this.file, 'a+', 0o600);
    try {
      // A line a crash cut short gets its end first, so this entry stays a line of its own.
      const size = fs.fstatSync(fd).size;
      const last = Buffer.alloc(1);
      const torn = size > 0 && fs.readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
      fs.writeSync(fd, torn ? `\n${line}` : line);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  /**
   * Every entry, in order. A line that does not parse (a write cut by a crash, a hand edit) is
   * reported through `problem` and skipped: the others are still applied.
   */
  read(problem: (line: string) => void = () => undefined): ErasureLogEntry[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return [];
      throw e;
    }
    const entries: ErasureLogEntry[] = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        return problem(`${this.file} line ${i + 1} is not JSON (a write cut short?): skipped`);
      }
      const parsed = erasureLogEntrySchema.safeParse(json);
      if (parsed.success) entries.push(parsed.data);
      else problem(`${this.file} line ${i + 1} is not an erasure entry (${parsed.error.issues[0]?.message ?? 'invalid'}): skipped`);
    });
    return entries;
  }
}
