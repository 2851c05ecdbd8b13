// The reference data as the accounts read it: the hub's current entities, parsed with their
// schemas, indexed for the lookups pricing does per line.
import {
  memberSchema, payerSchema, planSchema, quotaSchema, serviceSchema, siteSchema, subscriptionSchema, tariffVersionSchema,
  type Member, type Payer, type Plan, type Quota, type Service, type Site, type Subscription, type TariffPrice, type TariffVersion,
} from '../../common/reference-data.js';
import type { VatTreatment } from '../../common/vat-treatment.js';
import type { HubStore } from '../store/store.js';
import type { z } from 'zod';

export interface AccountsReference {
  sites: Map<string, Site>;
  payers: Map<string, Payer>;
  members: Map<string, Member>;
  services: Map<string, Service>;
  /** Oldest first. */
  tariffs: TariffVersion[];
  /** Tariff version id → service code → the price at each star level (index 1 to 3). */
  prices: Map<string, Map<string, (TariffPrice | undefined)[]>>;
  plans: Map<string, Plan>;
  subscriptionsByMember: Map<string, Subscription[]>;
  subscriptions: Subscription[];
  subscriptionsById: Map<string, Subscription>;
  quotas: Quota[];
  quotasById: Map<string, Quota>;
  quotasByMember: Map<string, Quota[]>;
}

/** The price of a service at a star level in a tariff version (nested maps: no key to build per line). */
export const priceOf = (ref: Pick<AccountsReference, 'prices'>, tariffId: string, serviceCode: string, stars: number): TariffPrice | undefined =>
  ref.prices.get(tariffId)?.get(serviceCode)?.[stars];

async function list<S extends z.ZodType>(store: HubStore, entity: Parameters<HubStore['listReference']>[0], schema: S): Promise<z.infer<S>[]> {
  // The hub wrote them through these very schemas; an entity that no longer parses (a schema change)
  // is skipped rather than stopping every statement of the network.
  const out: z.infer<S>[] = [];
  for (const raw of await store.listReference(entity)) {
    const parsed = schema.safeParse(raw);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) {
    const k = key(i);
    const g = m.get(k);
    if (g) g.push(i);
    else m.set(k, [i]);
  }
  return m;
}

/** The quotas allocating minutes to each member. */
function quotasByMemberOf(quotas: readonly Quota[]): Map<string, Quota[]> {
  const byMember = new Map<string, Quota[]>();
  for (const q of quotas)
    for (const a of q.allocations) {
      const list = byMember.get(a.memberId) ?? [];
      if (!list.includes(q)) list.push(q);
      byMember.set(a.memberId, list);
    }
  return byMember;
}

export async function loadAccountsReference(store: HubStore): Promise<AccountsReference> {
  const [sites, payers, members, services, tariffs, plans, subscriptions, quotas] = await Promise.all([
    list(store, 'site', siteSchema),
    list(store, 'payer', payerSchema),
    list(store, 'member', memberSchema),
    list(store, 'service', serviceSchema),
    list(store, 'tariff', tariffVersionSchema),
    list(store, 'plan', planSchema),
    list(store, 'subscription', subscriptionSchema),
    list(store, 'quota', quotaSchema),
  ]);
  tariffs.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
  const prices = new Map<string, Map<string, (TariffPrice | undefined)[]>>();
  for (const t of tariffs) {
    const byService = new Map<string, (TariffPrice | undefined)[]>();
    for (const p of t.prices) {
      const list = byService.get(p.serviceCode) ?? [];
      list[p.stars] = p;
      byService.set(p.serviceCode, list);
    }
    prices.set(t.id, byService);
  }
  const quotasByMember = quotasByMemberOf(quotas);
  return {
    sites: new Map(sites.map((s) => [s.id, s])),
    payers: new Map(payers.map((p) => [p.id, p])),
    members: new Map(members.map((m) => [m.id, m])),
    services: new Map(services.map((s) => [s.code, s])),
    tariffs,
    prices,
    plans: new Map(plans.map((p) => [p.id, p])),
    subscriptions,
    subscriptionsById: new Map(subscriptions.map((x) => [x.id, x])),
    subscriptionsByMember: groupBy(subscriptions, (s) => s.memberId),
    quotas,
    quotasById: new Map(quotas.map((q) => [q.id, q])),
    quotasByMember,
  };
}

/**
 * What a closed month was billed with, kept with it: its sites (star levels), plans (fees, VAT,
 * sites), quotas (prices) and its members' payer, agent and sign-up day. A closed month recomputed
 * for adjustments uses these, so editing a plan's fee or a site's stars today bills the months to
 * come, not again the months already closed. Reference data the hub holds has no history.
 */
export interface FrozenReference {
  sites: Site[];
  plans: Plan[];
  quotas: Omit<Quota, 'used' | 'usedAsOf'>[];
  /**
   * The services' VAT treatments (issue 17), by service code: an adjustment of the month states the
   * ground of the month it corrects. Absent in months closed before treatments: today's.
   */
  serviceTreatments?: Record<string, VatTreatment>;
  members: Record<string, { payerId: string; agentSiteId?: string; signedUpOn?: string }>;
}

export function freezeReference(ref: AccountsReference, memberIds: Iterable<string>): FrozenReference {
  const members: FrozenReference['members'] = {};
  for (const id of memberIds) {
    const m = ref.members.get(id);
    if (m) members[id] = { payerId: m.payerId, ...(m.agentSiteId ? { agentSiteId: m.agentSiteId } : {}), ...(m.signedUpOn ? { signedUpOn: m.signedUpOn } : {}) };
  }
  return {
    sites: [...ref.sites.values()],
    plans: [...ref.plans.values()],
    quotas: ref.quotas.map(({ used: _used, usedAsOf: _at, ...q }) => q),
    members,
    serviceTreatments: Object.fromEntries([...ref.services.values()].flatMap((x) => (x.vatTreatment ? [[x.code, x.vatTreatment]] : []))),
  };
}

/** The reference as a closed month saw it: today's, with what was frozen at its close laid over. */
export function referenceAsOf(ref: AccountsReference, frozen: FrozenReference | undefined): AccountsReference {
  if (!frozen) return ref;
  const sites = new Map(ref.sites);
  for (const s of frozen.sites) sites.set(s.id, s);
  const plans = new Map(ref.plans);
  for (const p of frozen.plans) plans.set(p.id, p);
  const quotasById = new Map(ref.quotasById);
  for (const q of frozen.quotas) quotasById.set(q.id, { ...q, used: ref.quotasById.get(q.id)?.used ?? {} });
  const quotas = [...quotasById.values()];
  const quotasByMember = quotasByMemberOf(quotas);
  const members = new Map(ref.members);
  for (const [id, m] of Object.entries(frozen.members)) {
    const now = ref.members.get(id);
    if (now) {
      const { agentSiteId: _a, signedUpOn: _s, ...rest } = now;
      members.set(id, { ...rest, ...m });
    }
  }
  return { ...ref, sites, plans, quotas, quotasById, quotasByMember, members, services: servicesAsOf(ref.services, frozen.serviceTreatments) };
}

/** Today's services with the VAT treatments a closed month froze. */
function servicesAsOf(services: Map<string, Service>, treatments: Record<string, VatTreatment> | undefined): Map<string, Service> {
  if (!treatments) return services;
  const out = new Map<string, Service>();
  for (const [code, { vatTreatment: _now, ...service }] of services) {
    const then = treatments[code];
    out.set(code, then ? { ...service, vatTreatment: then } : service);
  }
  return out;
}
