// The status strip under the top bar, on every reception screen: the hub, each reader and each
// printer at a glance; whatever is wrong as a sentence saying what to do, the system's own words
// behind "details"; a calm notice when the centre is closed.
import type { DeviceStatus } from '../../../common/devices.js';
import type { OpeningNow } from '../../../common/site-hours.js';
import type { StationApi } from '../../../common/station-api.js';
import type { SyncStatus } from '../../../common/sync/status.js';
import { weekdayClock } from '../shared/i18n.js';
import { healthItems, needsAttention, type HealthItem } from './health.js';
import { useT } from './i18n.js';
import { useLoad } from './session.js';

export interface StationHealth {
  sync?: SyncStatus;
  devices?: DeviceStatus[];
}

/** The hub's and the devices' state, asked again every few seconds and whenever the station says they changed. */
export function useStationHealth(api: StationApi, connected: boolean, signedIn: boolean, version: number): StationHealth {
  const sync = useLoad(() => (connected ? api.syncStatus({}) : undefined), [api, connected, version], 3000);
  const devices = useLoad(() => (connected && signedIn ? api.devices({}) : undefined), [api, connected, signedIn, version], 3000);
  return { ...(sync.data ? { sync: sync.data } : {}), ...(devices.data && signedIn ? { devices: devices.data } : {}) };
}

export function StatusStrip({ health, timeZone, opening }: { health: StationHealth; timeZone: string; opening: OpeningNow | undefined }) {
  const t = useT();
  const items = healthItems(t, { ...health, timeZone });
  const problems = needsAttention(items);
  // What works, in a word each; what does not, as its own line below (said once, not twice).
  const working = items.filter((i) => !problems.includes(i));
  if (items.length === 0 && opening?.open !== false) return null;
  return (
    <section className="status-strip" aria-label={t('stripLabel')} data-testid="status-strip">
      {working.length > 0 && (
        <ul className="strip-items">
          {working.map((i) => (
            <li key={`${i.kind}-${i.id}`} className={`strip-item is-${i.tone}`} data-health={i.kind} data-tone={i.tone}>
              {i.label}
            </li>
          ))}
        </ul>
      )}
      {problems.length > 0 && (
        <div role="alert">
          <ul className="strip-problems">
            {problems.map((i) => (
              <StripProblem key={`${i.kind}-${i.id}`} item={i} />
            ))}
          </ul>
        </div>
      )}
      {opening && !opening.open && (
        <p className="strip-closed" role="status" data-testid="closed-notice">
          {opening.opensAt ? t('closedNotice', { when: weekdayClock(opening.opensAt, timeZone, t.language) }) : t('closedNoticeNoHours')}
        </p>
      )}
    </section>
  );
}

function StripProblem({ item }: { item: HealthItem }) {
  const t = useT();
  return (
    <li className={`strip-problem is-${item.tone}`} data-problem={item.id}>
      <span>{item.problem}</span>
      {item.detail && (
        <details>
          <summary>{t('stripDetails')}</summary>
          <code>{item.detail}</code>
        </details>
      )}
    </li>
  );
}
