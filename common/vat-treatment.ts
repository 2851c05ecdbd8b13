// How a service, a pass or a quota package is taxed when not at a standard rate (issue 17): zero
// rated (EN 16931 category Z) or exempt (E) with the legal ground of its exemption, which every
// invoice carrying it must state (VAT directive art. 226(11); Peppol BIS 3.0 BR-E-10). The reference
// data declares it; a statement line freezes it at close, so a later change never alters an issued
// document.
import { z } from 'zod';

/**
 * The VATEX codes (CEF code list, checked by BR-CL-22) that go with category E. Left out: the codes
 * the PEPPOL rules tie to another category (VATEX-EU-G → G, -O → O, -IC → K, -AE → AE:
 * PEPPOL-EN16931-P0104 to P0107), and France's national codes (VATEX-FR-*), which a Belgian seller
 * has no ground to cite.
 */
export const VATEX_EXEMPT_CODES = [
  'VATEX-EU-79-C',
  'VATEX-EU-132',
  ...'ABCDEFGHIJKLMNOPQ'.split('').map((x) => `VATEX-EU-132-1${x}`),
  'VATEX-EU-143',
  ...['A', 'B', 'C', 'D', 'E', 'F', 'FA', 'G', 'H', 'I', 'J', 'K', 'L'].map((x) => `VATEX-EU-143-1${x}`),
  'VATEX-EU-144',
  'VATEX-EU-146-1E',
  'VATEX-EU-148',
  ...'ABCDEFG'.split('').map((x) => `VATEX-EU-148-${x}`),
  'VATEX-EU-151',
  ...['A', 'AA', 'B', 'C', 'D', 'E'].map((x) => `VATEX-EU-151-1${x}`),
  'VATEX-EU-153',
  'VATEX-EU-159',
  'VATEX-EU-309',
  'VATEX-EU-D',
  'VATEX-EU-F',
  'VATEX-EU-I',
  'VATEX-EU-J',
] as const;
const EXEMPT_CODES: ReadonlySet<string> = new Set(VATEX_EXEMPT_CODES);

/** Codes that exist but name another category than E, and the category each one needs. */
const OTHER_CATEGORY: Record<string, string> = { 'VATEX-EU-G': 'G (export outside the EU)', 'VATEX-EU-O': 'O (not subject to VAT)', 'VATEX-EU-IC': 'K (intra-community supply)', 'VATEX-EU-AE': 'AE (reverse charge)' };

const reasonText = z.string().trim().min(1, 'must not be empty').max(300, 'at most 300 characters');
/** The exemption's legal ground as the payer reads it on the invoice, in each of the four languages. */
const reasonSchema = z.object({ fr: reasonText, nl: reasonText, en: reasonText, de: reasonText });

const shape = {
  /** Z: zero rated; E: exempt. A standard rate needs no treatment. */
  category: z.enum(['Z', 'E']),
  /** For E: the VATEX code of the exemption's ground (EN 16931 BT-121), e.g. VATEX-EU-132-1F. */
  exemptionReasonCode: z.string().optional(),
  /** For E: the ground in words (BT-120), printed on the invoice beside the VAT summary. */
  reason: reasonSchema.optional(),
};

/**
 * A treatment as the reference data declares it. Z carries no reason (BR-Z-10 forbids one on the
 * invoice); E carries its reason in four languages — the invoice's PDF is read by people, so a code
 * alone is not enough — and, optionally, its VATEX code.
 */
export const vatTreatmentSchema = z.object(shape).superRefine((t, ctx) => {
  if (t.category === 'Z') {
    for (const key of ['exemptionReasonCode', 'reason'] as const)
      if (t[key] !== undefined)
        ctx.addIssue({ code: 'custom', path: [key], message: 'a zero-rated (Z) supply states no exemption on its invoices (Peppol BR-Z-10): remove it, or use category E if the supply is exempt' });
    return;
  }
  if (t.reason === undefined)
    ctx.addIssue({ code: 'custom', path: ['reason'], message: 'required for an exempt (E) supply: the legal ground of the exemption, printed on its invoices, as { "fr", "nl", "en", "de" } (e.g. "Exempt — article 44 of the VAT Code")' });
  const code = t.exemptionReasonCode;
  if (code !== undefined && !EXEMPT_CODES.has(code))
    ctx.addIssue({
      code: 'custom',
      path: ['exemptionReasonCode'],
      message: OTHER_CATEGORY[code]
        ? `${code} is the code of category ${OTHER_CATEGORY[code]}, not of an exemption (E); remove it, or give the VATEX code of the exemption's ground`
        : code.startsWith('VATEX-FR-')
          ? `${code} is a French national ground, which the network's Belgian invoices cannot cite; give an EU code (VATEX-EU-…) or remove it to state the ground in words only`
          : `"${code}" is not a VATEX code of an exemption (EN 16931 code list, in capitals): one such as VATEX-EU-132-1F or VATEX-EU-143; remove it to state the ground in words only`,
    });
});
export type VatTreatment = z.infer<typeof vatTreatmentSchema>;

/**
 * A treatment as a closed month's statement froze it: read as written, without the import's rules,
 * so that a later change of those rules never makes an issued statement unreadable.
 */
export const frozenVatTreatmentSchema = z.object(shape);
