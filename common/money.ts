// Money is integer euro cents everywhere; only display turns it into a decimal string.
export function formatCents(cents: number, locale = 'fr-BE'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }).format(cents / 100);
}
