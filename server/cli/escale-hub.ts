// escale-hub: the network's hub — serve stations, and administer the network from the shell.
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { HubSchemaError } from '../store/migrations/errors.js';
import type { SqliteHubStore } from '../store/sqlite-store.js';
import type { HubStore } from '../store/store.js';
import type * as ReferenceAdmin from '../hub/reference-admin.js';
import type { Accounts, AccountsOptions } from '../accounts/accounts.js';
import type * as Reports from '../../common/accounts/reports.js';
import type * as ReferenceData from '../../common/reference-data.js';
import { createRateLimitedLog } from '../../common/log/rate-limited-log.js';
import { commandUsage } from '../../common/cli-usage.js';

// What a command needs is imported when it runs (`await import(…)`): the store and the reference
// checks (SQLite, zod) once past --help; socket.io only for serve; the accounts engine and pdfkit
// only for serve and the accounts commands. `--help` and a listing start in a fraction of the time
// (npm run bench:cli).

/** Makes the network's accounts over a store (the accounts engine's createAccounts). */
export type AccountsFactory = (store: HubStore, options?: AccountsOptions) => Accounts;

// The accounts engine behind the accounts commands and the admin API of `serve`.
const defaultAccounts = async (): Promise<AccountsFactory> => (await import('../accounts/index.js')).createAccounts;

type Period = Reports.Period;
type Language = ReferenceData.Language;

/**
 * The hub's own checks: the error they throw (HubInputError) and the languages, loaded once past
 * --help, before anything can check or throw (an error thrown before that, parseArgs', is not a
 * HubInputError); the month's schema with the accounts commands, which alone take one.
 */
let checks: { HubInputError: typeof ReferenceAdmin.HubInputError; LANGUAGES: typeof ReferenceData.LANGUAGES; periodSchema?: typeof Reports.periodSchema } | undefined;
async function loadChecks(withPeriod: boolean): Promise<void> {
  if (!checks) {
    const [{ HubInputError }, { LANGUAGES }] = await Promise.all([import('../hub/reference-admin.js'), import('../../common/reference-data.js')]);
    checks = { HubInputError, LANGUAGES };
  }
  if (withPeriod) checks.periodSchema ??= (await import('../../common/accounts/reports.js')).periodSchema;
}
const inputError = (code: string, message: string): Error => new checks!.HubInputError(code, message);

/** What every command takes, said under the whole usage and under each command's (COMMAND --help). */
const FLAGS = `
  --json prints the answer as one line of JSON, {"ok":true,"value":…} or {"ok":false,"error":{code,message}},
  as escale-station --json does (without it: the value alone, indented; errors on standard error).
  --help after a command: that command's usage.
  Exit codes: 0 done, 1 refused or failed (the error's code says why), 2 a bad command line,
  3 close: the month cannot close yet.`;

