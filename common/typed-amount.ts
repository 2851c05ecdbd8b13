// Amounts as a clerk types them at a reception desk: "20", "20,5", "1,51 €", "1.51", "1 234,00". Read as
// integer cents without floating point (a typed "0,29" must be 29 cents, never 28.999…).
import type { Language } from './reference-data.js';

/** The cents of a typed amount, or undefined when it is not one (negative, more than two decimals, letters). */
export function typedCents(text: string): number | undefined {
  const compact = text.replace(/[\s\u00a0\u202f€]/g, '');
  if (compact === '') return undefined;
  // One decimal separator, comma or point; a point before three digits and more is a thousands one.
  const m = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:[.,](\d{1,2}))?$/.exec(compact);
  if (!m) return undefined;
  const euros = Number(m[1]!.replace(/\./g, ''));
  const cents = euros * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? cents : undefined;
}

/** An amount written back into a field, the way the clerk types it in their language ("1,51"; "1.51" in English). */
export function centsForInput(cents: number, language: Language): string {
  return `${Math.floor(cents / 100)}${language === 'en' ? '.' : ','}${String(cents % 100).padStart(2, '0')}`;
}
