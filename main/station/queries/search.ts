// Staff search: members by name, company, e-mail, member number or badge; guests by name or company.
// Bound parameters only, and the user's % and _ are matched literally. The order is the desk's:
// people on site first (the one in front of the clerk is likelier there), then an exact badge,
// member number or e-mail, then the rest by name — so a homonym who is not here is never the
// first row.
import type { SearchHit } from '../../../common/station-api.js';
import type { Language } from '../../../common/reference-data.js';
import { shortMemberNumber } from '../../../common/member-number.js';
import { sql, type StationContext } from '../context.js';
import { likeContains, searchKey } from './search-key.js';

interface MemberHitRow {
  id: string;
  first_name: string;
  last_name: string;
  email: string;
  language: Language;
  status: 'active' | 'blocked';
  payer_name: string;
  payer_kind: string;
  open_visit_id: string | null;
  on_site_since: string | null;
  signup_state: SearchHit['signUp'] | null;
  exact: 0 | 1;
}

interface GuestHitRow {
  id: string;
  first_name: string;
  last_name: string;
  email: string | null;
  company: string | null;
  language: Language;
  open_visit_id: string | null;
  on_site_since: string | null;
}

/** Desk order: on site, then exact matches, then by last and first name. */
export function rankHits(hits: SearchHit[]): SearchHit[] {
  const rank = (h: SearchHit) => (h.openVisitId ? 0 : 2) + (h.exact ? 0 : 1);
  const byName = (a: SearchHit, b: SearchHit) =>
    a.person.lastName.localeCompare(b.person.lastName, 'fr') || a.person.firstName.localeCompare(b.person.firstName, 'fr');
  return [...hits].sort((a, b) => rank(a) - rank(b) || byName(a, b));
}

export function search(ctx: StationContext, query: string, limit: number): SearchHit[] {
  if (searchKey(query) === '') return [];
  const pattern = likeContains(query);
  const exact = query.trim();
  // The short number of a member signed up here is the end of their id (common/member-number.ts).
  const short = /^[0-9a-f]{8}$/i.test(exact) ? exact.toLowerCase() : '';
  const members = sql(
    ctx.db,
    `SELECT m.id, m.first_name, m.last_name, m.email, m.language, m.status, p.name AS payer_name, p.kind AS payer_kind, o.visit_id AS open_visit_id,
            o.checked_in_at AS on_site_since, s.state AS signup_state,
            (m.id = :exact OR m.email = :exact COLLATE NOCASE OR (m.id LIKE 'm-%' AND lower(substr(m.id, -8)) = :short)
              OR m.id IN (SELECT member_id FROM badge WHERE uid = :exact COLLATE NOCASE)) AS exact
     FROM member m JOIN payer p ON p.id = m.payer_id LEFT JOIN open_visit o ON o.member_id = m.id LEFT JOIN member_signup s ON s.member_id = m.id
     WHERE m.search_text LIKE :p ESCAPE '\\' OR m.id = :exact OR (m.id LIKE 'm-%' AND lower(substr(m.id, -8)) = :short)
        OR m.id IN (SELECT member_id FROM badge WHERE uid LIKE :p ESCAPE '\\')
     ORDER BY o.visit_id IS NULL, exact DESC, m.last_name, m.first_name LIMIT :limit`,
  ).all({ p: pattern, exact, short, limit }) as MemberHitRow[];
  const badgesOf = sql(ctx.db, 'SELECT uid, status FROM badge WHERE member_id = ? ORDER BY uid');
  const hits: SearchHit[] = members.map((m) => ({
    person: {
      kind: 'member',
      id: m.id,
      firstName: m.first_name,
      lastName: m.last_name,
      language: m.language,
      ...(m.payer_kind === 'company' ? { company: m.payer_name } : {}),
    },
    email: m.email,
    status: m.status,
    memberNumber: shortMemberNumber(m.id),
    badges: badgesOf.all(m.id) as { uid: string; status: string }[],
    ...(m.open_visit_id ? { openVisitId: m.open_visit_id, onSiteSince: m.on_site_since! } : {}),
    ...(m.signup_state ? { signUp: m.signup_state } : {}),
    ...(m.exact ? { exact: true as const } : {}),
  }));
  // A purged guest's search text is empty (guests/purge.ts): no pattern finds them any more.
  // Guests are asked for as many rows again: one on site outranks members who are not.
  const guests = sql(
    ctx.db,
    `SELECT g.id, g.first_name, g.last_name, g.email, g.company, g.language, o.visit_id AS open_visit_id, o.checked_in_at AS on_site_since
     FROM guest g LEFT JOIN open_visit o ON o.visit_id = (SELECT v.id FROM visit v WHERE v.guest_id = g.id ORDER BY v.checked_in_at DESC LIMIT 1)
     WHERE g.search_text LIKE :p ESCAPE '\\' ORDER BY o.visit_id IS NULL, g.registered_at DESC LIMIT :limit`,
  ).all({ p: pattern, limit }) as GuestHitRow[];
  for (const g of guests)
    hits.push({
      person: { kind: 'guest', id: g.id, firstName: g.first_name, lastName: g.last_name, language: g.language, ...(g.company ? { company: g.company } : {}) },
      ...(g.email ? { email: g.email } : {}),
      status: 'guest',
      badges: [],
      ...(g.open_visit_id ? { openVisitId: g.open_visit_id, onSiteSince: g.on_site_since! } : {}),
    });
  return rankHits(hits).slice(0, limit);
}
