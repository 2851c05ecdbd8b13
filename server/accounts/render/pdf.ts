// The accounts as PDF documents (pdfkit), A4: a payer's statement in the payer's language, the
// settlement with the centers, a site's evaluation. Text is drawn in an embedded TrueType font
// (Liberation Sans, else DejaVu Sans, from the Debian font packages) so every member's name and
// every "€" prints; without either, the PDF's built-in Helvetica is used with the characters it
// cannot encode replaced. Tables break across pages and repeat their header; every page carries
// the document, its period and "page n of N" at the foot.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { formatMoney, formatRateBp } from '../../../common/money.js';
import type { Language } from '../../../common/reference-data.js';
import { monthDevicesReported, type Evaluation, type Settlement, type Statement, type StatementLine } from '../../../common/accounts/reports.js';
import { ACCOUNT_LABELS, formatDay, formatMinutes, formatPeriod, formatQuantity, type AccountLabels } from './labels.js';

type Doc = PDFKit.PDFDocument;

const FONT_CANDIDATES = [
  { regular: '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', bold: '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf' },
  { regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf' },
];

let fonts: { regular: string; bold: string; embedded: boolean } | undefined;

/** The fonts the documents use: the first installed TrueType pair, else the PDF's own Helvetica. */
export function documentFonts(): { regular: string; bold: string; embedded: boolean } {
  fonts ??= (() => {
    const found = FONT_CANDIDATES.find((f) => fs.existsSync(f.regular) && fs.existsSync(f.bold));
    return found ? { ...found, embedded: true } : { regular: 'Helvetica', bold: 'Helvetica-Bold', embedded: false };
  })();
  return fonts;
}

let parsedFonts: { regular: PDFKit.Mixins.PDFFontSource; bold: PDFKit.Mixins.PDFFontSource } | undefined;

/**
 * The fonts as pdfkit takes them. Given a file, pdfkit parses it again for each document, and
 * decoding its tables and glyphs was most of a short document's time (a month of invoices is
 * thousands of them); given a font parsed once by fontkit (pdfkit's own dependency, which it
 * accepts as a font), it reuses what was decoded. The bytes are the same either way. Where fontkit
 * cannot be loaded, the files.
 */
function fontSources(): { regular: PDFKit.Mixins.PDFFontSource; bold: PDFKit.Mixins.PDFFontSource } {
  const f = documentFonts();
  if (!f.embedded) return f;
  parsedFonts ??= (() => {
    try {
      const fromPdfkit = createRequire(createRequire(import.meta.url).resolve('pdfkit'));
      const fontkit = fromPdfkit('fontkit') as { create: (buffer: Buffer) => object };
      // pdfkit takes any object with a layout() as a parsed font; its types list files and buffers only.
      const parse = (file: string) => fontkit.create(fs.readFileSync(file)) as unknown as PDFKit.Mixins.PDFFontSource;
      return { regular: parse(f.regular), bold: parse(f.bold) };
    } catch {
      return f;
    }
  })();
  return parsedFonts;
}

/** Characters Windows-1252 (the built-in fonts' encoding) has beyond Latin-1. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Text as the font can draw it. Intl writes French thousands with a narrow no-break space
 * (U+202F), which Liberation Sans lacks: a plain no-break space keeps the number together.
 */
export function printable(text: string): string {
  const t = text.replace(/\u202f/g, '\u00a0');
  if (documentFonts().embedded) return t;
  return [...t].map((c) => (c.charCodeAt(0) < 256 || WIN_ANSI_EXTRA.has(c) ? c : '?')).join('');
}

const PAGE = { width: 595.28, height: 841.89, margin: 40 };
const FOOT = 28;
export const INK = '#1a1a1a';
export const MUTED = '#5f6368';
export const RULE = '#c4c7cc';
const BAND = '#eef1f5';
export const ACCENT = '#1f4e79';
const MARK = '#c5221f';

export interface Column<Row> {
  title: string;
  width: number;
  align?: 'left' | 'right';
  cell: (row: Row) => string;
  /** The cell in the totals row (default: as any row's); '' leaves it empty. */
  total?: (row: Row) => string;
}

/** The words a page needs whatever the document: the locale and "page n of N". */
export type PageLabels = Pick<AccountLabels, 'locale' | 'page'>;

export class Writer {
  readonly doc: Doc;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;

  constructor(
    readonly labels: PageLabels,
    private readonly footer: string,
    /** `createdAt` fixes the PDF's dates (and the file id made of them): the same document, the same bytes. */
    private readonly options: { title: string; landscape?: boolean; watermark?: string; createdAt?: Date },
  ) {
    this.doc = new PDFDocument({
      size: 'A4',
      layout: options.landscape ? 'landscape' : 'portrait',
      margins: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin },
      bufferPages: true,
      info: {
        Title: printable(options.title),
        Author: 'Escale',
        Creator: 'Escale hub',
        ...(options.createdAt ? { CreationDate: options.createdAt, ModDate: options.createdAt } : {}),
      },
      lang: labels.locale,
      autoFirstPage: false,
    } as PDFKit.PDFDocumentOptions);
    const f = fontSources();
    this.doc.registerFont('body', f.regular);
    this.doc.registerFont('bold', f.bold);
    this.doc.on('data', (c: Buffer) => this.chunks.push(c));
    this.done = new Promise((resolve, reject) => {
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
      this.doc.on('error', reject);
    });
    this.doc.on('pageAdded', () => this.decoratePage());
    this.doc.addPage();
  }

  get left(): number {
    return this.doc.page.margins.left;
  }

  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom - FOOT;
  }

  /** A new page's watermark ("PROVISIONAL" across it), drawn first so everything else is over it. */
  private decoratePage(): void {
    const { doc } = this;
    if (this.options.watermark) {
      doc.save();
      doc.font('bold').fontSize(72).fillColor(MARK).fillOpacity(0.08);
      const w = doc.widthOfString(printable(this.options.watermark));
      doc.rotate(-35, { origin: [doc.page.width / 2, doc.page.height / 2] });
      doc.text(printable(this.options.watermark), doc.page.width / 2 - w / 2, doc.page.height / 2 - 36, { lineBreak: false });
      doc.restore();
      doc.fillOpacity(1);
    }
    doc.x = this.left;
    doc.y = doc.page.margins.top;
  }

  text(value: string, options: { size?: number; bold?: boolean; color?: string; gap?: number; x?: number; width?: number; align?: 'left' | 'right' } = {}): void {
    const { doc } = this;
    doc.font(options.bold ? 'bold' : 'body').fontSize(options.size ?? 9).fillColor(options.color ?? INK);
    const width = options.width ?? this.width;
    const h = doc.heightOfString(printable(value), { width });
    this.ensure(h);
    doc.text(printable(value), options.x ?? this.left, doc.y, { width, align: options.align ?? 'left' });
    doc.y += options.gap ?? 0;
  }

  /** Starts a new page unless `height` more points fit on this one. */
  ensure(height: number): boolean {
    if (this.doc.y + height <= this.bottom) return false;
    this.doc.addPage();
    return true;
  }

  heading(value: string): void {
    this.ensure(40);
    this.doc.y += 8;
    this.text(value, { size: 12, bold: true, color: ACCENT, gap: 4 });
  }

  /** Label–value pairs in two aligned columns. */
  pairs(rows: [string, string][], labelWidth = 150): void {
    const { doc } = this;
    for (const [label, value] of rows) {
      doc.font('body').fontSize(9);
      const h = Math.max(doc.heightOfString(printable(label), { width: labelWidth - 8 }), doc.heightOfString(printable(value), { width: this.width - labelWidth }));
      this.ensure(h + 2);
      const y = doc.y;
      doc.fillColor(MUTED).text(printable(label), this.left, y, { width: labelWidth - 8 });
      doc.font('bold').fillColor(INK).text(printable(value), this.left + labelWidth, y, { width: this.width - labelWidth });
      doc.y = y + h + 2;
    }
  }

  /** A table whose rows wrap within their cells; a row never splits, the header repeats on each page. */
  table<Row>(columns: Column<Row>[], rows: Row[], options: { fontSize?: number; totals?: Row } = {}): void {
    const { doc } = this;
    const size = options.fontSize ?? 8;
    const pad = 3;
    const scale = this.width / columns.reduce((n, c) => n + c.width, 0);
    const widths = columns.map((c) => c.width * scale);
    const header = () => {
      doc.font('bold').fontSize(size);
      const h = Math.max(...columns.map((c, i) => doc.heightOfString(printable(c.title), { width: widths[i]! - 2 * pad }))) + 2 * pad;
      this.ensure(h + size * 2 + 2 * pad);
      const y = doc.y;
      doc.rect(this.left, y, this.width, h).fill(BAND);
      let x = this.left;
      columns.forEach((c, i) => {
        doc.fillColor(INK).text(printable(c.title), x + pad, y + pad, { width: widths[i]! - 2 * pad, align: c.align ?? 'left' });
        x += widths[i]!;
      });
      doc.y = y + h;
    };
    const row = (r: Row, total: boolean) => {
      const cells = columns.map((c) => printable(total && c.total ? c.total(r) : c.cell(r)));
      doc.font(total ? 'bold' : 'body').fontSize(size);
      const heights = cells.map((text, i) => {
        return doc.heightOfString(text || ' ', { width: widths[i]! - 2 * pad });
      });
      const h = Math.max(...heights) + 2 * pad;
      if (this.ensure(h)) header();
      doc.font(total ? 'bold' : 'body').fontSize(size);
      const y = doc.y;
      let x = this.left;
      cells.forEach((text, i) => {
        doc.fillColor(INK);
        doc.text(text, x + pad, y + pad, { width: widths[i]! - 2 * pad, align: columns[i]!.align ?? 'left' });
        x += widths[i]!;
      });
      doc.moveTo(this.left, y + h).lineTo(this.left + this.width, y + h).lineWidth(total ? 1 : 0.4).strokeColor(total ? INK : RULE).stroke();
      doc.y = y + h;
    };
    header();
    rows.forEach((r) => row(r, false));
    if (options.totals) row(options.totals, true);
    doc.x = this.left;
    doc.y += 6;
  }

  /** Writes every page's foot, then ends the document. */
  async finish(): Promise<Buffer> {
    const { doc } = this;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const y = doc.page.height - doc.page.margins.bottom - 12;
      // The foot sits in the bottom margin: lift the margin so pdfkit does not start a new page for it.
      const margin = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc.font('body').fontSize(7.5).fillColor(MUTED);
      doc.text(printable(this.footer), this.left, y, { width: this.width * 0.75, lineBreak: false });
      doc.text(printable(this.labels.page(i - range.start + 1, range.count)), this.left, y, { width: this.width, align: 'right', lineBreak: false });
      doc.page.margins.bottom = margin;
    }
    doc.end();
    return this.done;
  }
}

