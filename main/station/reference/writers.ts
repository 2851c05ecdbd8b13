// Writing reference entities into the station database, one at a time: shared by the file import
// and by the changes pulled from the hub. Entities the ledger points at (sites, payers, members,
// services) are never deleted: a member removed at the hub is kept, blocked, so past visits stay.
import type { Database, Statement } from 'better-sqlite3';
import type { Badge, Member, Payer, Plan, Quota, Service, SignupOutcomeRecord, Site, Staff, Subscription, TariffVersion } from '../../../common/reference-data.js';
import { memberSearchKey } from '../queries/search-key.js';
import { applySignupOutcome } from '../signups/sign-up.js';

export interface ReferenceWriters {
  site(s: Site): void;
  payer(p: Payer): void;
  member(m: Member): void;
  badge(b: Badge): void;
  service(s: Service): void;
  tariff(t: TariffVersion): void;
  staff(s: Staff): void;
  plan(p: Plan): void;
  subscription(s: Subscription): void;
  quota(q: Quota): void;
  /** The hub's answer to a sign-up made at this reception. */
  signup(o: SignupOutcomeRecord): void;
  /** Removes what the hub deleted, as far as the ledger allows. */
  tombstone(entity: string, key: string): void;
}

export const REMOVED_REASON = 'This membership was removed from the network. Please see the reception.';
/** A PIN hash no PIN matches: a clerk removed at the hub can no longer sign in. */
const NO_PIN = 'scrypt$1$1$1$00$00';

