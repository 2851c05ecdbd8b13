// What pays for a member's workspace at this site, decided offline from what the hub last sent
// down (passes, subscriptions, quotas with each member's minutes used as the hub counted them) and
// what this station itself drew from a quota since. The decision is the common one
// (common/accounts/entitlement.ts), so the hub, deciding again with every site's events, agrees
// whenever it has the same data; where it does not, the hub's figures win and flow back down.
import { entitlementOn, type Entitlement, type EntitlementData } from '../../../common/accounts/entitlement.js';
import { planSchema, quotaSchema, subscriptionSchema, type Plan, type Quota, type Subscription } from '../../../common/reference-data.js';
import type { z } from 'zod';
import { StationFailure } from '../errors.js';
import { sql, type StationContext } from '../context.js';

/** Stored reference JSON read back through its schema: a row that no longer parses is named, never guessed at. */
function parseStored<S extends z.ZodType>(schema: S, table: string, id: string, data: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    value = undefined;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new StationFailure(
      'REFERENCE_DATA_INVALID',
      `The ${table} "${id}" stored at this station is not valid; sync with the hub or import the network's reference data again.`,
      parsed.error.issues[0]?.message,
    );
  return parsed.data;
}

/**
 * Minutes this station's own lines drew from a quota for a member after the hub's count
 * (`usedAsOf`), or all of them when the hub has not counted yet. Lines are compared by the time
 * they were consumed (a void by the time it was made, giving its minutes back): the hub counts
 * `used` over the lines it holds up to `usedAsOf` the same way.
 */
export function quotaMinutesDrawnHere(ctx: StationContext, quota: Pick<Quota, 'id' | 'usedAsOf'>, memberId: string): number {
  // Normalised: "…T08:00:00Z" and "…T08:00:00.000Z" must compare as the same instant.
  const after = quota.usedAsOf === undefined ? '' : new Date(quota.usedAsOf).toISOString();
  return (
    sql(ctx.db, 'SELECT COALESCE(SUM(quota_minutes), 0) AS n FROM consumption WHERE quota_id = ? AND member_id = ? AND at > ?').get(quota.id, memberId, after) as {
      n: number;
    }
  ).n;
}

/** Minutes of a quota a member has used as last known here: the hub's count plus this station's draws since. */
export function quotaMinutesUsed(ctx: StationContext, quota: Quota, memberId: string): number {
  return (quota.used[memberId] ?? 0) + quotaMinutesDrawnHere(ctx, quota, memberId);
}

/** The member's subscriptions, the plans they name, and the quotas allocating minutes to them. */
export function loadEntitlementData(ctx: StationContext, memberId: string): EntitlementData {
  const subscriptions = (sql(ctx.db, 'SELECT id, data FROM subscription WHERE member_id = ?').all(memberId) as { id: string; data: string }[]).map(
    (r): Subscription => parseStored(subscriptionSchema, 'subscription', r.id, r.data),
  );
  const plans = new Map<string, Plan>();
  const planRow = sql(ctx.db, 'SELECT id, data FROM plan WHERE id = ?');
  for (const s of subscriptions) {
    if (plans.has(s.planId)) continue;
    const row = planRow.get(s.planId) as { id: string; data: string } | undefined;
    // A subscription to a plan the hub has not sent (or deleted) covers nothing: pay-as-you-go.
    if (row) plans.set(row.id, parseStored(planSchema, 'plan', row.id, row.data));
  }
  const quotas = (
    sql(ctx.db, 'SELECT q.id, q.data FROM quota q JOIN quota_member qm ON qm.quota_id = q.id WHERE qm.member_id = ?').all(memberId) as { id: string; data: string }[]
  ).map((r): Quota => parseStored(quotaSchema, 'quota', r.id, r.data));
  const byId = new Map(quotas.map((q) => [q.id, q]));
  return {
    plans,
    subscriptions,
    quotas,
    usedMinutes: (quotaId, member) => {
      const q = byId.get(quotaId);
      return q ? quotaMinutesUsed(ctx, q, member) : 0;
    },
  };
}

/** What pays for the member's workspace at this site on a local day, as this station knows it now. */
export function memberEntitlement(ctx: StationContext, memberId: string, localDate: string): Entitlement {
  return entitlementOn(memberId, ctx.siteId, localDate, loadEntitlementData(ctx, memberId));
}
