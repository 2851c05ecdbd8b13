// What the reception sees of the sync with the hub.
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
}
