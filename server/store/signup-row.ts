// A sign-up decision as both stores keep it (one row per provisional member), and as the hub reads it.
import type { SignupRecord } from './store.js';

export interface SignupRow {
  member_id: string;
  site_id: string;
  event_id: string;
  state: SignupRecord['state'];
  reason: string | null;
  detail: string | null;
  duplicate_of: string | null;
  merged_into: string | null;
  payload: string;
  decided_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
}

export const toSignup = (r: SignupRow): SignupRecord => ({
  memberId: r.member_id,
  siteId: r.site_id,
  eventId: r.event_id,
  state: r.state,
  ...(r.reason ? { reason: r.reason } : {}),
  ...(r.detail ? { detail: r.detail } : {}),
  ...(r.duplicate_of ? { duplicateOf: r.duplicate_of } : {}),
  ...(r.merged_into ? { mergedInto: r.merged_into } : {}),
  payload: JSON.parse(r.payload) as unknown,
  decidedAt: r.decided_at,
  ...(r.resolved_at ? { resolvedAt: r.resolved_at } : {}),
  ...(r.resolved_by ? { resolvedBy: r.resolved_by } : {}),
});