export function referenceWriters(db: Database): ReferenceWriters {
  const s = (text: string): Statement => db.prepare(text);
  const upsertSite = s(`INSERT INTO site (id, name, region, stars, time_zone, opening_hours, membership, badge_formats, legal_name, address, vat_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(id) DO UPDATE SET name=excluded.name, region=excluded.region, stars=excluded.stars, time_zone=excluded.time_zone,
      opening_hours=excluded.opening_hours, membership=excluded.membership, badge_formats=excluded.badge_formats,
      legal_name=excluded.legal_name, address=excluded.address, vat_number=excluded.vat_number`);
  const upsertPayer = s(`INSERT INTO payer (id, kind, name, vat_number, language) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(id) DO UPDATE SET kind=excluded.kind, name=excluded.name, vat_number=excluded.vat_number, language=excluded.language`);
  const upsertMember = s(`INSERT INTO member (id, payer_id, first_name, last_name, email, language, status, blocked_reason, home_site_id, agent_site_id, search_text)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT(id) DO UPDATE SET payer_id=excluded.payer_id, first_name=excluded.first_name, last_name=excluded.last_name, email=excluded.email,
      language=excluded.language, status=excluded.status, blocked_reason=excluded.blocked_reason, home_site_id=excluded.home_site_id,
      agent_site_id=excluded.agent_site_id, search_text=excluded.search_text`);
  const upsertBadge = s(`INSERT INTO badge (uid, member_id, kind, status) VALUES (?, ?, ?, ?)
    ON CONFLICT(uid) DO UPDATE SET member_id=excluded.member_id, kind=excluded.kind, status=excluded.status`);
  const upsertService = s(`INSERT INTO service (code, names, unit, category) VALUES (?, ?, ?, ?)
    ON CONFLICT(code) DO UPDATE SET names=excluded.names, unit=excluded.unit, category=excluded.category`);
  const upsertTariff = s(`INSERT INTO tariff_version (id, effective_from) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET effective_from=excluded.effective_from`);
  const clearPrices = s('DELETE FROM tariff_price WHERE tariff_version_id = ?');
  const insertPrice = s(`INSERT INTO tariff_price (tariff_version_id, service_code, stars, unit_price_cents, vat_rate_bp, billing_increment_minutes, daily_cap_cents)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const upsertStaff = s(`INSERT INTO staff (id, name, pin_hash, role) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name=excluded.name, pin_hash=excluded.pin_hash, role=excluded.role`);
  const upsertPlan = s('INSERT INTO plan (id, data) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET data=excluded.data');
  const upsertSubscription = s('INSERT INTO subscription (id, member_id, data) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET member_id=excluded.member_id, data=excluded.data');
  const upsertQuota = s('INSERT INTO quota (id, data) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET data=excluded.data');
  const clearQuotaMembers = s('DELETE FROM quota_member WHERE quota_id = ?');
  const insertQuotaMember = s('INSERT OR IGNORE INTO quota_member (quota_id, member_id) VALUES (?, ?)');
  const payerName = s('SELECT name FROM payer WHERE id = ?');
  const membersOf = s('SELECT id, first_name, last_name, email FROM member WHERE payer_id = ?');
  const setSearch = s('UPDATE member SET search_text = ? WHERE id = ?');
  // The hub's member with the id this station made at a sign-up: the provisional member is confirmed.
  // (The `signup` outcome in the same pull sets the hub's decision time; this time is a fallback.)
  const confirmSignup = s("UPDATE member_signup SET state = 'confirmed', decided_at = COALESCE(decided_at, ?) WHERE member_id = ? AND state = 'awaiting'");
  const eraseSignup = s('UPDATE member_signup SET phone = NULL, billing_address = NULL WHERE member_id = ?');
  const eraseFromPrintJobs = s(
    `UPDATE print_job SET document = json_set(document, '$.person', json_object('name', ?)) WHERE visit_id IN (SELECT id FROM visit WHERE member_id = ?)`,
  );
  // A welcome slip printed at a sign-up without a check-in belongs to no visit: found by its member.
  // Only members signed up here have one, so the print queue is scanned only for them.
  const eraseFromWelcomeSlips = s(
    `UPDATE print_job SET document = json_set(document, '$.person', json_object('name', @name))
      WHERE EXISTS (SELECT 1 FROM member_signup WHERE member_id = @member) AND json_extract(document, '$.kind') = 'welcome' AND json_extract(document, '$.memberId') = @member`,
  );
  // A visitor badge names the guest's host.
  const eraseHostFromBadges = s(
    `UPDATE print_job SET document = json_set(document, '$.host', ?)
      WHERE kind = 'badge' AND json_extract(document, '$.host') IS NOT NULL
        AND visit_id IN (SELECT v.id FROM visit v JOIN guest g ON g.id = v.guest_id WHERE g.host_member_id = ?)`,
  );
  const memberNow = s('SELECT first_name, last_name, email FROM member WHERE id = ?');


  return {
    site: (x) => upsertSite.run(x.id, x.name, x.region, x.stars, x.timeZone, JSON.stringify(x.openingHours), JSON.stringify(x.membership), x.badgeFormats ? JSON.stringify(x.badgeFormats) : null,
      x.legalName ?? null, x.address ? JSON.stringify(x.address) : null, x.vatNumber ?? null),
    payer: (p) => {
      const before = (payerName.get(p.id) as { name: string } | undefined)?.name;
      upsertPayer.run(p.id, p.kind, p.name, p.vatNumber ?? null, p.language);
      // Members are found by their company's name: keep it current when a payer is renamed.
      if (before !== undefined && before !== p.name)
        for (const m of membersOf.all(p.id) as { id: string; first_name: string; last_name: string; email: string }[])
          setSearch.run(memberSearchKey(m.first_name, m.last_name, m.email, p.name), m.id);
    },
    member: (m) => {
      // An erased member comes again with every snapshot and every later change of theirs: what
      // their erasure rewrites here was rewritten when the pseudonym first arrived.
      const before = m.erasedAt ? (memberNow.get(m.id) as { first_name: string; last_name: string; email: string } | undefined) : undefined;
      const erasedBefore = before !== undefined && before.first_name === m.firstName && before.last_name === m.lastName && before.email === m.email;
      upsertMember.run(m.id, m.payerId, m.firstName, m.lastName, m.email, m.language, m.status, m.blockedReason ?? null, m.homeSiteId, m.agentSiteId ?? null,
        memberSearchKey(m.firstName, m.lastName, m.email, (payerName.get(m.payerId) as { name: string } | undefined)?.name ?? ''));
      // Erased at the hub on the member's request: the name kept on their print jobs (for
      // reprints: receipts, a welcome slip, the badges of guests they hosted) goes too, replaced by the pseudonym.
      if (m.erasedAt && !erasedBefore) {
        const pseudonym = `${m.firstName} ${m.lastName}`;
        eraseFromPrintJobs.run(pseudonym, m.id);
        eraseFromWelcomeSlips.run({ name: pseudonym, member: m.id });
        eraseHostFromBadges.run(pseudonym, m.id);
        eraseSignup.run(m.id);
      }
      // The same row the sign-up wrote (an upsert, never a delete): the visits made meanwhile keep their member.
      confirmSignup.run(new Date().toISOString(), m.id);
    },
    badge: (b) => upsertBadge.run(b.uid, b.memberId, b.kind, b.status),
    service: (x) => upsertService.run(x.code, JSON.stringify(x.names), x.unit, x.category),
    tariff: (t) => {
      upsertTariff.run(t.id, t.effectiveFrom);
      // Consumption rows copy the prices they were charged with, so replacing a version's
      // prices never changes a recorded amount.
      clearPrices.run(t.id);
      for (const p of t.prices)
        insertPrice.run(t.id, p.serviceCode, p.stars, p.unitPriceCents, p.vatRateBp, p.billingIncrementMinutes ?? null, p.dailyCapCents ?? null);
    },
    staff: (x) => upsertStaff.run(x.id, x.name, x.pinHash, x.role ?? 'clerk'),
    plan: (p) => upsertPlan.run(p.id, JSON.stringify(p)),
    subscription: (x) => upsertSubscription.run(x.id, x.memberId, JSON.stringify(x)),
    quota: (q) => {
      upsertQuota.run(q.id, JSON.stringify(q));
      clearQuotaMembers.run(q.id);
      for (const a of q.allocations) insertQuotaMember.run(q.id, a.memberId);
    },
    signup: (o) => applySignupOutcome(db, o),
    tombstone: (entity, key) => {
      switch (entity) {
        case 'badge':
          db.prepare('DELETE FROM badge WHERE uid = ?').run(key);
          break;
        case 'tariff':
          clearPrices.run(key);
          db.prepare('DELETE FROM tariff_version WHERE id = ?').run(key);
          break;
        case 'member':
          db.prepare("UPDATE member SET status = 'blocked', blocked_reason = ? WHERE id = ?").run(REMOVED_REASON, key);
          break;
        case 'staff':
          db.prepare("UPDATE staff SET pin_hash = ?, role = 'clerk' WHERE id = ?").run(NO_PIN, key.includes('/') ? key.slice(key.indexOf('/') + 1) : key);
          break;
        // Consumption lines copy their coverage, so a plan, subscription or quota can simply go.
        case 'plan':
          db.prepare('DELETE FROM plan WHERE id = ?').run(key);
          break;
        case 'subscription':
          db.prepare('DELETE FROM subscription WHERE id = ?').run(key);
          break;
        case 'quota':
          db.prepare('DELETE FROM quota WHERE id = ?').run(key);
          break;
        // Sites, payers and services stay: visits and consumption point at them.
      }
    },
  };
}
