// VAT on a statement is worked out once per rate, on the sum of the nets at that rate, as an
// invoice's VAT breakdown must be (EN 16931 BR-CO-17: VAT = taxable amount × rate, rounded). The
// sum of VAT rounded line by line drifts half a cent per line, and a payer with thousands of
// consumptions at one rate would get an invoice the Peppol rules reject (they allow 1 €).
//
// The amount is then shared out over the lines (largest remainder), so every line still shows a
// VAT within a cent of its own and the lines still add up to the statement's totals to the cent.
//
// Each month an adjustment corrects is a group of its own: it may become a credit note of its
// own (invoicing/documents.ts), and a document's VAT must be the sum of its groups' VAT for the
// invoices and credit notes to add up to the statement.
import { vatOf } from '../../common/tariff/pricing.js';

interface VatLine {
  netCents: number;
  vatRateBp: number;
  vatCents: number;
  grossCents: number;
  adjustsPeriod?: string;
}

/** Sets each line's VAT (and gross) to its share of its group's VAT at its rate. */
export function shareVatByRate(lines: readonly VatLine[]): void {
  const groups = new Map<string, VatLine[]>();
  for (const l of lines) {
    const key = `${l.adjustsPeriod ?? ''}|${l.vatRateBp}`;
    const group = groups.get(key);
    if (group) group.push(l);
    else groups.set(key, [l]);
  }
  for (const group of groups.values()) {
    const rate = group[0]!.vatRateBp;
    const due = vatOf(group.reduce((n, l) => n + l.netCents, 0), rate);
    // Each line's exact VAT as a whole part (rounded down) and a remainder, in 1/10,000 of a cent:
    // all integers, so no float decides a cent.
    const shares = group.map((l, at) => {
      const exact = l.netCents * rate;
      const whole = Math.floor(exact / 10_000);
      return { at, whole, remainder: exact - whole * 10_000 };
    });
    // The cents left once every line has its whole part go to the largest remainders, in line
    // order on a tie. There are never more of them than lines with a remainder.
    let left = due - shares.reduce((n, s) => n + s.whole, 0);
    const order = [...shares].sort((a, b) => b.remainder - a.remainder || a.at - b.at);
    for (const s of order) {
      if (left <= 0) break;
      if (s.remainder === 0) break;
      s.whole += 1;
      left -= 1;
    }
    if (left !== 0) throw new Error(`VAT of ${due} cents could not be shared over ${group.length} lines (${left} left)`);
    for (const s of shares) {
      const line = group[s.at]!;
      // + 0: a negative net at 0 % gives -0, which JSON writes as 0; the same value either way.
      line.vatCents = s.whole + 0;
      line.grossCents = line.netCents + line.vatCents;
    }
  }
}
