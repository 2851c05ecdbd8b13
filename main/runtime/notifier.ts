// One notifier for every window: what the station's readers read and what changed, said once here
// and heard alike by the Electron windows (over IPC) and the local host's pages (over WebSocket),
// each message only by the windows it is for (audienceOf) — an eID's names reach the reception alone.
import type { HostMessage } from '../../common/host-protocol.js';

export type StationNotice = Exclude<HostMessage, { kind: 'answer' }>;

export { audienceOf } from '../../common/station-access.js';

export class Notifier {
  private readonly listeners = new Set<(message: StationNotice) => void>();

  subscribe(listener: (message: StationNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(message: StationNotice): void {
    for (const l of this.listeners) {
      try {
        l(message);
      } catch {
        // One window's failure to hear it is not the others'.
      }
    }
  }
}