/** The document's title block: the network's name, the title, a subtitle, and its mark ("PROVISIONAL") at the right. */
function titleBlock(w: Writer, title: string, subtitle: string, mark?: string): void {
  const y = w.doc.y;
  w.text('Escale', { size: 10, bold: true, color: ACCENT });
  if (mark) {
    const after = w.doc.y;
    w.doc.y = y;
    w.text(mark, { size: 10, bold: true, color: MARK, align: 'right' });
    w.doc.y = after;
  }
  w.text(title, { size: 20, bold: true, gap: 2 });
  w.text(subtitle, { size: 11, color: MUTED, gap: 10 });
}

function lineDescription(l: StatementLine, language: Language, labels: AccountLabels, members: Map<string, string>): string {
  const parts = [l.description];
  const member = l.memberId ? members.get(l.memberId) ?? l.memberId : undefined;
  if (member) parts.push(member);
  if (l.coverage && l.coverage !== 'payg') parts.push(`${labels.covered}: ${labels.coverage[l.coverage]}`);
  if (l.kind === 'adjustment' && l.adjustsPeriod) parts.push(`${labels.adjusts} ${formatPeriod(l.adjustsPeriod, language)} (${l.adjustsPeriod})`);
  return parts.join('\n');
}

function statementLineColumns(s: Statement, labels: AccountLabels, members: Map<string, string>): Column<StatementLine>[] {
  const lang = s.language;
  return [
    { title: labels.description, width: 150, cell: (l) => lineDescription(l, lang, labels, members), total: (l) => l.description },
    { title: labels.site, width: 82, cell: (l) => l.siteName ?? l.siteId ?? '', total: () => '' },
    { title: labels.quantity, width: 48, align: 'right', cell: (l) => formatQuantity(l.quantity, l.unit, lang), total: () => '' },
    { title: labels.unitPrice, width: 52, align: 'right', cell: (l) => formatMoney(l.unitPriceCents, lang), total: () => '' },
    { title: labels.vatRate, width: 36, align: 'right', cell: (l) => formatRateBp(l.vatRateBp, lang), total: () => '' },
    { title: labels.net, width: 52, align: 'right', cell: (l) => formatMoney(l.netCents, lang) },
    { title: labels.vat, width: 46, align: 'right', cell: (l) => formatMoney(l.vatCents, lang) },
    { title: labels.gross, width: 54, align: 'right', cell: (l) => formatMoney(l.grossCents, lang) },
  ];
}

