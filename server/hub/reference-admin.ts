// Reference data at the hub, the only writer of it: imports of the network's reference file,
// badge and member changes, each written as entity changes with a cursor, then stations are poked.
import { referenceDataSchema, referenceIssues, type ReferenceData } from '../../common/reference-data.js';
import type { ReferenceEntity } from '../../common/sync/protocol.js';
import type { HubStore } from '../store/store.js';

export class HubInputError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const path = (p: readonly PropertyKey[]) => p.reduce<string>((a, k) => (typeof k === 'number' ? `${a}[${k}]` : a ? `${a}.${String(k)}` : String(k)), '');

/** Validates a reference file (escale.reference/1) whole; nothing is written if any part is wrong. */
export function parseReferenceFile(value: unknown): ReferenceData {
  const parsed = referenceDataSchema.safeParse(value);
  const problems = parsed.success ? referenceIssues(parsed.data) : parsed.error.issues.map((i) => ({ path: path(i.path), message: i.message }));
  if (parsed.success) parsed.data.staff.forEach((s, i) => s.siteId === undefined && problems.push({ path: `staff[${i}].siteId`, message: 'required at the hub: the site the clerk works at' }));
  if (!parsed.success || problems.length > 0)
    throw new HubInputError('REFERENCE_DATA_INVALID', `reference data refused, nothing imported: ${problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return parsed.data;
}

/** The entity changes of a reference file, in an order a station can apply them in. */
export function referenceChanges(data: ReferenceData): { entity: ReferenceEntity; key: string; data: unknown }[] {
  return [
    ...data.sites.map((d) => ({ entity: 'site' as const, key: d.id, data: d })),
    ...data.payers.map((d) => ({ entity: 'payer' as const, key: d.id, data: d })),
    ...data.services.map((d) => ({ entity: 'service' as const, key: d.code, data: d })),
    ...data.tariffs.map((d) => ({ entity: 'tariff' as const, key: d.id, data: d })),
    ...data.members.map((d) => ({ entity: 'member' as const, key: d.id, data: d })),
    ...data.badges.map((d) => ({ entity: 'badge' as const, key: d.uid, data: d })),
    ...data.staff.map((d) => ({ entity: 'staff' as const, key: `${d.siteId}/${d.id}`, data: d })),
  ];
}

export async function importReference(store: HubStore, value: unknown, at: string): Promise<{ cursor: number; counts: Record<string, number> }> {
  const data = parseReferenceFile(value);
  const changes = referenceChanges(data);
  const cursor = await store.putReference(changes, at);
  const counts: Record<string, number> = {};
  for (const c of changes) counts[c.entity] = (counts[c.entity] ?? 0) + 1;
  return { cursor, counts };
}

/** Marks a badge lost or revoked (or active again): every station refuses it after its next pull. */
export async function setBadgeStatus(store: HubStore, uid: string, status: 'active' | 'lost' | 'revoked', at: string): Promise<number> {
  const badge = (await store.getReference('badge', uid)) as { status: string } | null | undefined;
  if (!badge) throw new HubInputError('NOT_FOUND', `no badge "${uid}" in the network`);
  return store.putReference([{ entity: 'badge', key: uid, data: { ...badge, status } }], at);
}

export async function assignBadge(store: HubStore, uid: string, memberId: string, kind: 'rfid' | 'qr' | 'barcode', at: string): Promise<number> {
  if (!(await store.getReference('member', memberId))) throw new HubInputError('NOT_FOUND', `no member "${memberId}" in the network`);
  const existing = (await store.getReference('badge', uid)) as { memberId: string } | null | undefined;
  if (existing && existing.memberId !== memberId) throw new HubInputError('CONFLICT', `badge "${uid}" belongs to member ${existing.memberId}`);
  return store.putReference([{ entity: 'badge', key: uid, data: { uid, memberId, kind, status: 'active' } }], at);
}

export async function setMemberStatus(store: HubStore, memberId: string, status: 'active' | 'blocked', reason: string | undefined, at: string): Promise<number> {
  const member = (await store.getReference('member', memberId)) as Record<string, unknown> | null | undefined;
  if (!member) throw new HubInputError('NOT_FOUND', `no member "${memberId}" in the network`);
  const { blockedReason: _old, ...rest } = member;
  return store.putReference([{ entity: 'member', key: memberId, data: { ...rest, status, ...(status === 'blocked' ? { blockedReason: reason ?? 'Membership suspended by the network.' } : {}) } }], at);
}
