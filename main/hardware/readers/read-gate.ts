// What every reader kind does with a raw UID it read: normalise it in the reader's UID format,
// count it when it is not a UID, let a card held on (or flickering at) the reader through once per
// repeat window, and deliver the read. One place for serial, HID and PC/SC readers alike.
import type { ReaderConfig } from '../../../common/devices.js';
import type { BadgeRead } from '../../../common/readers/read.js';
import { normaliseUid } from '../../../common/readers/uid.js';
import type { StatusTracker } from '../device-status.js';

export class ReadGate {
  private lastUid: string | undefined;
  private lastSeenMs = -Infinity;

  constructor(
    private readonly config: Pick<ReaderConfig, 'id' | 'uidFormat' | 'repeatWindowMs'>,
    private readonly status: StatusTracker,
    private readonly onRead: (read: BadgeRead) => void,
  ) {}

  deliver(raw: string, atMs: number): void {
    let uid: string;
    try {
      uid = normaliseUid(raw, this.config.uidFormat);
    } catch {
      this.status.count('invalid_uid');
      return;
    }
    const repeat = uid === this.lastUid && atMs - this.lastSeenMs < this.config.repeatWindowMs;
    this.lastUid = uid;
    this.lastSeenMs = atMs;
    if (repeat) {
      this.status.count('repeats');
      return;
    }
    this.status.count('reads');
    this.status.activity(atMs);
    this.onRead({ uid, source: this.config.id, at: new Date(atMs).toISOString() });
  }
}
