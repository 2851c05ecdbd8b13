// escale-station: the station's command line, over the same station API as the app.
// Every command takes --data DIR and prints JSON with --json (a readable line otherwise).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Result, StationError } from '../../common/result.js';
import type { SyncStatus } from '../../common/sync/status.js';
import type { SyncRefusal } from '../sync/sync-client.js';
import type { StationMethod } from '../../common/station-api.js';
import type { Station } from '../station/station.js';
import { StationFailure, toStationFailure } from '../station/errors.js';
import { describe } from './describe.js';
import { UsageError } from './usage-error.js';
import { commandUsage } from '../../common/cli-usage.js';
import { DEVICES_USAGE, deviceRequest, printRequest } from './device-commands.js';

// Everything heavier is imported where a command needs it (`await import(…)` below): the station
// core (zod, SQLite) once a command opens a station; the device manager, socket.io and the local
// host only for run, serve, print and sync. `--help` and a simple query start in a fraction of the
// time (npm run bench:cli).
const stationCore = async () => {
  const [{ openStation }, { callStation }] = await Promise.all([import('../station/station.js'), import('../station/api.js')]);
  return { openStation, callStation };
};
type CallStation = Awaited<ReturnType<typeof stationCore>>['callStation'];

/** Where the CLI reads and writes: the process's by default; tests pass their own (in-process runs). */
export interface StationCliDeps {
  stdout?: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  stderr?: { write(chunk: string | Uint8Array): unknown };
  /** Standard input, read whole when a command asks for a secret (default: file descriptor 0). */
  stdin?: () => string;
  /** Where ESCALE_PIN and ESCALE_HUB_CREDENTIAL are looked up (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

interface Io {
  out: (line: string) => void;
  stdin: () => string;
  env: NodeJS.ProcessEnv;
}

function pickJob(callStation: CallStation, station: Station, jobId: string): Result<unknown> {
  const jobs = callStation(station, 'printJobs', { limit: 500 });
  const job = jobs.ok ? jobs.value.find((j) => j.id === jobId) : undefined;
  return job ? { ok: true, value: job } : { ok: false, error: { code: 'NOT_FOUND', message: `No print job ${jobId}.` } };
}

/**
 * A secret (a PIN, a hub credential) from the environment or standard input, never from the
 * command line: another user of the machine can read a process's arguments.
 */
function readSecret(io: Io, env: string, what: string): string {
  const fromEnv = io.env[env];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv.trim();
  let text = '';
  try {
    text = io.stdin();
  } catch {
    text = '';
  }
  const first = text.split(/\r?\n/)[0]?.trim() ?? '';
  if (first === '') usage(`Missing ${what}: give it on standard input or in ${env}.`);
  return first;
}

function readFileOrFail(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    return usage(`Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
}


/** Why `sync` ended without everything at the hub, by a stable code; the events stay queued either way. */
function syncFailure(url: string, status: SyncStatus, refusal: SyncRefusal | undefined, reached: boolean): StationError {
  const waiting = `${status.backlog} events wait; they stay queued.`;
  if (refusal)
    return {
      code: 'BAD_CREDENTIAL',
      message:
        refusal.code === 'REVOKED'
          ? `The hub says this station was revoked: ask the network operator for a new enrolment, then give it with escale-station hub. ${waiting}`
          : `The hub refused this station's credential: check it, or ask the network operator for a new enrolment, then give it with escale-station hub. ${waiting}`,
      detail: `${refusal.code}: ${refusal.message}`,
    };
  if (!reached)
    return { code: 'HUB_UNREACHABLE', message: `The hub at ${url} cannot be reached: check the address and the network, then try again. ${waiting}`, ...(status.lastError ? { detail: status.lastError } : {}) };
  return { code: 'HUB_UNREACHABLE', message: `The hub at ${url} did not take everything in time: try again, with a longer --timeout. ${waiting}`, ...(status.lastError ? { detail: status.lastError } : {}) };
}

const spread = (r: { method: StationMethod; input: unknown }) => [r.method, r.input] as const;

/** How a time is given (--at): under the usage, and under a command that takes one. */
const TIME_NOTE = `
  TIME is an ISO-8601 instant with Z or an offset, seconds and milliseconds optional
  (2026-12-01T08:00:00Z, 2026-12-01T09:00+01:00).`;

const USAGE = `escale-station — the Escale reception station

  escale-station init      --data DIR --site SITE_ID
  escale-station import    --data DIR FILE.json
  escale-station tap       --data DIR UID [--at TIME]
  escale-station search    --data DIR QUERY
  escale-station checkin   --data DIR MEMBER_ID [--shift ID]
  escale-station checkout  --data DIR VISIT_ID [--shift ID]
  escale-station guest     --data DIR --first NAME --last NAME --consent [--company C] [--email E]
                           [--nationality N] [--host MEMBER_ID] [--language fr|nl|en|de]
                           [--retention-until YYYY-MM-DD]
  escale-station assign    --data DIR MEMBER_ID UID [--kind rfid|qr|barcode]
  escale-station consume   --data DIR VISIT_ID SERVICE QUANTITY [--at TIME]   (minutes for hourly services)
  escale-station void      --data DIR consumption|visit ID --reason TEXT
  escale-station autoclose --data DIR
  escale-station purge-guests --data DIR   (erases guests' personal data past their retention date)
  escale-station signin    --data DIR STAFF_ID   (reads the PIN on stdin, or from ESCALE_PIN)
  escale-station unlock    --data DIR STAFF_ID   (lifts a clerk's PIN lockout)
  escale-station signout   --data DIR SHIFT_ID
  escale-station till      --data DIR [--shift ID]   (the open till and what it should hold now)
  escale-station till open --data DIR --float EUROS --shift ID
  escale-station till close --data DIR --counted EUROS [--reason TEXT] [--language fr|nl|en|de] --shift ID
                           (a count that differs from what is expected needs --reason; the shift
                           report is printed on the receipt printer, in --language or the region's)
  escale-station till report --data DIR TILL_ID [--language fr|nl|en|de] [--shift ID]
                           (prints a closed till's shift report again, marked as a duplicate)
  escale-station pay       --data DIR VISIT_ID cash|card|invoice [--amount EUROS] [--shift ID]
                           [--tendered EUROS] (cash: what was handed over; it goes into the open till)
                           [--reference REF]  (card: the terminal approved it; its reference)
                           [--company NAME --vat NUMBER]  (invoice: the company the network bills)
  escale-station refund    --data DIR PAYMENT_ID --reason TEXT [--amount EUROS] [--shift ID]
  escale-station onsite    --data DIR
  escale-station day       --data DIR [YYYY-MM-DD]
  escale-station visit     --data DIR VISIT_ID
  escale-station visits    --data DIR MEMBER_ID
  escale-station events    --data DIR [--after POSITION] [--limit N]   (JSON lines)
  escale-station backup    --data DIR --to FILE
  escale-station check     --data DIR        (full integrity check)
  escale-station staff-pin                   (reads a PIN on stdin, prints its hash for reference data)

${DEVICES_USAGE}
  escale-station hub         --data DIR --url URL   (reads the credential from escale-hub station enroll
                             on stdin, or from ESCALE_HUB_CREDENTIAL)
  escale-station sync        --data DIR [--timeout S]   (uploads the outbox and pulls reference data now)
  escale-station sync-status --data DIR
  escale-station serve       --data DIR [--port 4200] [--lan --tls-cert FILE --tls-key FILE [--lan-name NAME]…]
                             (run, plus the kiosk and reception pages for browsers on 127.0.0.1; beyond
                             this machine over TLS only. The kiosk and desk keys come from
                             ESCALE_KIOSK_KEY / ESCALE_DESK_KEY or DIR/host-keys.json, made on first use)
  escale-station pair        --data DIR kiosk|reception
                             (a one-time address, valid 10 minutes, that pairs a browser as the kiosk
                             or reception screen of the station that serve runs)

${TIME_NOTE.replace(/^\n/, '')}
  --json prints the result as JSON. --help after a command: that command's usage.
  Exit code 0 on success, 1 on a refused or failed command, 2 on a bad command line.`;

/** Under one command's usage (`escale-station COMMAND --help`). */
const COMMAND_FOOTER = `

  --json prints the result as JSON ({"ok":true,"value":…} or {"ok":false,"error":{code,message}}).
  Exit codes: 0 done, 1 refused or failed (the error's code says why), 2 a bad command line.`;

const options = {
  data: { type: 'string' },
  site: { type: 'string' },
  json: { type: 'boolean', default: false },
  at: { type: 'string' },
  shift: { type: 'string' },
  first: { type: 'string' },
  last: { type: 'string' },
  company: { type: 'string' },
  email: { type: 'string' },
  nationality: { type: 'string' },
  host: { type: 'string' },
  language: { type: 'string' },
  'retention-until': { type: 'string' },
  consent: { type: 'boolean', default: false },
  kind: { type: 'string' },
  reason: { type: 'string' },
  after: { type: 'string' },
  limit: { type: 'string' },
  to: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  serial: { type: 'string' },
  framing: { type: 'string' },
  hid: { type: 'string' },
  raw: { type: 'boolean' },
  pcsc: { type: 'boolean' },
  'pcsc-reader': { type: 'string', multiple: true },
  'no-eid': { type: 'boolean' },
  kiosk: { type: 'boolean' },
  tcp: { type: 'string' },
  file: { type: 'string' },
  name: { type: 'string' },
  zpl: { type: 'boolean' },
  roles: { type: 'string' },
  fallback: { type: 'string' },
  disabled: { type: 'boolean' },
  'uid-format': { type: 'string' },
  window: { type: 'boolean' },
  layout: { type: 'string' },
  printer: { type: 'string' },
  visit: { type: 'string' },
  url: { type: 'string' },
  timeout: { type: 'string' },
  port: { type: 'string' },
  lan: { type: 'boolean' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'lan-name': { type: 'string', multiple: true },
  remove: { type: 'boolean' },
  float: { type: 'string' },
  counted: { type: 'string' },
  amount: { type: 'string' },
  tendered: { type: 'string' },
  reference: { type: 'string' },
  vat: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

const usage = (message: string): never => {
  throw new UsageError(`${message}\n\n${USAGE}`);
};

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined || value === '') usage(`Missing ${what}.`);
  return value as T;
}

const int = (value: string | undefined, what: string): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) usage(`${what} must be a whole number, got "${value}".`);
  return Number(value);
};

