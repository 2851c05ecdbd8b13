// Reference data at the hub, the only writer of it: imports of the network's reference file,
// badge and member changes, each written as entity changes with a cursor, then stations are poked.
import {
  REFERENCE_ENTITY_SCHEMAS,
  badgeUidSchema,
  formatPath,
  memberSchema,
  payerPartyIssues,
  referenceDataSchema,
  referenceEntityKey,
  referenceIssues,
  type Payer,
  type Plan,
  type Quota,
  type ReferenceData,
  type Service,
  type Subscription,
  type TariffVersion,
} from '../../common/reference-data.js';
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


/** Validates a reference file (escale.reference/1) whole; nothing is written if any part is wrong. */
export function parseReferenceFile(value: unknown): ReferenceData {
  const parsed = referenceDataSchema.safeParse(value);
  const problems = parsed.success ? referenceIssues(parsed.data) : parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
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
    // Plans before the subscriptions naming them; quotas after the members they allocate to.
    ...data.plans.map((d) => ({ entity: 'plan' as const, key: d.id, data: d })),
    ...data.subscriptions.map((d) => ({ entity: 'subscription' as const, key: d.id, data: d })),
    ...data.quotas.map((d) => ({ entity: 'quota' as const, key: d.id, data: d })),
  ];
}

/**
 * Drops, from changes about to be written, those that would bring an erased member's personal data
 * back (a reference file or CSV made before the erasure) or give them a badge again: an erasure is
 * final. Says which members were kept erased.
 */
export async function keepErasures<C extends { entity: ReferenceEntity; key: string; data: unknown }>(store: HubStore, changes: C[]): Promise<{ changes: C[]; keptErased: string[] }> {
  if (!changes.some((c) => c.entity === 'member' || c.entity === 'badge')) return { changes, keptErased: [] };
  const erased = new Set(((await store.listReference('member')) as { id: string; erasedAt?: string }[]).filter((m) => m.erasedAt).map((m) => m.id));
  if (erased.size === 0) return { changes, keptErased: [] };
  const kept = new Set<string>();
  const out = changes.filter((c) => {
    const memberId = c.entity === 'member' ? c.key : c.entity === 'badge' ? (c.data as { memberId?: string } | null)?.memberId : undefined;
    if (memberId === undefined || !erased.has(memberId)) return true;
    // A change that keeps the erasure (a status change of the erased record itself) passes.
    if (c.entity === 'member' && (c.data as { erasedAt?: string } | null)?.erasedAt) return true;
    kept.add(memberId);
    return false;
  });
  return { changes: out, keptErased: [...kept] };
}

export async function importReference(store: HubStore, value: unknown, at: string): Promise<{ cursor: number; counts: Record<string, number>; keptErased?: string[] }> {
  const data = parseReferenceFile(value);
  const { changes, keptErased } = await keepErasures(store, referenceChanges(data));
  const cursor = await store.putReference(changes, at);
  // The network's own legal profile stays at the hub (the seller on its invoices): no station needs it.
  if (data.network) await store.putNetworkProfile(data.network);
  const counts: Record<string, number> = {};
  for (const c of changes) counts[c.entity] = (counts[c.entity] ?? 0) + 1;
  return { cursor, counts, ...(keptErased.length ? { keptErased } : {}) };
}

