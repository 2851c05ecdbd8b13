// Readable one-screen answers for the CLI when --json is not given.
import type { Result } from '../../common/result.js';
import type { DayFigures, OnSiteEntry, TapResult, VisitDetail, VisitSummary } from '../../common/station-api.js';
import { formatCents } from '../../common/money.js';
import type { SyncStatus } from '../../common/sync/status.js';
import { DEFAULT_TIME_ZONE, formatLocal } from '../../common/time.js';

let tz = DEFAULT_TIME_ZONE;
const at = (iso: string) => formatLocal(iso, tz);

const name = (p: { firstName: string; lastName: string; company?: string; purged?: true }) =>
  p.purged ? '(purged guest)' : `${p.firstName} ${p.lastName}${p.company ? ` (${p.company})` : ''}`;

function visitLine(v: VisitSummary): string {
  const state = v.voided ? `voided: ${v.voided.reason}` : v.checkedOutAt ? `out ${at(v.checkedOutAt)}${v.autoClosed ? ' (auto-closed)' : ''}` : 'on site';
  return `${v.visitId}  ${name(v.person)}  in ${at(v.checkedInAt)}  ${state}  ${v.durationMinutes} min  ${formatCents(v.totals.grossCents)}`;
}

function detail(v: VisitDetail): string {
  return [
    visitLine(v),
    ...v.lines.map((l) => `  ${l.id}  ${l.serviceName}  ${l.billedQuantity}  ${formatCents(l.netCents)} + VAT ${formatCents(l.vatCents)} = ${formatCents(l.grossCents)}${l.capApplied ? ' (daily cap)' : ''}${l.voidsId ? ` (voids ${l.voidsId}: ${l.reason})` : ''}`),
    `  total ${formatCents(v.totals.grossCents)} (provisional — billed by the network)`,
  ].join('\n');
}

/** sync and sync-status: where the station stands with its hub, and who says so. */
function syncLine(s: SyncStatus): string {
  if (!s.configured) return 'no hub configured (escale-station hub)';
  const by = s.reportedBy;
  const who = by ? ` (${by.state === 'running' ? `said by process ${by.pid} at ${at(by.seenAt)}` : by.state === 'stopped' ? `its sync stopped at ${at(by.seenAt)}` : `process ${by.pid} last seen at ${at(by.seenAt)}: gone`})` : '';
  return [
    `hub ${s.hubUrl}: ${s.online ? 'online' : 'offline'}${who}`,
    `  last success ${s.lastSuccessAt ? at(s.lastSuccessAt) : 'never'}${s.lastError ? `; last error: ${s.lastError}` : ''}`,
    `  ${s.backlog} events wait${s.oldestUnsyncedAt ? `, the oldest from ${at(s.oldestUnsyncedAt)}` : ''}${s.problems.length ? `; ${s.problems.length} refused by the hub (see --json)` : ''}`,
  ].join('\n');
}

function tap(t: TapResult): string {
  switch (t.outcome) {
    case 'checked_in':
      return `Welcome, ${name(t.visit.person)} — checked in (visit ${t.visit.visitId})`;
    case 'checked_out':
      return `Goodbye, ${name(t.visit.person)} — checked out\n${detail(t.visit)}`;
    case 'unknown_badge':
      return `Unknown badge ${t.uid}: please see the reception`;
    case 'refused':
      return `Refused (${t.reason}) for badge ${t.uid}: ${t.message}`;
    case 'already_done':
      return `Already ${t.last === 'checked_in' ? 'checked in' : 'checked out'}: ${name(t.person)} (tap ignored)`;
  }
}

/** `timeZone`: the site's, in which times are shown. */
export function describe(command: string, result: Result<unknown>, timeZone = DEFAULT_TIME_ZONE): string {
  tz = timeZone;
  if (!result.ok) return `error ${result.error.code}: ${result.error.message}${result.error.detail ? `\n${result.error.detail}` : ''}`;
  const value = result.value as never;
  switch (command) {
    case 'tap':
      return tap(value);
    case 'checkin':
    case 'guest':
      return visitLine(value);
    case 'checkout':
    case 'visit':
    case 'void':
      return 'lines' in (value as object) ? detail(value) : JSON.stringify(value, null, 2);
    case 'visits':
      return (value as VisitSummary[]).map(visitLine).join('\n') || 'no visits';
    case 'onsite': {
      const list = value as OnSiteEntry[];
      return [`${list.length} on site`, ...list.map((e) => `  ${at(e.checkedInAt)}  ${e.person.kind}  ${name(e.person)}${e.hostName ? `, guest of ${e.hostName}` : ''}`)].join('\n');
    }
    case 'day': {
      const d = value as DayFigures;
      return [
        `${d.date} (${d.timeZone}): ${d.visits} visits, ${d.distinctMembers} members, ${d.guests} guests, ${d.onSiteNow} on site, ${d.autoClosed} auto-closed, ${Math.round(d.minutesHosted / 6) / 10} h hosted`,
        ...d.byService.map((s) => `  ${s.serviceName}: ${s.billedQuantity}  ${formatCents(s.grossCents)}`),
        `  total ${formatCents(d.totals.grossCents)} incl. VAT ${formatCents(d.totals.vatCents)}`,
      ].join('\n');
    }
    case 'sync':
    case 'sync-status':
      return syncLine(value as SyncStatus);
    case 'purge-guests': {
      const r = value as { purged: string[]; deferred: string[] };
      return `${r.purged.length} guests purged${r.deferred.length ? `, ${r.deferred.length} kept until their visit closes` : ''}`;
    }
    default:
      return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  }
}
