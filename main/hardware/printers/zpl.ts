// ZPL for badge label printers (Zebra and compatibles): a visitor badge on a label with a QR code.
// ZPL is plain text commands; ^FH lets names with accents go through as hex-escaped UTF-8 (^CI28).
import { labels, stars, type PrintDocument } from '../../../common/documents/print-documents.js';

const field = (text: string): string =>
  Array.from(Buffer.from(text, 'utf8'))
    .map((b) => (b < 0x20 || b > 0x7e || b === 0x5e || b === 0x7e || b === 0x5f ? `_${b.toString(16).padStart(2, '0')}` : String.fromCharCode(b)))
    .join('');

export function encodeZpl(doc: PrintDocument): Uint8Array {
  if (doc.kind === 'receipt' || doc.kind === 'welcome' || doc.kind === 'shiftReport')
    throw new Error(`a ZPL label printer prints badges, not ${doc.kind === 'receipt' ? 'receipts' : doc.kind === 'welcome' ? 'welcome slips' : 'shift reports'}`);
  const t = labels(doc.language);
  const lines =
    doc.kind === 'badge'
      ? [
          '^XA^CI28^PW812^LL406',
          `^FO30,30^A0N,34,34^FH^FD${field(t.visitor)}^FS`,
          `^FO30,80^A0N,56,56^FH^FD${field(doc.person.name)}^FS`,
          ...(doc.person.company ? [`^FO30,150^A0N,34,34^FH^FD${field(doc.person.company)}^FS`] : []),
          ...(doc.host ? [`^FO30,200^A0N,30,30^FH^FD${field(`${t.host}: ${doc.host}`)}^FS`] : []),
          `^FO30,250^A0N,28,28^FH^FD${field(`${doc.site.name} ${stars(doc.site.stars)}`)}^FS`,
          `^FO30,290^A0N,28,28^FH^FD${field(`${t.date}: ${doc.date}`)}^FS`,
          `^FO560,120^BQN,2,6^FDMA,${doc.visitId}^FS`,
          '^XZ',
        ]
      : ['^XA^CI28', `^FO30,30^A0N,34,34^FH^FD${field(t.test)}^FS`, `^FO30,80^A0N,28,28^FH^FD${field(doc.printerName)}^FS`, '^XZ'];
  return new TextEncoder().encode(lines.join('\n') + '\n');
}
