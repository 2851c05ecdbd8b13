// What every reception screen shares: the station API, the clerk's open shift (every staff action
// carries its shiftId), the site, the station's "today", and a counter that moves whenever the
// station says visits changed, so screens reload what they show.
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { Result, StationError } from '../../../common/result.js';
import type { Site } from '../../../common/reference-data.js';
import type { SearchHit, Shift, StationApi } from '../../../common/station-api.js';
import type { StationConnection } from '../shared/station-client.js';

export type Notice = { kind: 'ok' | 'warn'; text: string };

export interface Session {
  station: StationConnection;
  api: StationApi;
  shift: Shift;
  site: Site | undefined;
  /** The station's local day and time zone (from its clock, not the browser's). */
  today: { date: string; timeZone: string } | undefined;
  /** Moves when visits change (a tap, a check-in here or at another window). */
  visitsVersion: number;
  /** Moves when devices or sync change. */
  statusVersion: number;
  /** Something the clerk did or a reader read, said in the status line. */
  notify(notice: Notice): void;
  /** Opens a visit in the visit panel. */
  openVisit(visitId: string): void;
  /** After an action that changed visits here: reload every screen. */
  visitsChanged(): void;
  /** Goes to the till screen (cash refused while no till is open). */
  openTill(): void;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in reception');
  return s;
}

export const timeZoneOf = (s: Pick<Session, 'site' | 'today'>): string => s.site?.timeZone ?? s.today?.timeZone ?? 'Europe/Brussels';

export interface Loaded<T> {
  data: T | undefined;
  error: StationError | undefined;
  loading: boolean;
  reload(): void;
}

/** Calls the station when `deps` change (and on reload), keeping the last answer on screen. */
export function useLoad<T>(load: () => Promise<Result<T>> | undefined, deps: unknown[], intervalMs?: number): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: StationError | undefined; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    const promise = loadRef.current();
    if (!promise) return;
    setState((s) => ({ ...s, loading: true }));
    void promise.then((r) => {
      if (!live) return;
      setState((s) => (r.ok ? { data: r.value, error: undefined, loading: false } : { data: s.data, error: r.error, loading: false }));
    });
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  useEffect(() => {
    if (!intervalMs) return;
    const timer = setInterval(() => setTick((n) => n + 1), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * The field a station error is about: the first of its fields at fault, else the path its English
 * message starts with ("consent: …", "config.connection.port: …"). Undefined when it names none.
 */
export function errorPath(error: StationError | undefined): string | undefined {
  if (error?.fields?.length) return error.fields[0]!.field;
  if (error?.field) return error.field;
  const m = error ? /^([A-Za-z][\w]*(?:\.[\w]+|\[\d+\])*): /.exec(error.message) : null;
  return m ? m[1] : undefined;
}

/**
 * The error as it concerns `field` (the path is the field, or ends with ".field"), worded for that
 * field: a form shows each of its fields' problems at once, beside the field.
 */
export function errorFor(error: StationError | undefined, ...fields: string[]): StationError | undefined {
  if (!error) return undefined;
  const about = (path: string) => fields.some((f) => path === f || path.endsWith(`.${f}`));
  const problem = error.fields?.find((p) => about(p.field));
  if (problem) return { ...error, field: problem.field, say: problem.say };
  const path = errorPath(error);
  return path && about(path) ? error : undefined;
}

/** Members and guests matching `query`, asked of the station once typing pauses (250 ms). */
export function useSearch(api: StationApi, query: string, version: number, limit = 20): Loaded<SearchHit[]> & { settled: string } {
  const settled = useDebounced(query.trim(), 250);
  const loaded = useLoad(() => (settled === '' ? Promise.resolve({ ok: true as const, value: [] }) : api.search({ query: settled, limit })), [api, settled, version, limit]);
  return { ...loaded, settled };
}

/** A person's name as the reception shows it; a guest purged after the retention date has none left. */
export const fullName = (t: (key: 'purgedGuest') => string, p: { firstName: string; lastName: string; purged?: true }): string =>
  p.purged ? t('purgedGuest') : `${p.firstName} ${p.lastName}`;