const totalRow = (t: { netCents: number; vatCents: number; grossCents: number }, description: string): StatementLine => ({
  kind: 'usage', description, quantity: 0, unit: '', unitPriceCents: 0, vatRateBp: 0, ...t,
});

/** Draws one statement into `w`, from a new page. */
function drawStatement(w: Writer, s: Statement): void {
  const labels = ACCOUNT_LABELS[s.language];
  const lang = s.language;
  const money = (c: number) => formatMoney(c, lang);
  const members = new Map(s.members.map((m) => [m.memberId, m.name]));
  const mark = s.status === 'provisional' ? labels.provisionalMark : undefined;
  titleBlock(w, `${labels.statement} — ${formatPeriod(s.period, lang)}`, s.payerName, mark);
  w.pairs([
    [labels.payer, s.payerName],
    ...(s.payerVatNumber ? [[labels.vatNumber, s.payerVatNumber] as [string, string]] : []),
    [labels.period, `${formatPeriod(s.period, lang)} (${s.period})`],
    [labels.statusTitle, s.status === 'closed' ? `${labels.status.closed}${s.closedAt ? ` — ${labels.closedOn} ${formatDay(s.closedAt, lang)}` : ''}` : labels.provisionalNote],
  ]);

  const regular = s.lines.filter((l) => l.kind !== 'adjustment');
  const adjustments = s.lines.filter((l) => l.kind === 'adjustment');
  const columns = statementLineColumns(s, labels, members);
  w.heading(labels.lines);
  if (regular.length === 0) w.text(labels.noLines, { color: MUTED, gap: 6 });
  else w.table(columns, regular, { totals: totalRow(sumLines(regular), labels.total) });
  if (adjustments.length > 0) {
    w.heading(labels.adjustments);
    w.table(columns, adjustments, { totals: totalRow(sumLines(adjustments), labels.total) });
  }

  w.heading(labels.vatSummary);
  type VatRow = Statement['vatSummary'][number];
  w.table<VatRow>(
    [
      { title: labels.vatRate, width: 100, cell: (r) => formatRateBp(r.vatRateBp, lang) },
      { title: labels.net, width: 100, align: 'right', cell: (r) => money(r.netCents) },
      { title: labels.vat, width: 100, align: 'right', cell: (r) => money(r.vatCents) },
      { title: labels.gross, width: 100, align: 'right', cell: (r) => money(r.netCents + r.vatCents) },
    ],
    s.vatSummary,
  );

  w.heading(labels.totals);
  w.pairs([
    [labels.net, money(s.totals.netCents)],
    [labels.vat, money(s.totals.vatCents)],
    [`${labels.total} (${labels.gross})`, money(s.totals.grossCents)],
    ...(s.paidAtDesk.length > 0
      ? [
          [labels.paidAtDeskTotal, money(-s.paidAtDeskCents)] as [string, string],
          [labels.payable, money(s.payableCents)] as [string, string],
        ]
      : []),
  ]);
  if (s.paidAtDesk.length > 0) {
    w.heading(labels.paidAtDesk);
    w.pairs(s.paidAtDesk.map((p) => [`${p.description}${members.has(p.memberId) ? ` — ${members.get(p.memberId)}` : ''}`, money(p.amountCents)] as [string, string]), 340);
  }

  const units = new Map(s.lines.filter((l) => l.serviceCode).map((l) => [l.serviceCode!, l.unit]));
  const siteNames = new Map(s.lines.filter((l) => l.siteId && l.siteName).map((l) => [l.siteId!, l.siteName!]));
  type Detail = Statement['members'][number]['lines'][number];
  for (const m of s.members) {
    w.doc.addPage();
    titleBlock(w, labels.memberDetail, `${m.name} (${m.memberId}) — ${formatPeriod(s.period, lang)}`, mark);
    w.table<Detail>(
      [
        { title: labels.date, width: 62, cell: (d) => formatDay(d.localDate, lang), total: () => labels.total },
        { title: labels.site, width: 95, cell: (d) => siteNames.get(d.siteId) ?? d.siteId, total: () => '' },
        { title: labels.service, width: 75, cell: (d) => d.serviceCode, total: () => '' },
        { title: labels.quantity, width: 48, align: 'right', cell: (d) => formatQuantity(d.quantity, units.get(d.serviceCode) ?? '', lang), total: () => '' },
        { title: labels.coverageTitle, width: 75, cell: (d) => labels.coverage[d.coverage] + (d.coveredMinutes > 0 ? ` (${formatMinutes(d.coveredMinutes, lang)})` : ''), total: () => '' },
        { title: labels.net, width: 55, align: 'right', cell: (d) => money(d.netCents) },
        { title: labels.vat, width: 50, align: 'right', cell: (d) => money(d.vatCents) },
        { title: labels.gross, width: 55, align: 'right', cell: (d) => money(d.grossCents) },
      ],
      m.lines,
      { totals: { consumptionId: '', localDate: '', siteId: '', serviceCode: '', quantity: 0, coverage: 'payg', coveredMinutes: 0, ...m.totals } },
    );
    w.text(labels.memberVatNote, { size: 8, gap: 4 });
  }
}