const USAGE = `escale-hub — the Escale network's hub

  escale-hub serve    --db FILE|postgres://… [--port 4100] [--host 127.0.0.1] [--admin-token-file FILE]
                      (the admin token from ESCALE_HUB_ADMIN_TOKEN or a file only readable by the hub's
                      user, never the command line; without one the admin API is off; several
                      processes may share one PostgreSQL)

  Every command takes [--erasure-log FILE]: the log of erasures and guest purges that travels with
  the hub, outside the database (default: FILE.erasures.jsonl beside a SQLite --db; required with
  postgres://). Each command applies again the logged erasures a restored older database lacks.

  escale-hub backup   --db FILE --to BACKUP         an online copy of a SQLite store (0600; never overwrites)
  escale-hub import   --db … FILE.json            reference data (escale.reference/1; staff need siteId)
  escale-hub put ENTITY --db … FILE.json            one site|payer|service|tariff|member|badge|staff|plan|subscription|quota
  escale-hub members --db … FILE.csv                members from CSV (header: id,payerId,firstName,lastName,
                                                    email,language,status,homeSiteId[,agentSiteId,blockedReason])
  escale-hub station enroll --db … --site SITE --name NAME   → the credential, shown once
  escale-hub station revoke --db … STATION_ID
  escale-hub station list   --db …
  escale-hub badge lose|revoke|activate --db … UID
  escale-hub badge assign   --db … UID --member MEMBER_ID [--kind rfid|qr|barcode]
  escale-hub member block|unblock --db … MEMBER_ID [--reason TEXT]
  escale-hub member export --db … --member ID       everything held about a member (JSON)
  escale-hub member erase  --db … --member ID --reason TEXT [--by OPERATOR]
                                                    names and e-mail → a pseudonym, badges revoked; the
                                                    billing facts stay (reason: no personal data)
  escale-hub erasures --db … [--member ID]          the erasure audit
  escale-hub purge-guests --db …                    erase guests' personal data past their retention date
                                                    (a serving hub does it hourly by itself)
  escale-hub signups --db … [--state confirmed|duplicate_case|merged|refused] [--site SITE]
                                                    sign-ups made at receptions and what the hub decided
                                                    (a duplicate_case holds both records: the sign-up and
                                                    \`existing\`, the member it may duplicate)
  escale-hub signups resolve --db … --member ID --action confirm|merge|refuse [--into MEMBER] [--reason TEXT] [--by OPERATOR]
                                                    an operator's decision on a duplicate case
  escale-hub signups decide --db …                  decides uploaded sign-ups not decided yet (a serving
                                                    hub does it after each upload and at start)
  escale-hub events|streams|quarantine|alerts|overlaps --db … [--site SITE] [--limit N]
  escale-hub compact --db … --before TIME           forget tombstones older than that (TIME: ISO-8601 with Z
                                                    or an offset, e.g. 2026-12-01T08:00Z, 2026-12-01T09:00+01:00)

The network's accounts (--format json by default; csv and pdf too; --out FILE, else standard output):
  escale-hub statements --db … --period YYYY-MM [--payer ID] [--format json|csv|pdf] [--out FILE]
                      each payer's statement (PDF in the payer's language; all payers: one PDF)
  escale-hub settlement --db … --period YYYY-MM [--format json|csv|pdf] [--lang fr|nl|en|de] [--out FILE]
  escale-hub evaluation --db … --site SITE [--from YYYY-MM --until YYYY-MM] [--format …] [--lang …] [--out FILE]
  escale-hub close --db … --period YYYY-MM          closes the month when every site's watermark allows;
                                                    prints the result (exit 3: not yet, waitingFor says why)
  escale-hub invoices --db … --period YYYY-MM [--payer ID] --out DIR
                                                    a closed month's invoices and credit notes: one UBL
                                                    (Peppol BIS Billing 3.0) per document sent on Peppol,
                                                    one PDF each, and manifest.json (numbers, totals, files
                                                    and their SHA-256); issued first if the month closed
                                                    before the network's legal profile was imported

Changes made here reach stations at their next periodic pull; through the admin API of a running
hub they are pushed at once.
${FLAGS}`;

const options = {
  db: { type: 'string' },
  'erasure-log': { type: 'string' },
  to: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  'admin-token-file': { type: 'string' },
  site: { type: 'string' },
  name: { type: 'string' },
  member: { type: 'string' },
  kind: { type: 'string' },
  reason: { type: 'string' },
  limit: { type: 'string' },
  before: { type: 'string' },
  by: { type: 'string' },
  period: { type: 'string' },
  payer: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  from: { type: 'string' },
  until: { type: 'string' },
  lang: { type: 'string' },
  state: { type: 'string' },
  action: { type: 'string' },
  into: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
} as const;

const need = (v: string | undefined, what: string): string => {
  if (!v) throw inputError('USAGE', `missing ${what}\n\n${USAGE}`);
  return v;
};

/**
 * The admin token: from ESCALE_HUB_ADMIN_TOKEN or a file (its first line), never from the command
 * line, where any user of the machine can read it. A file others may read is refused.
 */
