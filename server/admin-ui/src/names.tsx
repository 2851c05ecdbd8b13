// Names for the ids the hub's listings carry: sites, members, payers, plans and stations by the
// names the reference data gives them, so the page shows people and places, not keys. An id
// the reference does not know (an erased member, a site since removed) stays as it is.
import { z } from 'zod';
import { stationListingSchema } from '../../../common/admin-api.js';
import { memberSchema, payerSchema, planSchema, siteSchema } from '../../../common/reference-data.js';
import { adminCall } from './api.js';

export type NameKind = 'site' | 'member' | 'payer' | 'plan' | 'station';

export interface Names {
  /** The name of `id`, or undefined when the reference does not have it. */
  of(kind: NameKind, id: string): string | undefined;
  /** The name, or the id itself when there is none. */
  say(kind: NameKind, id: string): string;
}

const memberName = memberSchema.pick({ id: true, firstName: true, lastName: true });

/** Loads the names of the kinds asked for (one admin call each, in parallel). */
export async function loadNames(token: string, kinds: NameKind[]): Promise<Names> {
  const lists = await Promise.all(
    kinds.map(async (kind): Promise<[NameKind, Map<string, string>]> => {
      const pairs = await (async (): Promise<[string, string][]> => {
        switch (kind) {
          case 'site':
            return (await adminCall(token, z.array(siteSchema), 'GET', 'reference/site')).map((s) => [s.id, s.name]);
          case 'payer':
            return (await adminCall(token, z.array(payerSchema), 'GET', 'reference/payer')).map((p) => [p.id, p.name]);
          case 'plan':
            return (await adminCall(token, z.array(planSchema), 'GET', 'reference/plan')).map((p) => [p.id, p.name]);
          case 'station':
            return (await adminCall(token, z.array(stationListingSchema), 'GET', 'stations')).map((s) => [s.id, s.name]);
          case 'member': {
            // One by one: a member the hub erased keeps its id but no longer its names.
            const all = await adminCall(token, z.array(z.unknown()), 'GET', 'reference/member');
            return all.flatMap((m) => {
              const r = memberName.safeParse(m);
              return r.success ? [[r.data.id, `${r.data.firstName} ${r.data.lastName}`] as [string, string]] : [];
            });
          }
        }
      })();
      return [kind, new Map(pairs)];
    }),
  );
  const maps = new Map(lists);
  const of = (kind: NameKind, id: string) => maps.get(kind)?.get(id);
  return { of, say: (kind, id) => of(kind, id) ?? id };
}

/** A name with its id beneath in small text (for an operator who needs it); the id alone when no name is known. */
export function NameCell({ names, kind, id, strong = false }: { names: Names; kind: NameKind; id: string; strong?: boolean }) {
  const name = names.of(kind, id);
  if (name === undefined) return <code>{id}</code>;
  return (
    <>
      {strong ? <strong>{name}</strong> : <span>{name}</span>}
      <div className="muted small">{id}</div>
    </>
  );
}
