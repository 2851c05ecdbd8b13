// Imports reference data (what the hub will send down later) from a parsed JSON value. The whole
// value is validated first, every reference checked, then written in one transaction: a bad file
// changes nothing, and the error names the field at fault.
import { createHash } from 'node:crypto';
import { formatPath, referenceDataSchema, referenceIssues, type ReferenceData } from '../../../common/reference-data.js';

import { StationFailure } from '../errors.js';
import { appendEvent, type StreamContext } from '../outbox/outbox.js';
import { referenceWriters } from './writers.js';

export function parseReferenceData(value: unknown, source: string): ReferenceData {
  const parsed = referenceDataSchema.safeParse(value);
  const problems = parsed.success
    ? referenceIssues(parsed.data)
    : parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  if (!parsed.success || problems.length > 0) {
    const [first] = problems;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    throw new StationFailure(
      'REFERENCE_DATA_INVALID',
      `${source} was refused, nothing was imported: ${first?.path || '(top level)'}: ${first?.message ?? 'invalid'}${more}.`,
      problems.slice(0, 20).map((p) => `${p.path}: ${p.message}`).join('\n'),
    );
  }
  return parsed.data;
}

export function importReferenceData(ctx: StreamContext, data: ReferenceData, nowMs: number): { sha256: string; counts: Record<string, number> } {
  const { db } = ctx;
  if (!data.sites.some((s) => s.id === ctx.siteId))
    throw new StationFailure('REFERENCE_DATA_INVALID', `The reference data does not describe this station's site "${ctx.siteId}"; nothing was imported.`, 'sites');
  const sha256 = createHash('sha256').update(JSON.stringify(data)).digest('hex');
  const counts = {
    sites: data.sites.length,
    payers: data.payers.length,
    members: data.members.length,
    badges: data.badges.length,
    services: data.services.length,
    tariffs: data.tariffs.length,
    staff: data.staff.length,
    plans: data.plans.length,
    subscriptions: data.subscriptions.length,
    quotas: data.quotas.length,
  };
  const write = referenceWriters(db);
  db.transaction(() => {
    // Payers before members: a member's search text carries its company's name.
    for (const x of data.sites) write.site(x);
    for (const x of data.payers) write.payer(x);
    for (const x of data.services) write.service(x);
    for (const x of data.tariffs) write.tariff(x);
    for (const x of data.members) write.member(x);
    for (const x of data.badges) write.badge(x);
    for (const x of data.staff) write.staff(x);
    for (const x of data.plans) write.plan(x);
    for (const x of data.subscriptions) write.subscription(x);
    for (const x of data.quotas) write.quota(x);
    appendEvent(ctx, 'reference.imported', { sha256, counts, at: new Date(nowMs).toISOString() }, nowMs);
  }).immediate();
  return { sha256, counts };
}
