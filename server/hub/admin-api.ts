// The hub's admin HTTP JSON API, behind a bearer token: reference data (a whole file, one entity
// — site, payer, service, tariff version, member, badge, staff, plan, subscription, quota — or
// members as CSV), stations (enroll → a credential shown once; revoke), badges and members, the
// listings an operator watches (events, streams, quarantine, alerts, overlap cases), privacy (a
// member's data export and erasure, the erasure audit, a guest purge now), the network's accounts
// (statements, settlement, evaluation as JSON, CSV or PDF; closing a month), and the admin page
// that shows all of it (server/admin-ui, served at /admin/).
// Whatever a request holds, the answer is JSON: a bad URL, percent-encoding or JSON body is a 400,
// an unknown route 404, a known route by another method 405, a body over its limit 413.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { HubStore } from '../store/store.js';
import { HubInputError, assignBadge, importMembersCsv, importReference, putEntity, setBadgeStatus, setMemberStatus } from './reference-admin.js';
import { enrollStation } from './stations.js';
import { eraseMember, exportMember, purgeDueGuests } from './privacy.js';
import { resolveSignupCase, signupCases } from './signups.js';
import type { Accounts, CarriedBalance, CloseResult } from '../accounts/accounts.js';
import { InvoicingError } from '../accounts/invoicing/issue.js';
import { periodSchema } from '../../common/accounts/reports.js';
import { carriedPrepaidListingSchema, closeResultSchema, type InvoiceListing } from '../../common/admin-api.js';
import { LANGUAGES } from '../../common/reference-data.js';
import { evaluationCsv, settlementCsv, statementsCsv } from '../accounts/render/csv.js';
import { evaluationPdf, settlementPdf, statementsPdf } from '../accounts/render/pdf.js';
import { accountingJournalCsv } from '../accounts/render/journal-csv.js';
import { defaultAdminUiDir, serveAdminPage } from './admin-page.js';
import { parseJsonWithin, type JsonLimits } from '../../common/wire/json-limits.js';

// The admin page reads a close with closeResultSchema: it must keep saying what CloseResult says.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _closeResultMatches: Same<z.infer<typeof closeResultSchema>, CloseResult> = true;
void _closeResultMatches;
// And the balances waiting for a next invoice with carriedPrepaidListingSchema.
const _carriedMatches: Same<z.infer<typeof carriedPrepaidListingSchema>[number], CarriedBalance> = true;
void _carriedMatches;

export interface AdminContext {
  store: HubStore;
  token: string | undefined;
  poke: () => void;
  log: (line: string) => void;
  /** Logs a refusal of bad input, rate-limited by kind (default: `log`, every time). */
  refused?: (kind: string, line: string) => void;
  now: () => number;
  /** Ends the live connections of a station (on every hub process): a revoked one keeps none. */
  disconnectStation?: (stationId: string) => void;
  /** The stations connected now (on every hub process), for the listing's `online`. */
  onlineStations?: () => Promise<Set<string>>;
  /** The network's accounts; without them the accounts routes answer 503. */
  accounts?: Accounts;
  /** The built admin page (default: dist/admin-ui). */
  adminUiDir?: string;
}

export const MAX_BODY = 20 * 1024 * 1024;

/**
 * Limits of a JSON body, checked on its text before it is parsed. Depth: a reference file nests
 * 5 deep; 64 is far under what overflows a recursive walk (see common/wire/json-limits.ts).
 * Items: reference files hold one element or member per ~18–23 bytes (the demo network's: 3,912
 * in 70–92 kB); one per 10 bytes of MAX_BODY lets the largest body the API takes through, while
 * a body of tiny values ("[0,0,0…") cannot make the parser build tens of millions of them.
 */
export const BODY_LIMITS: JsonLimits = { maxDepth: 64, maxItems: Math.ceil(MAX_BODY / 10) };

