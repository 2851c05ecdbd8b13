// What the reception sees of the sync with the hub.

/** How often a running sync client writes its state at least (its heartbeat, for other processes). */
export const SYNC_STATE_HEARTBEAT_MS = 5_000;
/** A heartbeat older than this: the client is gone (it missed three beats). */
export const SYNC_STATE_STALE_MS = 4 * SYNC_STATE_HEARTBEAT_MS;
export interface SyncProblem {
  epoch: string;
  seq: number;
  eventId?: string;
  kind: 'rejected' | 'quarantined';
  reason: string;
  at: string;
}

export interface SyncStatus {
  /** False when no hub is configured for this station. */
  configured: boolean;
  hubUrl?: string;
  online: boolean;
  /** Events the hub has not acknowledged yet. */
  backlog: number;
  oldestUnsyncedAt?: string;
  oldestUnsyncedAgeMs?: number;
  lastSuccessAt?: string;
  lastError?: string;
  /** While a backlog drains: events sent of the backlog when this round began. */
  progress?: { sent: number; total: number };
  problems: SyncProblem[];
  /**
   * Told to a process that runs no sync client itself (the command line beside `run`, the app beside
   * a CLI sync): the sync client that last wrote the station's sync state — `running` while its
   * heartbeat is fresh and its process alive, `stopped` when it ended cleanly, `gone` when it ended
   * without a word (its state is then no longer believed online).
   */
  reportedBy?: SyncReporter;
}

export interface SyncReporter {
  pid: number;
  host: string;
  startedAt: string;
  /** Its last heartbeat. */
  seenAt: string;
  state: 'running' | 'stopped' | 'gone';
}