function sumLines(lines: { netCents: number; vatCents: number; grossCents: number }[]) {
  return {
    netCents: lines.reduce((n, l) => n + l.netCents, 0),
    vatCents: lines.reduce((n, l) => n + l.vatCents, 0),
    grossCents: lines.reduce((n, l) => n + l.grossCents, 0),
  };
}

/** One statement as a PDF, in its payer's language. */
export async function statementPdf(statement: Statement): Promise<Buffer> {
  return statementsPdf([statement]);
}

/**
 * Statements as one PDF (a month's run for printing), each from a new page in its own payer's
 * language. Page numbers and the foot follow the first statement's language when there are several.
 */
export async function statementsPdf(statements: readonly Statement[]): Promise<Buffer> {
  const first = statements[0];
  if (!first) throw new RangeError('no statement to print: the period has no payer with anything to bill');
  const labels = ACCOUNT_LABELS[first.language];
  const footer = statements.length === 1 ? `${labels.statement} ${first.period} — ${first.payerName}` : `${labels.statement} ${first.period}`;
  const w = new Writer(labels, footer, {
    title: `${labels.statement} ${first.period}${statements.length === 1 ? ` — ${first.payerName}` : ''}`,
    ...(statements.some((s) => s.status === 'provisional') ? { watermark: labels.provisionalMark } : {}),
  });
  statements.forEach((s, i) => {
    if (i > 0) w.doc.addPage();
    drawStatement(w, s);
  });
  return w.finish();
}

