// Money is integer euro cents everywhere; only display turns it into a decimal string. The decimal
// is built from the integer with integer arithmetic (never cents / 100, whose binary fraction can
// round the wrong way), and Intl formats that exact decimal string.
import type { Language } from './reference-data.js';

/** The locale of each language's documents: Belgium's for French, Dutch and German; for English, Ireland's
 * (en-BE mixes "€1,234.50" with "5,5%"). */
export const MONEY_LOCALES: Record<Language, string> = { fr: 'fr-BE', nl: 'nl-BE', de: 'de-BE', en: 'en-IE' };

/** Throws unless `cents` is a whole number of cents that a double holds exactly. */
function checkCents(cents: number): void {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`an amount must be a whole number of cents, not ${cents}`);
}

/** 123456 → "1234.56", -5 → "-0.05": the exact decimal of an amount in cents, for CSV and Intl. */
export function centsToDecimal(cents: number): string {
  checkCents(cents);
  const abs = Math.abs(cents);
  const euros = Math.floor(abs / 100);
  const rest = abs - euros * 100;
  return `${cents < 0 ? '-' : ''}${euros}.${String(rest).padStart(2, '0')}`;
}

/** "1234.56" → 123456: the inverse of centsToDecimal (for reading our own CSV back). */
export function decimalToCents(text: string): number {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(text.trim());
  if (!m) throw new RangeError(`"${text}" is not an amount with two decimals, such as 1234.56`);
  const cents = Number(m[2]) * 100 + Number(m[3]);
  checkCents(cents);
  return m[1] === '-' && cents !== 0 ? -cents : cents;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** An amount as a reader of `locale` writes it: "1 234,56 €" (fr-BE), "€ 1.234,56" (nl-BE), "€1,234.56" (en). */
export function formatCents(cents: number, locale = 'fr-BE'): string {
  let f = formatters.get(locale);
  if (!f) formatters.set(locale, (f = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' })));
  // A string is formatted as the exact decimal it spells (Intl.NumberFormat v3), not as a double.
  return f.format(centsToDecimal(cents) as `${number}`);
}

/** An amount in a document's language. */
export function formatMoney(cents: number, language: Language): string {
  return formatCents(cents, MONEY_LOCALES[language]);
}

const rateFormatters = new Map<Language, Intl.NumberFormat>();

/** A rate in basis points as a percentage: 2100 → "21 %" (fr), "21%" (en); 550 → "5,5 %". */
export function formatRateBp(bp: number, language: Language): string {
  if (!Number.isSafeInteger(bp)) throw new RangeError(`a rate must be a whole number of basis points, not ${bp}`);
  const abs = Math.abs(bp);
  const whole = Math.floor(abs / 100);
  const decimals = String(abs - whole * 100).padStart(2, '0').replace(/0+$/, '');
  const decimal = `${bp < 0 ? '-' : ''}${whole}${decimals ? '.' + decimals : ''}`;
  let f = rateFormatters.get(language);
  if (!f) rateFormatters.set(language, (f = new Intl.NumberFormat(MONEY_LOCALES[language], { style: 'percent', maximumFractionDigits: 2 })));
  return f.format(`${decimal}E-2` as `${number}`);
}
