// ESC/POS encoding of the reception's documents with receipt-printer-encoder (a maintained
// encoder: code pages, tables, QR codes), never hand-written byte tables.
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { addressLines, billedPer, labels, money, quantityAndPrice, stars, when, type PrintDocument } from '../../../common/documents/print-documents.js';
import { shortMemberNumber } from '../../../common/member-number.js';

function encoder(columns: number): ReceiptPrinterEncoder {
  // Windows-1252 covers French, Dutch, German and English, euro sign included.
  return new ReceiptPrinterEncoder({ language: 'esc-pos', columns, codepageMapping: 'epson', feedBeforeCut: 4 }).initialize().codepage('windows1252');
}

export function encodeEscPos(doc: PrintDocument, columns = 42): Uint8Array {
  const e = encoder(columns);
  const t = labels(doc.language);
  switch (doc.kind) {
    case 'receipt': {
      // Double height only: a site name in double width would wrap on a 42-column printer.
      e.align('center').bold(true).size(1, 2).line(doc.site.name).size(1, 1).line(stars(doc.site.stars)).bold(false);
      // Who issues the receipt: what makes it proof of a payment.
      if (doc.legal?.name) e.line(doc.legal.name);
      if (doc.legal?.address) for (const l of addressLines(doc.legal.address)) e.line(l);
      if (doc.legal?.vatNumber) e.line(`${t.vatNumber} ${doc.legal.vatNumber}`);
      e.line(t.receipt);
      if (doc.receiptNumber) {
        // A long site id would break the number over two lines: the label then goes above it.
        const together = `${t.receiptNumber} ${doc.receiptNumber}`;
        if (together.length <= columns) e.line(together);
        else e.line(t.receiptNumber).line(doc.receiptNumber);
      }
      if (doc.issuedAt) e.line(`${t.issued} ${when(doc.issuedAt, doc.timeZone, doc.language)}`);
      if (doc.duplicate) e.bold(true).size(2, 2).line(t.duplicate).size(1, 1).bold(false);
      e.newline();
      e.align('left').line(`${doc.person.name}${doc.person.company ? `, ${doc.person.company}` : ''}`);
      e.line(`${t.arrived}: ${when(doc.checkedInAt, doc.timeZone, doc.language)}`);
      e.line(`${t.left}: ${doc.checkedOutAt ? when(doc.checkedOutAt, doc.timeZone, doc.language) : t.onSite}`);
      e.rule();
      // Each service: its name, then quantity × unit price (excl. VAT), the VAT rate, the amount
      // excl. VAT; an hourly service's billing rule under it.
      for (const l of doc.lines) {
        e.line(l.void ? `${l.name} (${t.voided})` : l.name);
        e.table(
          [
            // Widths and margin fill the line: 2 + 21 + 9 + 10 on a 42-column printer.
            { width: columns - 21, align: 'left', marginLeft: 2 },
            { width: 9, align: 'right' },
            { width: 10, align: 'right' },
          ],
          [[quantityAndPrice(l, doc.language), `${t.vat} ${l.vatRateBp / 100}%`, money(l.netCents, doc.language).replace(' EUR', '')]],
        );
        const rule = billedPer(l, doc.language);
        if (rule) e.line(`  (${rule})`);
      }
      e.rule();
      e.table(
        [
          { width: columns - 14, align: 'left' },
          { width: 14, align: 'right' },
        ],
        [
          [t.net, money(doc.totals.netCents, doc.language)],
          [t.vat, money(doc.totals.vatCents, doc.language)],
          [(enc: ReceiptPrinterEncoder) => enc.bold(true).text(t.total).bold(false), (enc: ReceiptPrinterEncoder) => enc.bold(true).text(money(doc.totals.grossCents, doc.language)).bold(false)],
        ],
      );
      if (doc.payment) {
        const amount = (cents: number) => money(cents, doc.language);
        const rows: [string, string][] = [];
        for (const p of doc.payment.entries) {
          if (p.kind === 'refund') {
            rows.push([p.method === 'cash' ? t.refundedCash : p.method === 'card' ? t.refundedCard : t.invoiceWithdrawn, amount(-p.amountCents)]);
            continue;
          }
          rows.push([p.method === 'cash' ? t.paidCash : p.method === 'card' ? t.paidCard : t.invoicedTo, amount(p.amountCents)]);
          if (p.tenderedCents !== undefined) rows.push([`  ${t.tendered}`, amount(p.tenderedCents)]);
          if (p.changeCents !== undefined) rows.push([`  ${t.change}`, amount(p.changeCents)]);
          if (p.cardReference) rows.push([`  ${t.cardRef} ${p.cardReference}`, '']);
          // The company billed: its name and VAT number, each on a line of its own (a name may be long).
          if (p.company) rows.push([`  ${p.company.name}`, ''], [`  ${t.vatNumber} ${p.company.vatNumber}`, '']);
        }
        // Invoiced only: nothing was paid here, and the receipt does not say it was.
        const invoiced = doc.payment.invoicedCents ?? 0;
        if (doc.payment.paidCents > 0 || invoiced === 0) rows.push([t.paid, amount(doc.payment.paidCents)]);
        if (doc.payment.dueCents > 0) rows.push([t.due, amount(doc.payment.dueCents)]);
        e.rule().table(
          [
            { width: columns - 14, align: 'left' },
            { width: 14, align: 'right' },
          ],
          rows,
        );
      }
      // Paid in full at the desk: the receipt proves it; otherwise the network bills what is left.
      e.newline().align('center');
      if (!doc.payment || doc.payment.dueCents > 0) e.line(t.provisional);
      if ((doc.payment?.invoicedCents ?? 0) > 0) e.line(t.invoicedByNetwork);
      e.line(t.visit).line(doc.visitId);
      break;
    }
    case 'badge':
      e.align('center').bold(true).line(t.visitor).bold(false).newline();
      e.size(2, 2).line(doc.person.name).size(1, 1);
      if (doc.person.company) e.line(doc.person.company);
      if (doc.host) e.line(`${t.host}: ${doc.host}`);
      e.line(`${doc.site.name} ${stars(doc.site.stars)}`).line(`${t.date}: ${doc.date}`).newline();
      e.qrcode(doc.visitId, { size: 6, errorlevel: 'm' });
      break;
    case 'welcome':
      e.align('center').bold(true).size(1, 2).line(doc.site.name).size(1, 1).line(stars(doc.site.stars)).bold(false).newline();
      e.bold(true).line(t.welcome).bold(false).line(doc.person.name).newline();
      e.align('left').line(`${t.memberNumber}:`).line(`  ${shortMemberNumber(doc.memberId)}`);
      e.line(`${t.signedUpAt}: ${when(doc.at, doc.timeZone, doc.language)}`);
      // Label and version on their own lines: together they would wrap on a 42-column printer.
      e.line(`${t.termsAccepted}:`).line(`  ${doc.termsVersion}`).line(`${t.privacyNotice}:`).line(`  ${doc.privacyVersion}`);
      if (doc.badge) {
        e.line(`${t.yourBadge}: ${doc.badge.uid}`);
        // A QR badge is this slip: the reader scans the code, which is the badge's UID.
        if (doc.badge.kind === 'qr') e.newline().align('center').line(t.qrBadge).qrcode(doc.badge.uid, { size: 6, errorlevel: 'm' });
      }
      e.newline().align('center').line(t.awaitingNetwork).line(t.everywhere);
      break;
    case 'shiftReport': {
      const amount = (cents: number) => money(cents, doc.language);
      // Money that left the drawer or the card is written negative; none is 0,00, not -0,00.
      const out = (cents: number) => money(cents === 0 ? 0 : -cents, doc.language);
      e.align('center').bold(true).size(1, 2).line(doc.site.name).size(1, 1).line(stars(doc.site.stars)).bold(false);
      if (doc.legal?.name) e.line(doc.legal.name);
      if (doc.legal?.vatNumber) e.line(`${t.vatNumber} ${doc.legal.vatNumber}`);
      e.bold(true).line(t.shiftReport).bold(false);
      if (doc.duplicate) e.bold(true).size(2, 2).line(t.duplicate).size(1, 1).bold(false);
      e.newline().align('left');
      e.line(`${t.clerk}: ${doc.clerk}`);
      e.line(`${t.tillOpened}: ${when(doc.openedAt, doc.timeZone, doc.language)}`);
      e.line(`${t.tillClosed}: ${when(doc.closedAt, doc.timeZone, doc.language)}`);
      if (doc.closedBy) e.line(`${t.closedBy}: ${doc.closedBy}`);
      const f = doc.figures;
      const table = (rows: [string | ((enc: ReceiptPrinterEncoder) => ReceiptPrinterEncoder), string | ((enc: ReceiptPrinterEncoder) => ReceiptPrinterEncoder)][]) =>
        e.table(
          [
            { width: columns - 14, align: 'left' },
            { width: 14, align: 'right' },
          ],
          rows,
        );
      const bold = (text: string) => (enc: ReceiptPrinterEncoder) => enc.bold(true).text(text).bold(false);
      // The drawer: what the count is checked against.
      e.rule();
      table([
        [t.float, amount(f.floatCents)],
        [t.cashReceived, amount(f.cashReceivedCents)],
        [`  ${t.changeGiven}`, amount(f.changeGivenCents)],
        [t.cashRefunds, out(f.cashRefundsCents)],
        [bold(t.expected), bold(amount(f.expectedCents))],
        [bold(t.counted), bold(amount(doc.countedCents))],
        [bold(t.difference), bold(amount(doc.differenceCents))],
      ]);
      if (doc.reason) e.line(`${t.reason}: ${doc.reason}`);
      // What never touched the drawer, for the accounts.
      e.rule();
      table([
        [t.cardReceived, amount(f.cardReceivedCents)],
        [t.cardRefunds, out(f.cardRefundsCents)],
        [t.invoiced, amount(f.invoicedCents)],
        [t.payments, String(f.payments)],
        [t.refunds, String(f.refunds)],
      ]);
      e.newline().align('center').line(t.till).line(doc.tillId);
      break;
    }
    case 'test':
      e.align('center').bold(true).line(t.test).bold(false).line(doc.printerName).line(`${t.printed} ${when(doc.at, doc.timeZone, doc.language)}`);
      e.line('àâçéèêëîïôùûü ÀÉÈ äöüß € 0123456789');
      break;
  }
  return e.cut('partial').encode();
}
