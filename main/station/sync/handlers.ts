// Sync with the hub: its state as this station knows it, the hub connection, the raw outbox. The
// handlers of the station API's sync methods (common/station-api/sync.ts), over parsed input;
// api.ts wraps them with validation and Results.
import { parseCredential } from '../../../common/sync/protocol.js';
import { writeTransaction } from '../context.js';
import { listEvents } from '../outbox/outbox.js';
import { backlog, syncProblems } from './outbox-sync.js';
import { readSyncState } from './sync-state.js';
import type { SyncOutputs } from '../../../common/station-api/sync.js';
import type { HandlerDeps, HandlersOf } from '../handlers.js';

export function syncHandlers({ ctx, sync, now, hubConfig }: HandlerDeps): HandlersOf<SyncOutputs> {
  return {
    syncStatus: () => {
      if (sync.hooks) return sync.hooks.status();
      // No sync client runs in this process: what the database knows, the running client's state
      // included (another process's), as long as it still runs there for the hub configured now.
      const b = backlog(ctx);
      const hub = hubConfig();
      const stored = readSyncState(ctx);
      const theirs = stored && hub && stored.hubUrl === hub.url ? stored : undefined;
      return {
        configured: hub !== undefined,
        ...(hub ? { hubUrl: hub.url } : {}),
        online: theirs?.online ?? false,
        ...(theirs?.lastSuccessAt ? { lastSuccessAt: theirs.lastSuccessAt } : {}),
        ...(theirs?.lastError ? { lastError: theirs.lastError } : {}),
        ...(theirs ? { reportedBy: theirs.reportedBy } : {}),
        backlog: b.events,
        ...(b.oldestWallTime ? { oldestUnsyncedAt: b.oldestWallTime, oldestUnsyncedAgeMs: Math.max(0, now() - Date.parse(b.oldestWallTime)) } : {}),
        problems: syncProblems(ctx, 100),
      };
    },
    configureHub: ({ url, credential }) => {
      writeTransaction(ctx, () => {
        const set = ctx.db.prepare('INSERT OR REPLACE INTO station_meta (key, value) VALUES (?, ?)');
        set.run('hub_url', url);
        set.run('hub_credential', credential);
      });
      return { url, stationId: parseCredential(credential)!.stationId };
    },
    events: ({ afterPosition, limit }) => listEvents(ctx.db, afterPosition, limit),
  };
}