/** The error answer of every route. */
export const errorBody = (code: string, message: string) => ({ ok: false as const, error: { code, message } });

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** A request whose body was not read to its end: its connection closes after the answer, so what is left of the body is never read. */
const unread = new WeakSet<IncomingMessage>();

async function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_BODY) {
    unread.add(req);
    throw new HubInputError('TOO_LARGE', `the request body is ${declared} bytes, over ${MAX_BODY}`);
  }
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) {
      unread.add(req);
      throw new HubInputError('TOO_LARGE', `the request body is over ${MAX_BODY} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function json(req: IncomingMessage): Promise<unknown> {
  const parsed = parseJsonWithin(await readBody(req), BODY_LIMITS);
  if (!parsed.ok) throw new HubInputError(parsed.code, `the request body is refused: ${parsed.message}`);
  return parsed.value;
}

/** A document to download (CSV or PDF), named for what it holds. */
function sendFile(res: ServerResponse, body: string | Buffer, type: string, filename: string) {
  res.writeHead(200, {
    'content-type': type,
    'content-disposition': `attachment; filename="${filename}"`,
    'content-length': Buffer.byteLength(body),
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

function authorised(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const enrollSchema = z.object({ siteId: z.string().min(1).max(64), name: z.string().min(1).max(80) });
const badgeSchema = z.object({ memberId: z.string().min(1).max(64), kind: z.enum(['rfid', 'qr', 'barcode']).default('rfid') });
const memberStatusSchema = z.object({ reason: z.string().max(200).optional() });

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'an id of letters, digits, ".", "_" or "-"');
const lang = z.enum(LANGUAGES).default('en');
const statementsQuery = z.object({ period: periodSchema, payer: id.optional() });
const settlementQuery = z.object({ period: periodSchema, lang });
const evaluationQuery = z
  .object({ site: id, from: periodSchema.optional(), until: periodSchema.optional(), lang })
  .refine((q) => !q.from || !q.until || q.from <= q.until, { message: 'from must not be after until', path: ['from'] });
const closeBody = z.object({ period: periodSchema });
const invoicesQuery = z.object({ period: periodSchema, payer: id.optional() });
const DOCUMENT_FILE = /^(\d{4}-\d{6})\.(xml|pdf)$/;

/** Paid at the desks and declared on no document yet, per payer (a name, not a number: it never clashes with NUMBER.xml|pdf). */
const CARRIED = 'carried';

/**
 * A month's documents (issued on this first call when the month closed without the network's
 * profile), or one's file, or what the desks took that waits for a next invoice (`carried`).
 */
async function handleInvoices(res: ServerResponse, url: URL, file: string | undefined, accounts: Accounts): Promise<unknown> {
  try {
    if (file === CARRIED) {
      // It takes no query: one given is refused rather than read as a filter it is not.
      z.object({}).strict().parse(query(url));
      return await accounts.carriedPrepaid();
    }
    if (file === undefined) {
      const { period, payer } = invoicesQuery.parse(query(url));
      const docs = await accounts.invoices(period, payer);
      // Files are rendered when first downloaded: a listing says which a document has (a UBL on Peppol only).
      return docs.map(({ document: d }): InvoiceListing[number] => ({
        number: d.number,
        kind: d.kind,
        issueDate: d.issueDate,
        period: d.period,
        payerId: d.buyer.payerId,
        payerName: d.buyer.name,
        channel: d.channel,
        structuredCommunication: d.structuredCommunication,
        ...(d.corrects ? { corrects: d.corrects.number } : {}),
        totals: d.totals,
        files: { ubl: d.channel === 'peppol', pdf: true },
      }));
    }
    const [, number, ext] = DOCUMENT_FILE.exec(file)!;
    const doc = await accounts.invoice(number!);
    const bytes = ext === 'xml' ? doc?.ubl : doc?.pdf;
    if (!doc) throw new HubInputError('NOT_FOUND', `no invoice or credit note numbered ${number}`);
    if (!bytes) throw new HubInputError('NOT_FOUND', `${number} is sent as PDF only (its payer has no Peppol id): it has no UBL`);
    return sendFile(res, bytes, ext === 'xml' ? 'application/xml' : 'application/pdf', file);
  } catch (e) {
    if (e instanceof InvoicingError) throw new HubInputError(e.code, e.message);
    throw e;
  }
}
const signupsQuery = z.object({ state: z.enum(['confirmed', 'duplicate_case', 'merged', 'refused']).optional(), site: id.optional() });

/** The query string as an object: a parameter given empty counts as not given. */
const query = (url: URL) => Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ''));

/**
 * The accounts routes: statements, settlement and evaluation as JSON, or as CSV and PDF
 * documents (…/statements.pdf); closing a month; the closed months.
 */
async function handleAccounts(req: IncomingMessage, res: ServerResponse, url: URL, route: string, accounts: Accounts): Promise<unknown> {
  const [name, ext] = route.split('.') as [string, string | undefined];
  const q = query(url);
  switch (`${req.method} ${name}`) {
    case 'GET statements': {
      const { period, payer } = statementsQuery.parse(q);
      const statements = await accounts.statements(period, payer);
      const file = `statements-${period}${payer ? `-${payer}` : ''}`;
      if (ext === 'csv') return sendFile(res, statementsCsv(statements), 'text/csv; charset=utf-8', `${file}.csv`);
      if (ext === 'pdf') {
        if (statements.length === 0) throw new HubInputError('NOT_FOUND', payer ? `no statement for payer "${payer}" in ${period}` : `no payer has a statement for ${period}`);
        return sendFile(res, await statementsPdf(statements), 'application/pdf', `${file}.pdf`);
      }
      return statements;
    }
    case 'GET settlement': {
      const { period, lang: language } = settlementQuery.parse(q);
      const settlement = await accounts.settlement(period);
      if (ext === 'csv') return sendFile(res, settlementCsv(settlement), 'text/csv; charset=utf-8', `settlement-${period}.csv`);
      if (ext === 'pdf') return sendFile(res, await settlementPdf(settlement, language), 'application/pdf', `settlement-${period}.pdf`);
      return settlement;
    }
    case 'GET evaluation': {
      const { site, from, until, lang: language } = evaluationQuery.parse(q);
      const evaluation = await accounts.evaluation(site, from, until);
      const file = `evaluation-${site}-${evaluation.from}-${evaluation.until}`;
      if (ext === 'csv') return sendFile(res, evaluationCsv(evaluation), 'text/csv; charset=utf-8', `${file}.csv`);
      if (ext === 'pdf') return sendFile(res, await evaluationPdf(evaluation, language), 'application/pdf', `${file}.pdf`);
      return evaluation;
    }
    case 'GET invoices': {
      // Only as invoices.csv here (the listing is handleInvoices'): the month's accounting journal.
      const { period, payer } = invoicesQuery.parse(q);
      try {
        const docs = await accounts.invoices(period, payer);
        return sendFile(res, accountingJournalCsv(docs.map((d) => d.document)), 'text/csv; charset=utf-8', `journal-${period}${payer ? `-${payer}` : ''}.csv`);
      } catch (e) {
        if (e instanceof InvoicingError) throw new HubInputError(e.code, e.message);
        throw e;
      }
    }
    case 'POST close':
      return accounts.closePeriod(closeBody.parse(await json(req)).period);
    case 'GET closed':
      return accounts.closedPeriods();
    default:
      throw new HubInputError('NOT_FOUND', `no accounts route ${req.method} ${url.pathname}: statements, settlement, evaluation (.csv, .pdf), close, closed, invoices (.csv: the accounting journal; /NUMBER.xml, .pdf; /carried)`);
  }
}

const ACCOUNT_ROUTES = /^(statements|settlement|evaluation)(\.(csv|pdf))?$|^(close|closed|invoices)$|^invoices\.csv$/;

/**
 * The admin routes, by method and path (":id" one path part). A path that names none of these
 * answers 404; one that a route of another method takes, 405.
 */
const ADMIN_ROUTES = [
  'POST reference',
  'POST entities/:id',
  'POST members',
  'GET reference/:id',
  'POST stations',
  'GET stations',
  'POST stations/:id/revoke',
  'POST badges/:id/lose',
  'POST badges/:id/revoke',
  'POST badges/:id/activate',
  'POST badges/:id/assign',
  'POST members/:id/block',
  'POST members/:id/unblock',
  'GET members/:id/export',
  'POST members/:id/erase',
  'GET erasures',
  'POST guests/purge',
  'GET signups',
  'GET signups/:id',
  'POST signups/:id/resolve',
  'GET events',
  'GET streams',
  'GET quarantine',
  'GET alerts',
  'GET overlaps',
] as const;
type AdminRoute = (typeof ADMIN_ROUTES)[number];

/**
 * The route a path names: its parts as they are when a route has them so (guests/purge), else
 * with the second part as an id (badges/UID/lose).
 */
function adminRoute(method: string, parts: string[]): { route: AdminRoute | undefined; allowed: string[] } {
  const paths = [parts.join('/'), [parts[0] ?? '', ...(parts.length > 1 ? [':id'] : []), ...parts.slice(2)].join('/')];
  for (const path of paths) {
    const route = ADMIN_ROUTES.find((r) => r === `${method} ${path}`);
    if (route) return { route, allowed: [] };
  }
  const allowed = ADMIN_ROUTES.filter((r) => paths.some((path) => r.endsWith(` ${path}`))).map((r) => r.split(' ')[0]!);
  return { route: undefined, allowed: [...new Set(allowed)].sort() };
}

/** The request's URL: its path as sent (never read as "//host/…"), or a refusal. */
function requestUrl(raw: string | undefined): URL {
  const target = raw ?? '/';
  try {
    // An origin-form path ("/admin/…", even "//") is a path on this hub; an absolute URL (what a
    // client speaking to a proxy sends) is taken as it is.
    return new URL(target.startsWith('/') ? `http://hub${target}` : target);
  } catch {
    throw new HubInputError('BAD_URL', `the request target is not a URL: ${JSON.stringify(target.slice(0, 200))}`);
  }
}

