// What the reception prints — a visit receipt, a visitor badge, a test page — as plain data in
// the person's language. Printers encode it (ESC/POS, ZPL); a print job stores it, so a reprint
// is identical to the first print.
import type { Language } from '../reference-data.js';
import type { TillFigures } from '../station-api/till.js';
import { formatLocal } from '../time.js';
import { hourWord, hoursAndMinutes } from './duration.js';

export interface ReceiptLine {
  name: string;
  unit: string;
  billedQuantity: number;
  unitPriceCents: number;
  vatRateBp: number;
  netCents: number;
  vatCents: number;
  grossCents: number;
  void: boolean;
  /** An hourly service billed per started block of this many minutes. */
  billingIncrementMinutes?: number;
}

export interface ReceiptLegal {
  name?: string;
  address?: { street: string; postalCode: string; city: string; country: string };
  vatNumber?: string;
}

export interface ReceiptPayment {
  entries: {
    kind: 'payment' | 'refund';
    method: 'cash' | 'card' | 'invoice';
    amountCents: number;
    tenderedCents?: number;
    changeCents?: number;
    cardReference?: string;
    /** An invoice to a company (and its withdrawal): who the network bills. */
    company?: { name: string; vatNumber: string };
  }[];
  /** Paid at the desk, in cash or by card (less refunds). */
  paidCents: number;
  /** Invoiced to a company by the network (less withdrawn invoices): not paid at the desk. */
  invoicedCents?: number;
  dueCents: number;
}

export type PrintDocument =
  | {
      kind: 'receipt';
      language: Language;
      timeZone: string;
      site: { name: string; stars: number };
      person: { name: string; company?: string };
      visitId: string;
      checkedInAt: string;
      checkedOutAt?: string;
      lines: ReceiptLine[];
      totals: { netCents: number; vatCents: number; grossCents: number };
      /** The centre's legal identity, when the reference data gives it (receipts printed before it have none). */
      legal?: ReceiptLegal;
      /** Gap-free per station stream; absent on receipts printed before receipts were numbered. */
      receiptNumber?: string;
      /** When the receipt was issued. */
      issuedAt?: string;
      /** A reprint, or the same receipt asked for again: it says so. */
      duplicate?: boolean;
      /** What was paid at the desk: a receipt with payments proves them, and says what is left to pay. */
      payment?: ReceiptPayment;
    }
  | {
      kind: 'badge';
      language: Language;
      timeZone: string;
      site: { name: string; stars: number };
      person: { name: string; company?: string };
      host?: string;
      visitId: string;
      date: string;
    }
  | { kind: 'test'; language: Language; printerName: string; at: string; timeZone: string }
  /**
   * The welcome slip of a member signed up at this reception (agent sale), in their language: their
   * member number, their badge (a QR badge is printed on it), the terms they accepted, and that the
   * network confirms the sign-up.
   */
  | {
      kind: 'welcome';
      language: Language;
      timeZone: string;
      site: { name: string; stars: number };
      person: { name: string };
      memberId: string;
      at: string;
      badge?: { uid: string; kind: 'rfid' | 'qr' | 'barcode' };
      termsVersion: string;
      privacyVersion: string;
    }
  /**
   * The shift report of a closed till (issue 16), in the clerk's language: who opened and closed
   * it and when, what it took (cash, card, invoiced), the cash expected against the cash counted,
   * and the difference with its reason.
   */
  | {
      kind: 'shiftReport';
      language: Language;
      timeZone: string;
      site: { name: string; stars: number };
      legal?: ReceiptLegal;
      tillId: string;
      /** Who opened the till, and who counted and closed it when that was someone else (a supervisor). */
      clerk: string;
      closedBy?: string;
      openedAt: string;
      closedAt: string;
      figures: ShiftReportFigures;
      countedCents: number;
      differenceCents: number;
      reason?: string;
      /** A reprint: it says so. */
      duplicate?: boolean;
    };

