// What every kind of badge reader is to the device manager: a configured device that it starts and
// stops, whose state it reports, and which hands its reads (and, for a PC/SC reader at the desk,
// eID identities) to the callbacks it was built with. Serial and HID readers (badge-reader.ts) and
// PC/SC readers (pcsc/pcsc-reader.ts) implement it; the device manager knows no other.
import type { DeviceStatus, ReaderConfig } from '../../../common/devices.js';
import type { StatusTracker } from '../device-status.js';

export interface Reader {
  readonly config: ReaderConfig;
  /** Its health as it changes (up, down with why, counts). */
  readonly status: StatusTracker;
  /** Opens it, and keeps reopening it with backoff when it goes (unplugged, hung up, pcscd gone). */
  start(): void;
  /** Closes it for good; resolves once nothing of it runs. */
  stop(): Promise<void>;
  /** Its state now, with its counts, for the reception's device screen. */
  snapshot(): DeviceStatus;
}