/** The HTTP status of an input error's code. */
function statusOf(code: string): number {
  switch (code) {
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
    case 'NETWORK_PROFILE_MISSING':
    case 'PERIOD_OPEN':
      return 409;
    case 'TOO_LARGE':
      return 413;
    default:
      return 400;
  }
}

/**
 * Answers one admin request. It never throws for what the request holds: every refusal is an
 * answer, logged through `ctx.refused`; only a fault of the hub itself rejects (the caller's
 * error boundary answers 500).
 */
export async function handleAdmin(req: IncomingMessage, res: ServerResponse, ctx: AdminContext): Promise<void> {
  const refused = ctx.refused ?? ((_kind: string, line: string) => ctx.log(line));
  const target = String(req.url ?? '/').slice(0, 200);
  /** A refusal: answered, and logged once a while by status and code. */
  const refuse = (status: number, code: string, message: string, headers: Record<string, string> = {}) => {
    refused(`http ${status} ${code}`, `admin: refused ${req.method} ${JSON.stringify(target)}: ${status} ${code} ${message}`);
    // What is left of a body not read is not read: the connection closes after this answer.
    send(res, status, errorBody(code, message), unread.has(req) ? { ...headers, connection: 'close' } : headers);
  };
  let url: URL;
  try {
    url = requestUrl(req.url);
  } catch (e) {
    return refuse(400, (e as HubInputError).code, (e as Error).message);
  }
  const at = () => new Date(ctx.now()).toISOString();
  if (url.pathname === '/health') return send(res, 200, { ok: true, store: ctx.store.kind });
  if (serveAdminPage(req, res, url.pathname, ctx.adminUiDir ?? defaultAdminUiDir())) return;
  if (!url.pathname.startsWith('/admin/')) return refuse(404, 'NOT_FOUND', `no ${url.pathname} here`);
  if (!ctx.token) return refuse(403, 'ADMIN_OFF', 'the admin API is off: start the hub with an admin token');
  if (!authorised(req, ctx.token)) return refuse(401, 'UNAUTHORISED', 'a valid admin bearer token is required');
  const parts: string[] = [];
  for (const part of url.pathname.split('/').filter(Boolean).slice(1)) {
    try {
      parts.push(decodeURIComponent(part));
    } catch {
      return refuse(400, 'BAD_ENCODING', `the path has a bad percent-encoding: ${JSON.stringify(part.slice(0, 100))}`);
    }
  }
  const limit = Math.min(10_000, Number(url.searchParams.get('limit') ?? 1000) || 1000);
  let route: AdminRoute | undefined;
  try {
    let value: unknown;
    if (parts[0] === 'accounts') {
      const invoiceFile = parts[1] === 'invoices' && parts.length === 3 && (DOCUMENT_FILE.test(parts[2]!) || parts[2] === CARRIED);
      if (!invoiceFile && (parts.length !== 2 || !ACCOUNT_ROUTES.test(parts[1]!)))
        throw new HubInputError('NOT_FOUND', `no accounts route ${req.method} ${url.pathname}: statements, settlement, evaluation (.csv, .pdf), close, closed, invoices (.csv: the accounting journal; /NUMBER.xml, .pdf; /carried)`);
      if (!ctx.accounts)
        return send(res, 503, { ok: false, error: { code: 'ACCOUNTS_UNAVAILABLE', message: 'the accounts engine is not wired into this hub: statements, settlements, evaluations and the close are not available' } });
      value = parts[1] === 'invoices' && req.method === 'GET' ? await handleInvoices(res, url, parts[2], ctx.accounts) : await handleAccounts(req, res, url, parts[1]!, ctx.accounts);
      // A document was sent as it is.
      if (res.headersSent) return;
      return send(res, 200, { ok: true, value });
    }
    const named = adminRoute(req.method ?? '', parts);
    route = named.route;
    const { allowed } = named;
    if (!route) {
      if (allowed.length > 0) return refuse(405, 'METHOD_NOT_ALLOWED', `${req.method} is not a method of ${url.pathname}: ${allowed.join(', ')}`, { allow: allowed.join(', ') });
      return refuse(404, 'NOT_FOUND', `no admin route ${req.method} ${url.pathname}`);
    }
    switch (route) {
      case 'POST reference': {
        value = await importReference(ctx.store, await json(req), at());
        ctx.poke();
        break;
      }
      case 'POST entities/:id': {
        value = await putEntity(ctx.store, parts[1]!, await json(req), at());
        ctx.poke();
        break;
      }
      case 'POST members': {
        value = await importMembersCsv(ctx.store, await readBody(req), at());
        ctx.poke();
        break;
      }
      case 'GET reference/:id':
        value = await ctx.store.listReference(parts[1] as never);
        break;
      case 'POST stations': {
        const body = enrollSchema.parse(await json(req));
        value = await enrollStation(ctx.store, body.siteId, body.name, at());
        break;
      }
      case 'GET stations': {
        const online = await ctx.onlineStations?.();
        value = (await ctx.store.listStations()).map(({ secretHash: _s, ...s }) => ({ ...s, ...(online ? { online: online.has(s.id) } : {}) }));
        break;
      }
      case 'POST stations/:id/revoke': {
        if (!(await ctx.store.revokeStation(parts[1]!, at()))) throw new HubInputError('NOT_FOUND', `no active station "${parts[1]}"`);
        ctx.disconnectStation?.(parts[1]!);
        ctx.log(`station ${parts[1]} revoked: its connections are closed`);
        value = { id: parts[1], revoked: true };
        break;
      }
      case 'POST badges/:id/lose':
      case 'POST badges/:id/revoke':
      case 'POST badges/:id/activate': {
        const status = parts[2] === 'lose' ? 'lost' : parts[2] === 'revoke' ? 'revoked' : 'active';
        value = { cursor: await setBadgeStatus(ctx.store, parts[1]!, status, at()) };
        ctx.poke();
        break;
      }
      case 'POST badges/:id/assign': {
        const body = badgeSchema.parse(await json(req));
        value = { cursor: await assignBadge(ctx.store, parts[1]!, body.memberId, body.kind, at()) };
        ctx.poke();
        break;
      }
      case 'POST members/:id/block':
      case 'POST members/:id/unblock': {
        const body = memberStatusSchema.parse(req.headers['content-length'] === '0' ? {} : await json(req).catch(() => ({})));
        value = { cursor: await setMemberStatus(ctx.store, parts[1]!, parts[2] === 'block' ? 'blocked' : 'active', body.reason, at()) };
        ctx.poke();
        break;
      }
      case 'GET members/:id/export':
        value = await exportMember(ctx.store, parts[1], at());
        break;
      case 'POST members/:id/erase': {
        // eraseMember parses the body with its schema (common/privacy.ts).
        value = await eraseMember(ctx.store, parts[1], await json(req), at());
        ctx.log(`member ${parts[1]} erased on request (audit ${(value as { auditId: number }).auditId})`);
        ctx.poke();
        break;
      }
      case 'GET erasures':
        value = await ctx.store.listErasures({ ...(url.searchParams.get('member') ? { memberId: url.searchParams.get('member')! } : {}), limit });
        break;
      case 'POST guests/purge':
        value = { purged: await purgeDueGuests(ctx.store, ctx.now()) };
        break;
      case 'GET signups': {
        const q = signupsQuery.parse(query(url));
        value = await signupCases(ctx.store, { ...(q.state ? { state: q.state } : {}), ...(q.site ? { siteId: q.site } : {}), limit });
        break;
      }
      case 'GET signups/:id': {
        const record = await ctx.store.getSignup(parts[1]!);
        if (!record) throw new HubInputError('NOT_FOUND', `no sign-up of member "${parts[1]}" at the hub`);
        value = record.duplicateOf ? { ...record, existing: await ctx.store.getReference('member', record.duplicateOf) } : record;
        break;
      }
      case 'POST signups/:id/resolve': {
        // resolveSignupCase parses the body with its schema: {action: confirm|merge|refuse, by, into?, reason?}.
        value = await resolveSignupCase(ctx.store, parts[1]!, await json(req), at(), ctx.log);
        ctx.poke();
        break;
      }
      case 'GET events':
        value = await ctx.store.listEvents({
          ...(url.searchParams.get('site') ? { siteId: url.searchParams.get('site')! } : {}),
          ...(url.searchParams.get('epoch') ? { epoch: url.searchParams.get('epoch')! } : {}),
          ...(url.searchParams.get('afterSeq') ? { afterSeq: Number(url.searchParams.get('afterSeq')) } : {}),
          limit,
        });
        break;
      case 'GET streams':
        value = await ctx.store.listStreams(url.searchParams.get('site') ?? undefined);
        break;
      case 'GET quarantine':
        value = await ctx.store.listQuarantine(limit);
        break;
      case 'GET alerts':
        value = await ctx.store.listAlerts(limit);
        break;
      case 'GET overlaps':
        value = await ctx.store.listOverlaps(limit);
        break;
    }
    send(res, 200, { ok: true, value }, unread.has(req) ? { connection: 'close' } : {});
  } catch (e) {
    if (e instanceof z.ZodError) return refuse(400, 'INVALID_INPUT', e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    if (e instanceof HubInputError) return refuse(statusOf(e.code), e.code, e.message);
    // The hub's own fault (a store down, a bug a request found): said with its stack, then
    // counted like a refusal, since requests may bring it about again and again.
    refused(`http 500 ${route ?? parts[0]}`, `admin ${req.method} ${url.pathname} failed: ${(e as Error).stack ?? e}`);
    if (res.headersSent) return void res.destroy();
    send(res, 500, errorBody('INTERNAL', (e as Error).message));
  }
}