/** A badge number an operator typed (an admin URL, a form) in its canonical form, the stored key. */
function badgeKey(raw: string): string {
  const parsed = badgeUidSchema.safeParse(raw);
  if (!parsed.success) throw new HubInputError('INVALID_INPUT', `badge number refused: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/** Marks a badge lost or revoked (or active again): every station refuses it after its next pull. */
export async function setBadgeStatus(store: HubStore, rawUid: string, status: 'active' | 'lost' | 'revoked', at: string): Promise<number> {
  const uid = badgeKey(rawUid);
  const badge = (await store.getReference('badge', uid)) as { status: string } | null | undefined;
  if (!badge) throw new HubInputError('NOT_FOUND', `no badge "${uid}" in the network`);
  return store.putReference([{ entity: 'badge', key: uid, data: { ...badge, status } }], at);
}

export async function assignBadge(store: HubStore, rawUid: string, memberId: string, kind: 'rfid' | 'qr' | 'barcode', at: string): Promise<number> {
  const uid = badgeKey(rawUid);
  if (!(await store.getReference('member', memberId))) throw new HubInputError('NOT_FOUND', `no member "${memberId}" in the network`);
  if (((await store.getReference('member', memberId)) as { erasedAt?: string }).erasedAt)
    throw new HubInputError('CONFLICT', `member "${memberId}" was erased at their request: they can have no badge; sign them up again as a new member`);
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

/** Creates or replaces one entity (a site, a payer, a tariff version…), validated with its schema. */
export async function putEntity(store: HubStore, entity: string, value: unknown, at: string): Promise<{ entity: string; key: string; cursor: number }> {
  if (!(entity in REFERENCE_ENTITY_SCHEMAS)) throw new HubInputError('NOT_FOUND', `no entity "${entity}"; one of ${Object.keys(REFERENCE_ENTITY_SCHEMAS).join(', ')}`);
  const e = entity as ReferenceEntity;
  const parsed = REFERENCE_ENTITY_SCHEMAS[e].safeParse(value);
  if (!parsed.success) throw new HubInputError('INVALID_INPUT', `${entity} refused: ${parsed.error.issues.slice(0, 3).map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`);
  const data = parsed.data as Record<string, unknown>;
  if (e === 'staff' && !data.siteId) throw new HubInputError('INVALID_INPUT', 'staff refused: siteId: required at the hub');
  const party = e === 'payer' ? payerPartyIssues(data as Payer) : [];
  if (party.length > 0) throw new HubInputError('INVALID_INPUT', `payer refused: ${party.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  await checkPlanReferences(store, e, data);
  await checkVatTreatment(store, e, data);
  const key = referenceEntityKey(e, data);
  const { changes } = await keepErasures(store, [{ entity: e, key, data }]);
  if (changes.length === 0) throw new HubInputError('CONFLICT', `${entity} "${key}" refused: it concerns member "${String(data.memberId ?? key)}", who was erased at their request`);
  return { entity, key, cursor: await store.putReference(changes, at) };
}

/**
 * What a plan, subscription or quota names must exist at the hub (as a whole reference file is
 * checked by referenceIssues): a station would otherwise receive a pass to nowhere, or hours
 * allocated to someone else's staff.
 */
async function checkPlanReferences(store: HubStore, entity: ReferenceEntity, data: Record<string, unknown>): Promise<void> {
  const missing = async (what: ReferenceEntity, key: string) => !(await store.getReference(what, key));
  if (entity === 'plan') {
    const plan = data as Plan;
    if (plan.sites !== 'all')
      for (const [i, site] of plan.sites.entries()) if (await missing('site', site)) throw new HubInputError('INVALID_INPUT', `plan refused: sites[${i}]: no site "${site}" at the hub`);
  } else if (entity === 'subscription') {
    const sub = data as Subscription;
    if (await missing('member', sub.memberId)) throw new HubInputError('INVALID_INPUT', `subscription refused: memberId: no member "${sub.memberId}" at the hub`);
    if (await missing('plan', sub.planId)) throw new HubInputError('INVALID_INPUT', `subscription refused: planId: no plan "${sub.planId}" at the hub`);
  } else if (entity === 'quota') {
    const quota = data as Quota;
    if (await missing('payer', quota.payerId)) throw new HubInputError('INVALID_INPUT', `quota refused: payerId: no payer "${quota.payerId}" at the hub`);
    for (const [i, a] of quota.allocations.entries()) {
      const member = (await store.getReference('member', a.memberId)) as { payerId: string } | null | undefined;
      if (!member) throw new HubInputError('INVALID_INPUT', `quota refused: allocations[${i}].memberId: no member "${a.memberId}" at the hub`);
      if (member.payerId !== quota.payerId)
        throw new HubInputError('INVALID_INPUT', `quota refused: allocations[${i}].memberId: member "${a.memberId}" is not on the staff of payer "${quota.payerId}"`);
    }
  }
}

/**
 * A service's VAT treatment and the tariff's rates for it agree (as referenceIssues checks a whole
 * file): a service zero rated or exempt is priced at 0 % in every tariff version at the hub.
 */
async function checkVatTreatment(store: HubStore, entity: ReferenceEntity, data: Record<string, unknown>): Promise<void> {
  const refuse = (what: string, path: string, code: string, category: 'Z' | 'E', rateBp: number, fix: string) =>
    new HubInputError('INVALID_INPUT', `${what} refused: ${path}: the service "${code}" is ${category === 'Z' ? 'zero rated (Z)' : 'exempt (E)'} by its vatTreatment, so its prices are at 0 %, not ${rateBp / 100} %: ${fix}`);
  if (entity === 'service') {
    const service = data as Service;
    if (!service.vatTreatment) return;
    for (const t of (await store.listReference('tariff')) as TariffVersion[]) {
      const taxed = t.prices.find((p) => p.serviceCode === service.code && p.vatRateBp !== 0);
      if (taxed) throw refuse('service', 'vatTreatment', service.code, service.vatTreatment.category, taxed.vatRateBp, `set its prices in tariff version "${t.id}" to 0 % first, or remove vatTreatment`);
    }
  } else if (entity === 'tariff') {
    const tariff = data as TariffVersion;
    for (const [i, p] of tariff.prices.entries()) {
      if (p.vatRateBp === 0) continue;
      const service = (await store.getReference('service', p.serviceCode)) as Service | null | undefined;
      if (service?.vatTreatment) throw refuse('tariff', `prices[${i}].vatRateBp`, p.serviceCode, service.vatTreatment.category, p.vatRateBp, "set vatRateBp to 0, or remove the service's vatTreatment first");
    }
  }
}

/** Splits CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into rows. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

const MEMBER_COLUMNS = ['id', 'payerId', 'firstName', 'lastName', 'email', 'language', 'status', 'homeSiteId', 'agentSiteId', 'blockedReason'] as const;

/**
 * Members from CSV with a header row naming the columns (id, payerId, firstName, lastName, email,
 * language, status, homeSiteId, and optionally agentSiteId, blockedReason). Refused whole, with the
 * line and column at fault; payers and sites must exist at the hub.
 */
export async function importMembersCsv(store: HubStore, text: string, at: string): Promise<{ cursor: number; members: number; keptErased?: string[] }> {
  const [header, ...lines] = parseCsv(text.replace(/^\uFEFF/, ''));
  if (!header) throw new HubInputError('INVALID_INPUT', 'the CSV file is empty');
  const cols = header.map((h) => h.trim());
  for (const required of MEMBER_COLUMNS.slice(0, 8)) if (!cols.includes(required)) throw new HubInputError('INVALID_INPUT', `line 1: the header lacks the column "${required}"`);
  const payers = new Set(((await store.listReference('payer')) as { id: string }[]).map((p) => p.id));
  const sites = new Set(((await store.listReference('site')) as { id: string }[]).map((s) => s.id));
  const members = lines.map((fields, i) => {
    const line = i + 2;
    const record: Record<string, string> = {};
    cols.forEach((c, k) => {
      const v = fields[k]?.trim() ?? '';
      if (v !== '' && (MEMBER_COLUMNS as readonly string[]).includes(c)) record[c] = v;
    });
    const parsed = memberSchema.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new HubInputError('INVALID_INPUT', `line ${line}, column ${formatPath(issue.path)}: ${issue.message}; nothing imported`);
    }
    if (!payers.has(parsed.data.payerId)) throw new HubInputError('INVALID_INPUT', `line ${line}, column payerId: no payer "${parsed.data.payerId}" at the hub; nothing imported`);
    for (const col of ['homeSiteId', 'agentSiteId'] as const) {
      const site = parsed.data[col];
      if (site !== undefined && !sites.has(site)) throw new HubInputError('INVALID_INPUT', `line ${line}, column ${col}: no site "${site}" at the hub; nothing imported`);
    }
    return parsed.data;
  });
  const { changes, keptErased } = await keepErasures(store, members.map((m) => ({ entity: 'member' as const, key: m.id, data: m })));
  const cursor = await store.putReference(changes, at);
  return { cursor, members: changes.length, ...(keptErased.length ? { keptErased } : {}) };
}