/** The settlement with the centers: a table per site, the network's totals and the open cases. */
export async function settlementPdf(settlement: Settlement, language: Language = 'en'): Promise<Buffer> {
  const labels = ACCOUNT_LABELS[language];
  const money = (c: number) => formatMoney(c, language);
  const w = new Writer(labels, `${labels.settlement} ${settlement.period}`, {
    title: `${labels.settlement} ${settlement.period}`,
    landscape: true,
    ...(settlement.status === 'provisional' ? { watermark: labels.provisionalMark } : {}),
  });
  titleBlock(w, `${labels.settlement} — ${formatPeriod(settlement.period, language)}`, `${labels.status[settlement.status]} · ${labels.networkFee} ${formatRateBp(settlement.networkFeeBp, language)} · ${labels.commission} ${formatRateBp(settlement.commissionBp, language)}`, settlement.status === 'provisional' ? labels.provisionalMark : undefined);
  type Site = Settlement['sites'][number];
  const total = (key: keyof Site) => settlement.sites.reduce((n, s) => n + (s[key] as number), 0);
  const totals: Site = {
    siteId: '', siteName: labels.total, paygNetCents: total('paygNetCents'), passMinutes: total('passMinutes'), quotaMinutes: total('quotaMinutes'),
    passShareCents: total('passShareCents'), quotaShareCents: total('quotaShareCents'), deskNetCents: total('deskNetCents'), deskVatCents: total('deskVatCents'),
    grossDueCents: total('grossDueCents'), networkFeeCents: total('networkFeeCents'),
    dueCents: total('dueCents'), commissionCents: total('commissionCents'), heldForNetworkCents: total('heldForNetworkCents'), payoutCents: total('payoutCents'),
  };
  w.table<Site>(
    [
      { title: labels.site, width: 115, cell: (s) => `${s.siteName}\n${s.siteId}`, total: (s) => s.siteName },
      { title: labels.payg, width: 62, align: 'right', cell: (s) => money(s.paygNetCents) },
      { title: labels.passHours, width: 50, align: 'right', cell: (s) => formatMinutes(s.passMinutes, language) },
      { title: labels.quotaHours, width: 50, align: 'right', cell: (s) => formatMinutes(s.quotaMinutes, language) },
      { title: labels.passShare, width: 58, align: 'right', cell: (s) => money(s.passShareCents) },
      { title: labels.quotaShare, width: 58, align: 'right', cell: (s) => money(s.quotaShareCents) },
      { title: labels.deskNet, width: 60, align: 'right', cell: (s) => money(s.deskNetCents) },
      { title: labels.grossDue, width: 62, align: 'right', cell: (s) => money(s.grossDueCents) },
      { title: labels.networkFee, width: 58, align: 'right', cell: (s) => money(s.networkFeeCents) },
      { title: labels.due, width: 62, align: 'right', cell: (s) => money(s.dueCents) },
      { title: labels.commission, width: 58, align: 'right', cell: (s) => money(s.commissionCents) },
      { title: labels.payout, width: 64, align: 'right', cell: (s) => money(s.payoutCents) },
    ],
    settlement.sites,
    { totals },
  );
  // Members' prepayments a center holds: beside the table (its columns fill the page's width).
  const holding = settlement.sites.filter((s) => s.heldForNetworkCents !== 0);
  if (holding.length > 0) {
    w.heading(labels.heldForNetwork);
    w.pairs(holding.map((s) => [s.siteName, money(s.heldForNetworkCents)] as [string, string]), 200);
  }
  const n = settlement.network;
  w.heading(labels.network);
  w.pairs([
    [labels.billedNet, money(n.billedNetCents)],
    [labels.passRevenue, money(n.passRevenueCents)],
    [labels.quotaRevenue, money(n.quotaRevenueCents)],
    [labels.fees, money(n.feesCents)],
    [labels.commissions, money(n.commissionsCents)],
    [labels.undistributed, money(n.undistributedCents)],
    [labels.retained, money(n.retainedCents)],
    [labels.deskCollected, money(n.deskNetCents)],
    ...(n.heldForNetworkCents !== 0 ? [[labels.heldForNetwork, money(n.heldForNetworkCents)] as [string, string]] : []),
  ], 200);
  const c = settlement.cases;
  w.heading(labels.cases);
  w.pairs([
    [labels.overlaps, String(c.overlaps.length)],
    [labels.rejected, String(c.rejected.length)],
    [labels.quarantined, String(c.quarantined.length)],
    [labels.priceDifferences, String(c.priceDifferences.length)],
  ], 200);
  const caseLines = [
    ...c.overlaps.map((o) => `${labels.overlaps}: ${o.memberId} — ${o.siteA} / ${o.siteB} (${o.visitA}, ${o.visitB})`),
    ...c.rejected.map((r) => `${labels.rejected}: ${r.siteId} ${r.type} ${r.eventId} — ${r.reason}`),
    ...c.quarantined.map((q) => `${labels.quarantined}: ${q.siteId} #${q.seq} — ${q.reason}`),
    ...c.priceDifferences.map((p) => `${labels.priceDifferences}: ${p.siteId} ${p.localDate} ${p.serviceCode} ${p.memberId ?? ''} — ${money(p.station.netCents)} (${p.station.tariffVersionId}) → ${money(p.hub.netCents)} (${p.hub.tariffVersionId})`),
  ];
  for (const line of caseLines) w.text(`• ${line}`, { size: 8, color: MUTED });
  return w.finish();
}