function adminTokenOption(file: string | undefined, env: NodeJS.ProcessEnv): { adminToken?: string } {
  if (file !== undefined) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (e) {
      throw inputError('NOT_FOUND', `cannot read the admin token file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if ((stat.mode & 0o077) !== 0) throw inputError('INVALID_INPUT', `the admin token file ${file} may be read by others: chmod 600 ${file}`);
    const token = fs.readFileSync(file, 'utf8').split(/\r?\n/)[0]!.trim();
    if (token.length < 16) throw inputError('INVALID_INPUT', `the admin token in ${file} is shorter than 16 characters`);
    return { adminToken: token };
  }
  const fromEnv = env.ESCALE_HUB_ADMIN_TOKEN;
  return fromEnv ? { adminToken: fromEnv } : {};
}

/** What the CLI writes to, reads and the accounts it uses: the process's by default; tests pass their own (in-process runs). */
export interface HubCliDeps {
  /** The accounts engine (default: the one built in, once wired; null: none). */
  accounts?: AccountsFactory | null;
  stdout?: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  stderr?: { write(chunk: string | Uint8Array): unknown };
  /** Where ESCALE_HUB_ADMIN_TOKEN is looked up (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

const FORMATS = ['json', 'csv', 'pdf'] as const;
type Format = (typeof FORMATS)[number];

function period(value: string | undefined, option: string): Period {
  const v = need(value, `${option} YYYY-MM`);
  if (!checks!.periodSchema!.safeParse(v).success) throw inputError('INVALID_INPUT', `${option} "${v}" is not a month: give it as YYYY-MM, e.g. 2026-03`);
  return v;
}

/** A time option, read by the one parser both command lines share (common/instant-input.ts). */
async function instant(value: string | undefined, option: string): Promise<string> {
  const { instantInputSchema } = await import('../../common/instant-input.js');
  const r = instantInputSchema.safeParse(need(value, option));
  if (!r.success) throw inputError('USAGE', `${option.split(' ')[0]}: ${r.error.issues[0]?.message ?? 'not a date and time'}`);
  return r.data;
}

function optionalPeriod(value: string | undefined, option: string): Period | undefined {
  return value === undefined ? undefined : period(value, option);
}

function format(value: string | undefined): Format {
  const v = value ?? 'json';
  if (!(FORMATS as readonly string[]).includes(v)) throw inputError('INVALID_INPUT', `--format "${v}" is not one of ${FORMATS.join(', ')}`);
  return v as Format;
}

function language(value: string | undefined): Language {
  const v = value ?? 'en';
  const { LANGUAGES } = checks!;
  if (!(LANGUAGES as readonly string[]).includes(v)) throw inputError('INVALID_INPUT', `--lang "${v}" is not one of ${LANGUAGES.join(', ')}`);
  return v as Language;
}

async function run(argv: string[], deps: HubCliDeps): Promise<number> {
  const { values: v, positionals } = parseArgs({ args: argv, options, allowPositionals: true });
  const [command, sub, arg] = positionals;
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  // --json: one line, the envelope escale-station --json prints; else the value alone, indented.
  const out = (value: unknown) => stdout.write(v.json ? JSON.stringify({ ok: true, value }) + '\n' : JSON.stringify(value, null, 2) + '\n');
  if (v.help || !command) {
    const own = command ? commandUsage(USAGE, 'escale-hub', command) : undefined;
    stdout.write((own ? `${own}\n${FLAGS}` : USAGE) + '\n');
    return command || v.help ? 0 : 2;
  }
  // The accounts commands check their arguments before the store is opened: a typo costs nothing.
  const accountsCommand = ['statements', 'settlement', 'evaluation', 'close', 'invoices'].includes(command);
  await loadChecks(accountsCommand);
  const accountsFactory = deps.accounts === undefined ? (accountsCommand || command === 'serve' ? await defaultAccounts() : undefined) : deps.accounts ?? undefined;
  const fmt = accountsCommand ? format(v.format) : 'json';
  const periodArg = command === 'evaluation' || !accountsCommand ? undefined : period(v.period, '--period');
  const from = command === 'evaluation' ? optionalPeriod(v.from, '--from') : undefined;
  const until = command === 'evaluation' ? optionalPeriod(v.until, '--until') : undefined;
  if (from && until && from > until) throw inputError('INVALID_INPUT', `--from ${from} is after --until ${until}: give the earlier month first`);
  const lang = language(v.lang);
  if ((command === 'close' || command === 'invoices') && v.format !== undefined) throw inputError('USAGE', `${command} prints its result as JSON: it takes no --format`);
  if (command === 'invoices' && !v.out) throw inputError('USAGE', 'invoices writes files: give --out DIR (a folder; made if missing)');
  if (accountsCommand && v.json && fmt !== 'json' && !v.out) throw inputError('USAGE', `--json prints JSON: give --format json, or --out FILE for the ${fmt.toUpperCase()}`);
  if (accountsCommand && fmt === 'pdf' && !v.out && stdout.isTTY) throw inputError('USAGE', 'a PDF is binary: give --out FILE (or redirect the output to a file)');
  const db = need(v.db, '--db FILE|postgres://…');
  const { isPostgresUrl, openStore } = await import('../store/open-store.js');
  if (isPostgresUrl(db) && !v['erasure-log'])
    throw inputError(
      'USAGE',
      `a PostgreSQL store needs --erasure-log FILE: the log of erasures kept outside the database, so that a restored older database is erased again (give every hub process the same file, or each its own)\n\n${USAGE}`,
    );
  if (command === 'backup' && isPostgresUrl(db)) throw inputError('USAGE', 'backup copies a SQLite store; back a PostgreSQL store up with pg_dump (see README, "Privacy")');
  // What the hub does on its own (a mode tightened, an erasure applied again, a WAL held by a
  // reader): the serving hub's log, else standard error, so standard output stays the answer.
  const log = command === 'serve' ? (line: string) => void stdout.write(`${new Date().toISOString()} ${line}\n`) : (line: string) => void stderr.write(`${line}\n`);
  // The reference checks (loaded already) and privacy (every command re-applies the logged
  // erasures); the stations' and the sign-ups' code with their commands.
  const [{ importReference, putEntity, importMembersCsv, assignBadge, setBadgeStatus, setMemberStatus }, { eraseMember, exportMember, purgeDueGuests, reapplyErasures }] = await Promise.all([
    import('../hub/reference-admin.js'),
    import('../hub/privacy.js'),
  ]);
  const store: HubStore = await openStore(db, { ...(v['erasure-log'] ? { erasureLog: v['erasure-log'] } : {}), log });
  const at = new Date().toISOString();
  const limit = Number(v.limit ?? 1000);
  const accounts = (): Accounts => {
    if (!accountsFactory) throw inputError('ACCOUNTS_UNAVAILABLE', 'the accounts engine is not part of this build: statements, settlement, evaluation, close and invoices need it');
    return accountsFactory(store);
  };
  /** A report as asked: JSON, CSV or PDF, to --out (written whole, then renamed into place) or standard output. */
  const emit = async (json: unknown, csv: (render: typeof import('../accounts/render/csv.js')) => string, pdf: (render: typeof import('../accounts/render/pdf.js')) => Promise<Buffer>) => {
    // The renderers (pdfkit) only for the format asked.
    if (fmt === 'json' && !v.out && v.json) return void out(json);
    const body: string | Buffer = fmt === 'json' ? JSON.stringify(json, null, 2) + '\n' : fmt === 'csv' ? csv(await import('../accounts/render/csv.js')) : await pdf(await import('../accounts/render/pdf.js'));
    if (!v.out) {
      stdout.write(body);
      return;
    }
    const tmp = `${v.out}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, body);
      fs.renameSync(tmp, v.out);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      throw inputError('CANNOT_WRITE', `cannot write ${v.out}: ${(e as Error).message}`);
    }
    out({ written: v.out, format: fmt, bytes: Buffer.byteLength(body) });
  };
  try {
    // `serve` does it in startHub, before it listens.
    if (command !== 'serve') await reapplyErasures(store, log);
    switch (command) {
      case 'backup': {
        const to = need(v.to, '--to BACKUP');
        try {
          out(await (store as SqliteHubStore).backup(to));
        } catch (e) {
          const code = (e as { code?: string }).code;
          throw inputError(code === 'EEXIST' ? 'CONFLICT' : 'CANNOT_WRITE', code === 'EEXIST' ? `${to} exists already: give a new file (a backup never overwrites one)` : `cannot write ${to}: ${(e as Error).message}`);
        }
        return 0;
      }
      case 'serve': {
        // The last resort: a fault no error boundary caught (a bug in a library, a callback that
        // threw) is logged, rate-limited, and the hub keeps serving the stations it has, rather
        // than stopping them all. The boundaries are what answers; this only keeps the process.
        const faults = createRateLimitedLog({ now: Date.now, sink: log });
        const uncaught = (e: unknown) => faults.note(`uncaught ${(e as Error)?.name}`, `uncaught exception (the hub keeps serving): ${(e as Error)?.stack ?? String(e)}`);
        const unhandled = (e: unknown) => faults.note(`unhandled ${(e as Error)?.name}`, `unhandled rejection (the hub keeps serving): ${(e as Error)?.stack ?? String(e)}`);
        process.on('uncaughtException', uncaught);
        process.on('unhandledRejection', unhandled);
        const faultSummaries = setInterval(() => faults.flush(), 60_000);
        faultSummaries.unref();
        try {
          const { startHub } = await import('../hub/hub-server.js');
          const hub = await startHub({
            store,
            ...(accountsFactory ? { accounts: accountsFactory(store) } : {}),
            port: Number(v.port ?? 4100),
            host: v.host ?? '127.0.0.1',
            ...adminTokenOption(v['admin-token-file'], deps.env ?? process.env),
            ...(store.kind === 'postgres' ? { adapter: await (await import('../hub/pg-adapter.js')).pgAdapter(v.db!) } : {}),
            log,
          });
          stdout.write(`READY ${hub.url}\n`);
          await new Promise<void>((resolve) => {
            process.once('SIGINT', resolve);
            process.once('SIGTERM', resolve);
          });
          await hub.close();
          return 0;
        } finally {
          clearInterval(faultSummaries);
          faults.flush(true);
          process.off('uncaughtException', uncaught);
          process.off('unhandledRejection', unhandled);
        }
      }
      case 'import':
        out(await importReference(store, JSON.parse(fs.readFileSync(need(sub, 'the reference file'), 'utf8')), at));
        return 0;
      case 'put':
        out(await putEntity(store, need(sub, 'the entity'), JSON.parse(fs.readFileSync(need(arg, 'the JSON file'), 'utf8')), at));
        return 0;
      case 'members':
        out(await importMembersCsv(store, fs.readFileSync(need(sub, 'the CSV file'), 'utf8'), at));
        return 0;
      case 'station':
        if (sub === 'enroll') out(await (await import('../hub/stations.js')).enrollStation(store, need(v.site, '--site'), need(v.name, '--name'), at));
        else if (sub === 'revoke') {
          if (!(await store.revokeStation(need(arg, 'the station id'), at))) throw inputError('NOT_FOUND', `no active station "${arg}"`);
          out({ id: arg, revoked: true });
        } else if (sub === 'list') out((await store.listStations()).map(({ secretHash: _s, ...s }) => s));
        else throw inputError('USAGE', `station enroll|revoke|list\n\n${USAGE}`);
        return 0;
      case 'badge':
        if (sub === 'assign') out({ cursor: await assignBadge(store, need(arg, 'the badge UID'), need(v.member, '--member'), (v.kind ?? 'rfid') as 'rfid', at) });
        else if (sub === 'lose' || sub === 'revoke' || sub === 'activate')
          out({ cursor: await setBadgeStatus(store, need(arg, 'the badge UID'), sub === 'lose' ? 'lost' : sub === 'revoke' ? 'revoked' : 'active', at) });
        else throw inputError('USAGE', `badge lose|revoke|activate|assign\n\n${USAGE}`);
        return 0;
      case 'member':
        if (sub === 'export') out(await exportMember(store, need(v.member ?? arg, '--member ID'), at));
        else if (sub === 'erase')
          out(await eraseMember(store, need(v.member ?? arg, '--member ID'), { reason: need(v.reason, '--reason TEXT'), by: v.by ?? `cli:${os.userInfo().username}` }, at));
        else if (sub === 'block' || sub === 'unblock') out({ cursor: await setMemberStatus(store, need(arg, 'the member id'), sub === 'block' ? 'blocked' : 'active', v.reason, at) });
        else throw inputError('USAGE', `member block|unblock|export|erase\n\n${USAGE}`);
        return 0;
      case 'erasures':
        out(await store.listErasures({ ...(v.member ? { memberId: v.member } : {}), limit }));
        return 0;
      case 'signups': {
        const { decidePendingSignups, resolveSignupCase, signupCases } = await import('../hub/signups.js');
        const by = v.by ?? `cli:${os.userInfo().username}`;
        if (sub === 'resolve')
          out(
            await resolveSignupCase(
              store,
              need(v.member ?? arg, '--member ID'),
              { action: need(v.action, '--action confirm|merge|refuse'), by, ...(v.into ? { into: v.into } : {}), ...(v.reason ? { reason: v.reason } : {}) },
              at,
            ),
          );
        else if (sub === 'decide') out({ decided: await decidePendingSignups(store, Date.now, () => undefined) });
        else if (sub === undefined || sub === 'list') {
          const states = ['confirmed', 'duplicate_case', 'merged', 'refused'] as const;
          if (v.state !== undefined && !(states as readonly string[]).includes(v.state)) throw inputError('INVALID_INPUT', `--state "${v.state}" is not one of ${states.join(', ')}`);
          out(await signupCases(store, { ...(v.state ? { state: v.state as (typeof states)[number] } : {}), ...(v.site ? { siteId: v.site } : {}), limit }));
        } else throw inputError('USAGE', `signups [list]|resolve|decide\n\n${USAGE}`);
        return 0;
      }
      case 'purge-guests':
        out({ purged: await purgeDueGuests(store, Date.now()) });
        return 0;
      case 'events':
        out(await store.listEvents({ ...(v.site ? { siteId: v.site } : {}), limit }));
        return 0;
      case 'streams':
        out(await store.listStreams(v.site));
        return 0;
      case 'quarantine':
        out(await store.listQuarantine(limit));
        return 0;
      case 'alerts':
        out(await store.listAlerts(limit));
        return 0;
      case 'overlaps':
        out(await store.listOverlaps(limit));
        return 0;
      case 'compact':
        out(await store.compactReference(await instant(v.before, '--before TIME')));
        return 0;
      case 'statements': {
        const statements = await accounts().statements(periodArg!, v.payer);
        if (v.payer && statements.length === 0) throw inputError('NOT_FOUND', `no statement for payer "${v.payer}" in ${periodArg}: check the payer id (escale-hub reference listings, or the admin page)`);
        if (fmt === 'pdf' && statements.length === 0) throw inputError('NOT_FOUND', `no payer has a statement for ${periodArg}: nothing to print`);
        await emit(statements, (r) => r.statementsCsv(statements), (r) => r.statementsPdf(statements));
        return 0;
      }
      case 'settlement': {
        const settlement = await accounts().settlement(periodArg!);
        await emit(settlement, (r) => r.settlementCsv(settlement), (r) => r.settlementPdf(settlement, lang));
        return 0;
      }
      case 'evaluation': {
        const evaluation = await accounts().evaluation(need(v.site, '--site SITE'), from, until);
        await emit(evaluation, (r) => r.evaluationCsv(evaluation), (r) => r.evaluationPdf(evaluation, lang));
        return 0;
      }
      case 'close': {
        const result = await accounts().closePeriod(periodArg!);
        out(result);
        // Not an error, but not done: a script running the close each day sees it still waits.
        return result.closed ? 0 : 3;
      }
      case 'invoices': {
        const { writeInvoiceFolder } = await import('./invoice-folder.js');
        out(await writeInvoiceFolder(accounts(), periodArg!, v.payer, v.out!, inputError));
        return 0;
      }
      default:
        throw inputError('USAGE', `unknown command "${command}"\n\n${USAGE}`);
    }
  } finally {
    await store.close();
  }
}

/**
 * Runs one command line; resolves with the exit code (0 done, 1 refused or failed, 2 a bad command
 * line, 3 a month that cannot close yet). `bin/escale-hub.js` passes the process's argv; tests call
 * it in their own process with their own `deps`.
 */
export async function main(argv: string[], deps: HubCliDeps = {}): Promise<number> {
  try {
    return await run(argv, deps);
  } catch (e) {
    // A database this hub cannot open (newer, unrecognised) says so by its code: DATABASE_TOO_NEW…
    // parseArgs' own errors (an unknown option, a value missing) are a bad command line, as escale-station says.
    const parseError = String((e as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS');
    const code = (checks && e instanceof checks.HubInputError) || e instanceof HubSchemaError ? e.code : parseError ? 'USAGE' : 'ERROR';
    // A refusal with --json is an answer, as escale-station's; a bad command line stays on standard error.
    if (code !== 'USAGE' && argv.includes('--json')) (deps.stdout ?? process.stdout).write(JSON.stringify({ ok: false, error: { code, message: (e as Error).message } }) + '\n');
    else (deps.stderr ?? process.stderr).write(`error ${code}: ${(e as Error).message}\n`);
    return code === 'USAGE' ? 2 : 1;
  }
}