/** An amount typed in euros ("12", "12.50", "12,50") as the station keeps it: integer cents, read without floating point. */
const euros = (value: string | undefined, what: string): number | undefined => {
  if (value === undefined) return undefined;
  const m = /^(\d{1,7})(?:[.,](\d{1,2}))?$/.exec(value.trim());
  if (!m) return usage(`${what} must be an amount in euros such as 12.50, got "${value}".`);
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
};

/** --at as the station keeps it; read by common/instant-input.ts, loaded with the station core. */
let instantInput: typeof import('../../common/instant-input.js').instantInputSchema | undefined;
const instant = (value: string | undefined, what: string): string | undefined => {
  if (value === undefined) return undefined;
  const r = instantInput!.safeParse(value);
  return r.success ? r.data : usage(`${what}: ${r.error.issues[0]?.message ?? 'not a date and time'}`);
};

const opt = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } => (value === undefined ? {} : ({ [key]: value } as { [P in K]?: V }));

/** The station method and input a command stands for. */
function request(command: string, args: string[], v: Values, io: Io): { method: StationMethod; input: unknown } {
  const shift = opt('shiftId', v.shift);
  switch (command) {
    case 'tap':
      return { method: 'tap', input: { uid: need(args[0], 'the badge UID'), ...opt('at', instant(v.at, '--at')), source: 'cli' } };
    case 'search':
      return { method: 'search', input: { query: need(args.join(' '), 'a search text'), ...opt('limit', int(v.limit, '--limit')) } };
    case 'checkin':
      return { method: 'checkIn', input: { memberId: need(args[0], 'the member id'), ...shift } };
    case 'checkout':
      return { method: 'checkOut', input: { visitId: need(args[0], 'the visit id'), ...shift } };
    case 'guest':
      return {
        method: 'registerGuest',
        input: {
          firstName: need(v.first, '--first'),
          lastName: need(v.last, '--last'),
          consent: v.consent,
          ...opt('company', v.company),
          ...opt('email', v.email),
          ...opt('nationality', v.nationality),
          ...opt('hostMemberId', v.host),
          ...opt('language', v.language),
          ...opt('retentionUntil', v['retention-until']),
          ...shift,
        },
      };
    case 'assign':
      return { method: 'assignBadge', input: { memberId: need(args[0], 'the member id'), uid: need(args[1], 'the badge UID'), ...opt('kind', v.kind), ...shift } };
    case 'consume':
      return {
        method: 'addConsumption',
        input: { visitId: need(args[0], 'the visit id'), serviceCode: need(args[1], 'the service code'), quantity: int(need(args[2], 'the quantity'), 'QUANTITY'), ...opt('at', instant(v.at, '--at')), ...shift },
      };
    case 'void': {
      const what = need(args[0], '"consumption" or "visit"');
      const id = need(args[1], 'the id to void');
      const reason = need(v.reason, '--reason');
      if (what === 'consumption') return { method: 'voidConsumption', input: { consumptionId: id, reason, ...shift } };
      if (what === 'visit') return { method: 'voidVisit', input: { visitId: id, reason, ...shift } };
      return usage(`void takes "consumption" or "visit", not "${what}".`);
    }
    case 'autoclose':
      return { method: 'autoClose', input: {} };
    case 'purge-guests':
      return { method: 'purgeGuests', input: {} };
    case 'signin':
      return { method: 'staffSignIn', input: { staffId: need(args[0], 'the staff id'), pin: readSecret(io, 'ESCALE_PIN', 'the PIN') } };
    case 'unlock':
      return { method: 'unlockStaff', input: { staffId: need(args[0], 'the staff id') } };
    case 'signout':
      return { method: 'staffSignOut', input: { shiftId: need(args[0], 'the shift id') } };
    case 'till': {
      const language = opt('language', v.language);
      switch (args[0]) {
        case undefined:
          return { method: 'till', input: { ...shift } };
        case 'open':
          return { method: 'openTill', input: { floatCents: euros(need(v.float, '--float EUROS'), '--float'), ...shift } };
        case 'close':
          return { method: 'closeTill', input: { countedCents: euros(need(v.counted, '--counted EUROS'), '--counted'), ...opt('reason', v.reason), ...language, ...shift } };
        case 'report':
          return { method: 'reprintTillReport', input: { tillId: need(args[1], 'the till id'), ...language, ...shift } };
        default:
          return usage(`till takes open, close or report, not "${args[0]}".`);
      }
    }
    case 'pay': {
      const visitId = need(args[0], 'the visit id');
      const method = need(args[1], 'cash, card or invoice');
      const common = { visitId, method, ...opt('amountCents', euros(v.amount, '--amount')), ...shift };
      if (method === 'cash') return { method: 'recordPayment', input: { ...common, tenderedCents: euros(need(v.tendered, '--tendered EUROS'), '--tendered') } };
      // The operator typing "card" confirms the terminal approved it, as the clerk's tick does.
      if (method === 'card') return { method: 'recordPayment', input: { ...common, approved: true, ...opt('reference', v.reference) } };
      if (method === 'invoice') return { method: 'recordPayment', input: { ...common, company: { name: need(v.company, '--company NAME'), vatNumber: need(v.vat, '--vat NUMBER') } } };
      return usage(`pay takes cash, card or invoice, not "${method}".`);
    }
    case 'refund':
      return { method: 'refundPayment', input: { paymentId: need(args[0], 'the payment id'), reason: need(v.reason, '--reason'), ...opt('amountCents', euros(v.amount, '--amount')), ...shift } };
    case 'onsite':
      return { method: 'onSite', input: {} };
    case 'day':
      return { method: 'dayFigures', input: { ...opt('date', args[0]) } };
    case 'visit':
      return { method: 'visitDetail', input: { visitId: need(args[0], 'the visit id') } };
    case 'visits':
      return { method: 'memberVisits', input: { memberId: need(args[0], 'the member id'), ...opt('limit', int(v.limit, '--limit')) } };
    default:
      return usage(`Unknown command "${command}".`);
  }
}

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new StationFailure('NOT_FOUND', `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new StationFailure('REFERENCE_DATA_INVALID', `${file} is not valid JSON: ${(e as Error).message}. Nothing was imported.`);
  }
}

async function run(argv: string[], io: Io): Promise<number> {
  const { out } = io;
  const { values: v, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  const [command, ...args] = positionals;
  if (v.help || !command) {
    const own = command ? commandUsage(USAGE, 'escale-station', command) : undefined;
    out(own ? own + (own.includes('TIME') ? TIME_NOTE : '') + COMMAND_FOOTER : USAGE);
    return command || v.help ? 0 : 1;
  }
  const print = (result: Result<unknown>): number => {
    out(v.json ? JSON.stringify(result) : describe(command, result, station?.site()?.timeZone));
    return result.ok ? 0 : 1;
  };
  if (command === 'staff-pin') {
    const pin = io.stdin().trim();
    if (!/^\d{4,12}$/.test(pin)) return print({ ok: false, error: { code: 'INVALID_INPUT', message: 'A PIN is 4 to 12 digits.' } });
    const { hashPin } = await import('../station/staff/pin.js');
    return print({ ok: true, value: hashPin(pin) });
  }
  let station: Station | undefined;
  const dataDir = need(v.data, '--data DIR');
  const { openStation, callStation } = await stationCore();
  if (v.at !== undefined) instantInput ??= (await import('../../common/instant-input.js')).instantInputSchema;
  try {
    station = openStation({ dataDir, ...(command === 'init' ? { init: { siteId: need(v.site, '--site SITE_ID') } } : {}) });
    switch (command) {
      case 'init':
        return print({ ok: true, value: { dataDir, siteId: station.siteId, epoch: station.epoch } });
      case 'import': {
        const file = need(args[0], 'the reference data file');
        return print(callStation(station, 'importReferenceData', { data: readJsonFile(file), source: file }));
      }
      case 'events': {
        // JSON lines, paged through so a year of events never sits in memory at once.
        let after = int(v.after, '--after') ?? 0;
        let left = int(v.limit, '--limit') ?? Number.MAX_SAFE_INTEGER;
        while (left > 0) {
          const page = callStation(station, 'events', { afterPosition: after, limit: Math.min(1000, left) });
          if (!page.ok) return print(page);
          for (const e of page.value) out(JSON.stringify(e));
          if (page.value.length === 0) break;
          after = page.value[page.value.length - 1]!.position;
          left -= page.value.length;
        }
        return 0;
      }
      case 'backup':
        return print({ ok: true, value: await station.backup(need(v.to, '--to FILE')) });
      case 'devices':
        return print(callStation(station, ...spread(deviceRequest(args, v))));
      case 'print': {
        const result = callStation(station, ...spread(printRequest(args, v)));
        if (!result.ok || args[0] === 'jobs') return print(result);
        // The job needs a printer: when no station runs here, deliver the queue once now.
        const { deliverOnce } = await import('./run-station.js');
        await deliverOnce(station);
        const jobId = (result.value as { id: string }).id;
        return print(callStation(station, 'printJobs', { limit: 500 }).ok ? pickJob(callStation, station, jobId) : result);
      }
      case 'run': {
        const { runStation } = await import('./run-station.js');
        return await runStation(station, out);
      }
      case 'serve': {
        // The LAN only when asked (a kiosk browser on another machine needs it, nothing else does),
        // and then over TLS only: the keys and a clerk's PIN must not cross the LAN in clear.
        if (v.lan && (!v['tls-cert'] || !v['tls-key'])) usage('--lan needs --tls-cert FILE and --tls-key FILE: the station is served beyond this machine over TLS only.');
        const tls = v.lan ? { cert: readFileOrFail(v['tls-cert']!), key: readFileOrFail(v['tls-key']!) } : undefined;
        const [{ runStation }, { loadHostKeys }] = await Promise.all([import('./run-station.js'), import('../host/host-keys.js')]);
        return await runStation(station, out, {
          port: int(v.port, '--port') ?? 4200,
          keys: loadHostKeys(dataDir),
          ...(v.lan ? { host: '0.0.0.0', tls: tls!, ...(v['lan-name'] ? { lanNames: v['lan-name'] } : {}) } : {}),
        });
      }
      case 'pair': {
        const window = need(args[0], 'kiosk or reception');
        if (window !== 'kiosk' && window !== 'reception') usage(`pair takes kiosk or reception, not "${window}".`);
        const { ticket, expiresAt } = station.pairing.issue(window as 'kiosk' | 'reception');
        const served = station.localHost.address();
        const link = `${served ?? 'http://127.0.0.1:4200'}/pair?ticket=${ticket}`;
        return print({ ok: true, value: { window, link, expiresAt, ...(served ? {} : { note: 'no running serve was seen yet: the address assumes the default port' }) } });
      }
      case 'hub':
        return print(callStation(station, 'configureHub', { url: need(v.url, '--url URL'), credential: readSecret(io, 'ESCALE_HUB_CREDENTIAL', 'the credential') }));
      case 'sync': {
        const hub = station.hubConfig();
        if (!hub) return print({ ok: false, error: { code: 'NOT_CONFIGURED', message: `No hub is configured. Set it with: escale-station hub --data ${dataDir} --url URL (the credential on standard input or in ESCALE_HUB_CREDENTIAL).` } });
        const { SyncClient } = await import('../sync/sync-client.js');
        const client = new SyncClient({ station, ...hub, ...(v.json ? {} : { log: out }) });
        client.start();
        const done = await client.drained((int(v.timeout, '--timeout') ?? 30) * 1000);
        const status = client.status();
        const refusal = client.refused();
        await client.stop();
        if (done) return print({ ok: true, value: status });
        return print({ ok: false, error: syncFailure(hub.url, status, refusal, client.reachedHub()) });
      }
      case 'sync-status':
        return print(callStation(station, 'syncStatus', {}));
      case 'check': {
        const check = station.integrityCheck();
        return print(check.ok ? { ok: true, value: check } : { ok: false, error: { code: 'DATABASE_CORRUPT', message: 'The station database is damaged.', detail: check.problems.join('\n') } });
      }
      default: {
        const { method, input } = request(command, args, v, io);
        return print(callStation(station, method, input));
      }
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    return print({ ok: false, error: toStationFailure(e).toError() });
  } finally {
    station?.close();
  }
}

/**
 * Runs one command line; resolves with the exit code (0 done, 1 refused or failed, 2 a bad command
 * line). `bin/escale-station.js` passes the process's argv; tests call it in their own process with
 * their own `deps`.
 */
export async function main(argv: string[], deps: StationCliDeps = {}): Promise<number> {
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  const io: Io = { out: (line) => void stdout.write(line + '\n'), stdin: deps.stdin ?? (() => fs.readFileSync(0, 'utf8')), env: deps.env ?? process.env };
  try {
    return await run(argv, io);
  } catch (e) {
    // Argument errors from parseArgs: say what was wrong and how to call.
    const message = e instanceof StationFailure ? e.message : `${(e as Error).message}\n\n${USAGE}`;
    stderr.write(message + '\n');
    return 2;
  }
}