/** A site's evaluation: its figures over the months asked, and month by month. */
export async function evaluationPdf(evaluation: Evaluation, language: Language = 'en'): Promise<Buffer> {
  const labels = ACCOUNT_LABELS[language];
  const money = (c: number) => formatMoney(c, language);
  const e = evaluation;
  const w = new Writer(labels, `${labels.evaluation} ${e.siteName} ${e.from} – ${e.until}`, { title: `${labels.evaluation} ${e.siteName}` });
  titleBlock(w, `${labels.evaluation} — ${e.siteName}`, `${formatPeriod(e.from, language)} – ${formatPeriod(e.until, language)}`);
  w.pairs([
    [labels.membership, e.membership + (e.trialUntil ? ` (${labels.trialUntil} ${formatDay(e.trialUntil, language)})` : '')],
    [labels.visits, String(e.visits)],
    [labels.memberVisits, String(e.memberVisits)],
    [labels.guestVisits, String(e.guestVisits)],
    [labels.distinctMembers, String(e.distinctMembers)],
    [labels.roamingShare, formatRateBp(e.roamingShareBp, language)],
    [labels.hostedHours, formatMinutes(e.hostedMinutes, language)],
    [labels.revenueNet, money(e.revenueNetCents)],
    [labels.openingHours, formatMinutes(e.openingMinutes, language)],
    [labels.staffedHours, formatMinutes(e.staffedMinutes, language)],
    [labels.staffedShare, formatRateBp(e.staffedShareBp, language)],
    [labels.autoClosedVisits, String(e.autoClosedVisits)],
  ], 200);
  w.heading(labels.sync);
  w.pairs([
    [labels.streams, String(e.sync.streams)],
    [labels.lastSeen, e.sync.lastSeen ? formatDay(e.sync.lastSeen, language) : '—'],
    [labels.watermark, e.sync.watermark ? formatDay(e.sync.watermark, language) : '—'],
    [labels.rejected, String(e.sync.rejectedEvents)],
    [labels.quarantined, String(e.sync.quarantinedEvents)],
    [labels.epochChanges, String(e.sync.epochChanges)],
    [labels.clockSkewAlerts, String(e.sync.clockSkewAlerts)],
  ], 200);
  w.heading(labels.devices);
  w.pairs(
    e.devices.reported
      ? [
          [labels.readerFaults, String(e.devices.readerFaults)],
          [labels.printerFaults, String(e.devices.printerFaults)],
          [labels.printJobsFailed, String(e.devices.printJobsFailed)],
          [labels.downTime, formatMinutes(e.devices.downMinutes, language)],
          ...(e.devices.reportedSince ? [[labels.reportedSince, formatDay(e.devices.reportedSince, language)] as [string, string]] : []),
        ]
      : [[labels.devices, labels.notReported]],
    200,
  );
  w.heading(labels.tills);
  w.pairs([
    [labels.tillsClosed, String(e.tills.closed)],
    [labels.tillsWithDifference, String(e.tills.withDifference)],
    [labels.tillShortfall, money(e.tills.shortfallCents)],
    [labels.tillSurplus, money(e.tills.surplusCents)],
  ], 200);
  w.heading(labels.byMonth);
  type Month = Evaluation['months'][number];
  // The totals row has no period: its device figures are known when the site reported at all.
  const deviceKnown = (m: Month) => (m.period === '' ? e.devices.reported : monthDevicesReported(e, m.period));
  const sum = (f: (m: Month) => number) => e.months.reduce((n, m) => n + f(m), 0);
  const totals: Month = {
    period: '',
    visits: sum((m) => m.visits),
    hostedMinutes: sum((m) => m.hostedMinutes),
    revenueNetCents: sum((m) => m.revenueNetCents),
    readerFaults: sum((m) => m.readerFaults),
    printerFaults: sum((m) => m.printerFaults),
    printJobsFailed: sum((m) => m.printJobsFailed),
    downMinutes: sum((m) => m.downMinutes),
    tills: e.tills,
  };
  w.table<Month>(
    [
      { title: labels.month, width: 110, cell: (m) => formatPeriod(m.period, language), total: () => labels.total },
      { title: labels.visits, width: 65, align: 'right', cell: (m) => String(m.visits) },
      { title: labels.hostedHours, width: 85, align: 'right', cell: (m) => formatMinutes(m.hostedMinutes, language) },
      { title: labels.revenueNet, width: 95, align: 'right', cell: (m) => money(m.revenueNetCents) },
      // Device figures only where the site reported them: a zero must not stand for "not known".
      { title: labels.deviceFaults, width: 75, align: 'right', cell: (m) => (deviceKnown(m) ? String(m.readerFaults + m.printerFaults) : '—') },
      { title: labels.downTime, width: 85, align: 'right', cell: (m) => (deviceKnown(m) ? formatMinutes(m.downMinutes, language) : '—') },
    ],
    e.months,
    { totals },
  );
  // The tills month by month (the table above is the page's width already).
  w.table<Month>(
    [
      { title: labels.month, width: 110, cell: (m) => formatPeriod(m.period, language), total: () => labels.total },
      { title: labels.tillsClosed, width: 95, align: 'right', cell: (m) => String(m.tills.closed) },
      { title: labels.tillsWithDifference, width: 110, align: 'right', cell: (m) => String(m.tills.withDifference) },
      { title: labels.tillShortfall, width: 100, align: 'right', cell: (m) => money(m.tills.shortfallCents) },
      { title: labels.tillSurplus, width: 100, align: 'right', cell: (m) => money(m.tills.surplusCents) },
    ],
    e.months,
    { totals },
  );
  return w.finish();
}