/** What a till took and holds, as the station's till method gives it. */
export type ShiftReportFigures = TillFigures;

const LABELS = {
  fr: { receipt: 'Reçu de visite', excl: 'HTVA', visitor: 'VISITEUR', host: 'Hôte', arrived: 'Arrivée', left: 'Départ', onSite: 'sur place', vat: 'TVA', total: 'Total TTC', net: 'Total HTVA', provisional: 'Provisoire - facturé par le réseau Escale', visit: 'Visite', test: "Page de test de l'imprimante", printed: 'Imprimé le', voided: 'annulé', date: 'Date', welcome: 'Bienvenue dans le réseau Escale', memberNumber: 'Votre numéro de membre', yourBadge: 'Votre badge', qrBadge: 'Présentez ce code QR au lecteur', signedUpAt: 'Inscrit le', termsAccepted: 'Conditions acceptées', privacyNotice: 'Avis de confidentialité', awaitingNetwork: 'Votre inscription sera confirmée par le réseau. Vous pouvez déjà venir ici.', everywhere: 'Les mêmes services dans tous les centres Escale', perStarted: 'par tranche entamée de {step} min', receiptNumber: 'Reçu n°', duplicate: 'DUPLICATA', vatNumber: 'N° TVA', issued: 'Émis le', paidCash: 'Payé en espèces', paidCard: 'Payé par carte', tendered: 'Montant remis', change: 'Rendu', refundedCash: 'Remboursé en espèces', refundedCard: 'Remboursé sur la carte', paid: 'Total payé', due: 'Reste à payer', cardRef: 'Réf.', shiftReport: 'Rapport de caisse', clerk: 'Réceptionniste', tillOpened: 'Ouverture', tillClosed: 'Fermeture', closedBy: 'Fermée par', float: 'Fond de caisse', cashReceived: 'Espèces reçues', changeGiven: 'Monnaie rendue', cashRefunds: 'Remboursé en espèces', cardReceived: 'Payé par carte', cardRefunds: 'Remboursé sur carte', invoiced: 'Facturé aux sociétés', expected: 'Espèces attendues', counted: 'Espèces comptées', difference: 'Écart', reason: 'Raison', payments: 'Paiements', refunds: 'Remboursements', till: 'Caisse', invoicedTo: 'Facturé à la société', invoiceWithdrawn: 'Facture retirée', invoicedByNetwork: 'Facturé à la société par le réseau Escale' },
  nl: { receipt: 'Bezoekbewijs', excl: 'excl. btw', visitor: 'BEZOEKER', host: 'Gastheer', arrived: 'Aankomst', left: 'Vertrek', onSite: 'aanwezig', vat: 'btw', total: 'Totaal incl. btw', net: 'Totaal excl. btw', provisional: 'Voorlopig - gefactureerd door het Escale-netwerk', visit: 'Bezoek', test: 'Testpagina van de printer', printed: 'Afgedrukt op', voided: 'geannuleerd', date: 'Datum', welcome: 'Welkom in het Escale-netwerk', memberNumber: 'Uw lidnummer', yourBadge: 'Uw badge', qrBadge: 'Toon deze QR-code aan de lezer', signedUpAt: 'Ingeschreven op', termsAccepted: 'Voorwaarden aanvaard', privacyNotice: 'Privacyverklaring', awaitingNetwork: 'Het netwerk bevestigt uw inschrijving. U kunt hier nu al terecht.', everywhere: 'Dezelfde diensten in alle Escale-centra', perStarted: 'per begonnen {step} min', receiptNumber: 'Bon nr.', duplicate: 'DUPLICAAT', vatNumber: 'Btw-nr.', issued: 'Uitgereikt op', paidCash: 'Contant betaald', paidCard: 'Betaald met kaart', tendered: 'Ontvangen', change: 'Wisselgeld', refundedCash: 'Contant terugbetaald', refundedCard: 'Terugbetaald op kaart', paid: 'Totaal betaald', due: 'Nog te betalen', cardRef: 'Ref.', shiftReport: 'Kassarapport', clerk: 'Baliemedewerker', tillOpened: 'Geopend', tillClosed: 'Gesloten', closedBy: 'Gesloten door', float: 'Beginkas', cashReceived: 'Contant ontvangen', changeGiven: 'Wisselgeld teruggegeven', cashRefunds: 'Contant terugbetaald', cardReceived: 'Betaald met kaart', cardRefunds: 'Terugbetaald op kaart', invoiced: 'Gefactureerd aan bedrijven', expected: 'Verwacht contant', counted: 'Geteld contant', difference: 'Verschil', reason: 'Reden', payments: 'Betalingen', refunds: 'Terugbetalingen', till: 'Kassa', invoicedTo: 'Gefactureerd aan bedrijf', invoiceWithdrawn: 'Factuur ingetrokken', invoicedByNetwork: 'Door het Escale-netwerk gefactureerd aan het bedrijf' },
  en: { receipt: 'Visit receipt', excl: 'excl. VAT', visitor: 'VISITOR', host: 'Host', arrived: 'Arrived', left: 'Left', onSite: 'on site', vat: 'VAT', total: 'Total incl. VAT', net: 'Total excl. VAT', provisional: 'Provisional - billed by the Escale network', visit: 'Visit', test: 'Printer test page', printed: 'Printed', voided: 'voided', date: 'Date', welcome: 'Welcome to the Escale network', memberNumber: 'Your member number', yourBadge: 'Your badge', qrBadge: 'Show this QR code to the reader', signedUpAt: 'Signed up', termsAccepted: 'Terms accepted', privacyNotice: 'Privacy notice', awaitingNetwork: 'The network will confirm your sign-up. You are welcome here already.', everywhere: 'The same services in every Escale center', perStarted: 'per started {step} min', receiptNumber: 'Receipt no.', duplicate: 'DUPLICATE', vatNumber: 'VAT no.', issued: 'Issued', paidCash: 'Paid in cash', paidCard: 'Paid by card', tendered: 'Tendered', change: 'Change', refundedCash: 'Refunded in cash', refundedCard: 'Refunded to card', paid: 'Total paid', due: 'Still to pay', cardRef: 'Ref.', shiftReport: 'Till report', clerk: 'Clerk', tillOpened: 'Opened', tillClosed: 'Closed', closedBy: 'Closed by', float: 'Float', cashReceived: 'Cash received', changeGiven: 'Change given', cashRefunds: 'Refunded in cash', cardReceived: 'Paid by card', cardRefunds: 'Refunded to card', invoiced: 'Invoiced to companies', expected: 'Expected cash', counted: 'Counted cash', difference: 'Difference', reason: 'Reason', payments: 'Payments', refunds: 'Refunds', till: 'Till', invoicedTo: 'Invoiced to company', invoiceWithdrawn: 'Invoice withdrawn', invoicedByNetwork: 'Invoiced to the company by the Escale network' },
  de: { receipt: 'Besuchsbeleg', excl: 'ohne MwSt.', visitor: 'BESUCHER', host: 'Gastgeber', arrived: 'Ankunft', left: 'Abreise', onSite: 'anwesend', vat: 'MwSt.', total: 'Gesamt inkl. MwSt.', net: 'Gesamt ohne MwSt.', provisional: 'Vorläufig - abgerechnet vom Escale-Netzwerk', visit: 'Besuch', test: 'Testseite des Druckers', printed: 'Gedruckt am', voided: 'storniert', date: 'Datum', welcome: 'Willkommen im Escale-Netzwerk', memberNumber: 'Ihre Mitgliedsnummer', yourBadge: 'Ihr Ausweis', qrBadge: 'Zeigen Sie diesen QR-Code dem Leser', signedUpAt: 'Angemeldet am', termsAccepted: 'Bedingungen akzeptiert', privacyNotice: 'Datenschutzhinweis', awaitingNetwork: 'Das Netzwerk bestätigt Ihre Anmeldung. Sie sind hier schon willkommen.', everywhere: 'Dieselben Leistungen in allen Escale-Zentren', perStarted: 'je angefangene {step} Min.', receiptNumber: 'Beleg-Nr.', duplicate: 'DUPLIKAT', vatNumber: 'USt-IdNr.', issued: 'Ausgestellt am', paidCash: 'Bar bezahlt', paidCard: 'Mit Karte bezahlt', tendered: 'Gegeben', change: 'Rückgeld', refundedCash: 'Bar erstattet', refundedCard: 'Auf Karte erstattet', paid: 'Gesamt bezahlt', due: 'Noch zu zahlen', cardRef: 'Ref.', shiftReport: 'Kassenbericht', clerk: 'Mitarbeiter/in', tillOpened: 'Geöffnet', tillClosed: 'Geschlossen', closedBy: 'Geschlossen von', float: 'Anfangsbestand', cashReceived: 'Bar erhalten', changeGiven: 'Rückgeld gegeben', cashRefunds: 'Bar erstattet', cardReceived: 'Mit Karte bezahlt', cardRefunds: 'Auf Karte erstattet', invoiced: 'An Firmen fakturiert', expected: 'Erwartetes Bargeld', counted: 'Gezähltes Bargeld', difference: 'Differenz', reason: 'Grund', payments: 'Zahlungen', refunds: 'Erstattungen', till: 'Kasse', invoicedTo: 'In Rechnung an Firma', invoiceWithdrawn: 'Rechnung storniert', invoicedByNetwork: 'Der Firma vom Escale-Netzwerk in Rechnung gestellt' },
} as const satisfies Record<Language, Record<string, string>>;

