// Staff search: members by name, company, e-mail, id or badge; guests by name or company.
// Bound parameters only, and the user's % and _ are matched literally.
import type { SearchHit } from '../../../common/station-api.js';
import type { Language } from '../../../common/reference-data.js';
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
  signup_state: SearchHit['signUp'] | null;
}

interface GuestHitRow {
  id: string;
  first_name: string;
  last_name: string;
  email: string | null;
  company: string | null;
  language: Language;
  open_visit_id: string | null;
}

export function search(ctx: StationContext, query: string, limit: number): SearchHit[] {
  if (searchKey(query) === '') return [];
  const pattern = likeContains(query);
  const members = sql(
    ctx.db,
    `SELECT m.id, m.first_name, m.last_name, m.email, m.language, m.status, p.name AS payer_name, p.kind AS payer_kind, o.visit_id AS open_visit_id,
            s.state AS signup_state
     FROM member m JOIN payer p ON p.id = m.payer_id LEFT JOIN open_visit o ON o.member_id = m.id LEFT JOIN member_signup s ON s.member_id = m.id
     WHERE m.search_text LIKE :p ESCAPE '\\' OR m.id = :exact
        OR m.id IN (SELECT member_id FROM badge WHERE uid LIKE :p ESCAPE '\\')
     ORDER BY m.last_name, m.first_name LIMIT :limit`,
  ).all({ p: pattern, exact: query.trim(), limit }) as MemberHitRow[];
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
    badges: badgesOf.all(m.id) as { uid: string; status: string }[],
    ...(m.open_visit_id ? { openVisitId: m.open_visit_id } : {}),
    ...(m.signup_state ? { signUp: m.signup_state } : {}),
  }));
  if (hits.length >= limit) return hits;
  // A purged guest's search text is empty (guests/purge.ts): no pattern finds them any more.
  const guests = sql(
    ctx.db,
    `SELECT g.id, g.first_name, g.last_name, g.email, g.company, g.language, o.visit_id AS open_visit_id
     FROM guest g LEFT JOIN open_visit o ON o.visit_id = (SELECT v.id FROM visit v WHERE v.guest_id = g.id ORDER BY v.checked_in_at DESC LIMIT 1)
     WHERE g.search_text LIKE :p ESCAPE '\\' ORDER BY g.registered_at DESC LIMIT :limit`,
  ).all({ p: pattern, limit: limit - hits.length }) as GuestHitRow[];
  for (const g of guests)
    hits.push({
      person: { kind: 'guest', id: g.id, firstName: g.first_name, lastName: g.last_name, language: g.language, ...(g.company ? { company: g.company } : {}) },
      ...(g.email ? { email: g.email } : {}),
      status: 'guest',
      badges: [],
      ...(g.open_visit_id ? { openVisitId: g.open_visit_id } : {}),
    });
  return hits;
}