export const labels = (language: Language) => LABELS[language];

const LOCALES: Record<Language, string> = { fr: 'fr-BE', nl: 'nl-BE', en: 'en-GB', de: 'de-BE' };
export const localeOf = (language: Language): string => LOCALES[language];

const moneyFormats = new Map<Language, Intl.NumberFormat>();

/** Euros as printed on a receipt: "12,50 EUR" (the € sign is not in every printer code page). */
export function money(cents: number, language: Language): string {
  let f = moneyFormats.get(language);
  if (!f) moneyFormats.set(language, (f = new Intl.NumberFormat(localeOf(language), { minimumFractionDigits: 2, maximumFractionDigits: 2 })));
  return `${f.format(cents / 100).replace(/\u202f|\u00a0/g, ' ')} EUR`;
}

/** "2 h 15 x 5,00/h" for time (as on screen), "3 x 2,00" for items: quantity and unit price excluding VAT. */
export function quantityAndPrice(line: Pick<ReceiptLine, 'unit' | 'billedQuantity' | 'unitPriceCents'>, language: Language): string {
  const price = money(line.unitPriceCents, language).replace(' EUR', '');
  if (line.unit !== 'hour') return `${line.billedQuantity} x ${price}`;
  return `${hoursAndMinutes(line.billedQuantity, language)} x ${price}/${hourWord(language)}`;
}

/** An hourly line's billing rule, under it: "par tranche entamée de 15 min". */
export function billedPer(line: Pick<ReceiptLine, 'unit' | 'billingIncrementMinutes'>, language: Language): string | undefined {
  if (line.unit !== 'hour' || !line.billingIncrementMinutes) return undefined;
  return LABELS[language].perStarted.replace('{step}', String(line.billingIncrementMinutes));
}

export const when = (iso: string, timeZone: string, language: Language): string => formatLocal(iso, timeZone, localeOf(language));

export const stars = (n: number): string => '*'.repeat(n);

/** The centre's address as printed: street, then postal code and city (the country when not Belgium). */
export function addressLines(address: NonNullable<ReceiptLegal['address']>): string[] {
  return [address.street, `${address.postalCode} ${address.city}${address.country === 'BE' ? '' : ` (${address.country})`}`];
}
