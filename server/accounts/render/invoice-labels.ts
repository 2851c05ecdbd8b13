// The words of an invoice and a credit note in the buyer's language (issue 17). English is the
// reference; the type makes every word exist in all four. Belgian usage: "Facture" / "Factuur" /
// "Rechnung", "Note de crédit" / "Creditnota" / "Gutschrift", "Communication structurée" /
// "Gestructureerde mededeling" / "Strukturierte Mitteilung".
import type { Language } from '../../../common/reference-data.js';
import type { VatCategory } from '../../../common/accounts/invoices.js';

export interface InvoiceLabels {
  /** Intl locale of dates and numbers. */
  locale: string;
  invoice: string;
  creditNote: string;
  number: string;
  issueDate: string;
  dueDate: string;
  period: string;
  seller: string;
  buyer: string;
  enterpriseNumber: string;
  vatNumber: string;
  peppolId: string;
  email: string;
  lines: string;
  description: string;
  site: string;
  quantity: string;
  unitPrice: string;
  vatRate: string;
  net: string;
  vatBreakdown: string;
  category: string;
  categories: Record<VatCategory, string>;
  taxable: string;
  vat: string;
  totalNet: string;
  totalVat: string;
  totalGross: string;
  payable: string;
  /** Paid at a centre's desk by the payer's members (issue 16), taken off the amount due. */
  prepaid: string;
  credited: string;
  payment: string;
  payBy: (amount: string, date: string) => string;
  beneficiary: string;
  iban: string;
  bic: string;
  structuredCommunication: string;
  scanToPay: string;
  corrects: (number: string, date: string) => string;
  nothingToPay: string;
  /** An invoice whose amount was all paid at the centres' desks (issue 16's prepayments). */
  paidAtDesks: string;
  /** A credit note's amount the desks already handed back (a refund at a desk for what it gives back). */
  refundedAtDesks: string;
  /** An invoice's negative paid amount: a desk refunded a payment no document gives back, so it is due again. */
  refundedDueAgain: string;
  /** A credit note's amount once the desks' refunds are taken off. */
  creditLeft: string;
  /** A credit note the desks refunded whole. */
  refundedAtDesksAll: string;
  /** Paid at the desks beyond the invoice's amount, kept for the next one. */
  keptForNext: (amount: string) => string;
  quoteReference: string;
  /** "correction of November 2026" after an adjustment line. */
  adjusts: (month: string) => string;
  /** What makes a line's amount less (a daily cap, hours a pass covered) or more than quantity × unit price. */
  allowance: string;
  charge: string;
  months: (n: number) => string;
  perMonth: string;
  perHour: string;
  page: (n: number, of: number) => string;
}

const en: InvoiceLabels = {
  locale: 'en-IE',
  invoice: 'Invoice',
  creditNote: 'Credit note',
  number: 'Number',
  issueDate: 'Issue date',
  dueDate: 'Due date',
  period: 'Period',
  seller: 'From',
  buyer: 'Bill to',
  enterpriseNumber: 'Enterprise no.',
  vatNumber: 'VAT no.',
  peppolId: 'Peppol ID',
  email: 'E-mail',
  lines: 'Lines',
  description: 'Description',
  site: 'Centre',
  quantity: 'Quantity',
  unitPrice: 'Unit price',
  vatRate: 'VAT',
  net: 'Amount excl. VAT',
  vatBreakdown: 'VAT breakdown',
  category: 'Category',
  categories: { S: 'standard rate', Z: 'zero rate', E: 'exempt', AE: 'reverse charge' },
  taxable: 'Taxable amount',
  vat: 'VAT',
  totalNet: 'Total excl. VAT',
  totalVat: 'Total VAT',
  totalGross: 'Total incl. VAT',
  payable: 'Amount due',
  prepaid: 'Already paid at the desks',
  credited: 'Amount credited',
  payment: 'Payment',
  payBy: (amount, date) => `Please pay ${amount} by ${date}, quoting the structured communication.`,
  beneficiary: 'Beneficiary',
  iban: 'IBAN',
  bic: 'BIC',
  structuredCommunication: 'Structured communication',
  scanToPay: 'Scan with your banking app to pay',
  corrects: (number, date) => `This credit note corrects invoice ${number} of ${date}.`,
  nothingToPay: 'Nothing to pay: the amount is credited to your account.',
  paidAtDesks: 'Nothing left to pay: it was paid at the centres’ desks.',
  refundedAtDesks: 'Already refunded at the desks',
  refundedDueAgain: 'Refunded at the desks, due again',
  creditLeft: 'Left to credit',
  refundedAtDesksAll: 'Nothing left to credit: it was refunded at the centres’ desks.',
  keptForNext: (amount) => `${amount} more was paid at the desks: it will be taken off your next invoice.`,
  quoteReference: 'Reference',
  adjusts: (month) => `correction of ${month}`,
  allowance: 'Allowance',
  charge: 'Charge',
  months: (n) => (n === 1 ? '1 month' : `${n} months`),
  perMonth: 'month',
  perHour: 'h',
  page: (n, of) => `Page ${n} of ${of}`,
};

const fr: InvoiceLabels = {
  locale: 'fr-BE',
  invoice: 'Facture',
  creditNote: 'Note de crédit',
  number: 'Numéro',
  issueDate: "Date d'émission",
  dueDate: "Date d'échéance",
  period: 'Période',
  seller: 'Émise par',
  buyer: 'Facturé à',
  enterpriseNumber: "N° d'entreprise",
  vatNumber: 'N° TVA',
  peppolId: 'Identifiant Peppol',
  email: 'E-mail',
  lines: 'Lignes',
  description: 'Description',
  site: 'Centre',
  quantity: 'Quantité',
  unitPrice: 'Prix unitaire',
  vatRate: 'TVA',
  net: 'Montant HTVA',
  vatBreakdown: 'Détail de la TVA',
  category: 'Catégorie',
  categories: { S: 'taux normal', Z: 'taux zéro', E: 'exonéré', AE: 'autoliquidation' },
  taxable: 'Base imposable',
  vat: 'TVA',
  totalNet: 'Total HTVA',
  totalVat: 'Total TVA',
  totalGross: 'Total TVAC',
  payable: 'Montant à payer',
  prepaid: 'Déjà payé aux comptoirs',
  credited: 'Montant crédité',
  payment: 'Paiement',
  payBy: (amount, date) => `Merci de payer ${amount} au plus tard le ${date}, avec la communication structurée.`,
  beneficiary: 'Bénéficiaire',
  iban: 'IBAN',
  bic: 'BIC',
  structuredCommunication: 'Communication structurée',
  scanToPay: 'Scannez avec votre application bancaire pour payer',
  corrects: (number, date) => `Cette note de crédit corrige la facture ${number} du ${date}.`,
  nothingToPay: 'Rien à payer : le montant est crédité sur votre compte.',
  paidAtDesks: 'Plus rien à payer : le montant a été réglé aux comptoirs des centres.',
  refundedAtDesks: 'Déjà remboursé aux comptoirs',
  refundedDueAgain: 'Remboursé aux comptoirs, redû',
  creditLeft: 'Reste à créditer',
  refundedAtDesksAll: 'Plus rien à créditer : le montant a été remboursé aux comptoirs des centres.',
  keptForNext: (amount) => `${amount} de plus ont été payés aux comptoirs : ils seront déduits de votre prochaine facture.`,
  quoteReference: 'Référence',
  // "d'octobre", "d'août", "de novembre".
  adjusts: (month) => (/^[aeiouyàâéèêh]/i.test(month) ? `correction d'${month}` : `correction de ${month}`),
  allowance: 'Remise',
  charge: 'Supplément',
  months: (n) => `${n} mois`,
  perMonth: 'mois',
  perHour: 'h',
  page: (n, of) => `Page ${n} sur ${of}`,
};

const nl: InvoiceLabels = {
  locale: 'nl-BE',
  invoice: 'Factuur',
  creditNote: 'Creditnota',
  number: 'Nummer',
  issueDate: 'Datum',
  dueDate: 'Vervaldatum',
  period: 'Periode',
  seller: 'Uitgereikt door',
  buyer: 'Gefactureerd aan',
  enterpriseNumber: 'Ondernemingsnr.',
  vatNumber: 'Btw-nr.',
  peppolId: 'Peppol-ID',
  email: 'E-mail',
  lines: 'Regels',
  description: 'Omschrijving',
  site: 'Centrum',
  quantity: 'Hoeveelheid',
  unitPrice: 'Eenheidsprijs',
  vatRate: 'Btw',
  net: 'Bedrag excl. btw',
  vatBreakdown: 'Btw-overzicht',
  category: 'Categorie',
  categories: { S: 'normaal tarief', Z: 'nultarief', E: 'vrijgesteld', AE: 'verlegging' },
  taxable: 'Maatstaf van heffing',
  vat: 'Btw',
  totalNet: 'Totaal excl. btw',
  totalVat: 'Totaal btw',
  totalGross: 'Totaal incl. btw',
  payable: 'Te betalen',
  prepaid: 'Al betaald aan de balies',
  credited: 'Gecrediteerd bedrag',
  payment: 'Betaling',
  payBy: (amount, date) => `Gelieve ${amount} te betalen uiterlijk op ${date}, met de gestructureerde mededeling.`,
  beneficiary: 'Begunstigde',
  iban: 'IBAN',
  bic: 'BIC',
  structuredCommunication: 'Gestructureerde mededeling',
  scanToPay: 'Scan met uw bankapp om te betalen',
  corrects: (number, date) => `Deze creditnota corrigeert factuur ${number} van ${date}.`,
  nothingToPay: 'Niets te betalen: het bedrag wordt op uw rekening gecrediteerd.',
  paidAtDesks: 'Niets meer te betalen: het bedrag werd aan de balies van de centra betaald.',
  refundedAtDesks: 'Al terugbetaald aan de balies',
  refundedDueAgain: 'Terugbetaald, weer verschuldigd',
  creditLeft: 'Nog te crediteren',
  refundedAtDesksAll: 'Niets meer te crediteren: het bedrag werd aan de balies van de centra terugbetaald.',
  keptForNext: (amount) => `Er werd ${amount} meer betaald aan de balies: dat wordt van uw volgende factuur afgetrokken.`,
  quoteReference: 'Referentie',
  adjusts: (month) => `correctie van ${month}`,
  allowance: 'Korting',
  charge: 'Toeslag',
  months: (n) => (n === 1 ? '1 maand' : `${n} maanden`),
  perMonth: 'maand',
  perHour: 'u',
  page: (n, of) => `Pagina ${n} van ${of}`,
};

const de: InvoiceLabels = {
  locale: 'de-BE',
  invoice: 'Rechnung',
  creditNote: 'Gutschrift',
  number: 'Nummer',
  issueDate: 'Ausstellungsdatum',
  dueDate: 'Fällig am',
  period: 'Zeitraum',
  seller: 'Rechnungssteller',
  buyer: 'Rechnungsempfänger',
  enterpriseNumber: 'Unternehmensnr.',
  vatNumber: 'MwSt.-Nr.',
  peppolId: 'Peppol-ID',
  email: 'E-Mail',
  lines: 'Positionen',
  description: 'Beschreibung',
  site: 'Zentrum',
  quantity: 'Menge',
  unitPrice: 'Einzelpreis',
  vatRate: 'MwSt.',
  net: 'Betrag ohne MwSt.',
  vatBreakdown: 'MwSt.-Aufstellung',
  category: 'Kategorie',
  categories: { S: 'Normalsatz', Z: 'Nullsatz', E: 'befreit', AE: 'Steuerschuldnerschaft des Empfängers' },
  taxable: 'Bemessungsgrundlage',
  vat: 'MwSt.',
  totalNet: 'Gesamt ohne MwSt.',
  totalVat: 'MwSt. gesamt',
  totalGross: 'Gesamt inkl. MwSt.',
  payable: 'Zu zahlen',
  prepaid: 'Bereits am Empfang bezahlt',
  credited: 'Gutgeschriebener Betrag',
  payment: 'Zahlung',
  payBy: (amount, date) => `Bitte zahlen Sie ${amount} bis zum ${date} mit der strukturierten Mitteilung.`,
  beneficiary: 'Empfänger',
  iban: 'IBAN',
  bic: 'BIC',
  structuredCommunication: 'Strukturierte Mitteilung',
  scanToPay: 'Zum Bezahlen mit Ihrer Banking-App scannen',
  corrects: (number, date) => `Diese Gutschrift berichtigt die Rechnung ${number} vom ${date}.`,
  nothingToPay: 'Nichts zu zahlen: der Betrag wird Ihrem Konto gutgeschrieben.',
  paidAtDesks: 'Nichts mehr zu zahlen: der Betrag wurde am Empfang der Zentren bezahlt.',
  refundedAtDesks: 'Bereits am Empfang erstattet',
  refundedDueAgain: 'Erstattet, erneut fällig',
  creditLeft: 'Noch gutzuschreiben',
  refundedAtDesksAll: 'Nichts mehr gutzuschreiben: der Betrag wurde am Empfang der Zentren erstattet.',
  keptForNext: (amount) => `Am Empfang wurden ${amount} mehr bezahlt: Sie werden von Ihrer nächsten Rechnung abgezogen.`,
  quoteReference: 'Referenz',
  adjusts: (month) => `Berichtigung ${month}`,
  allowance: 'Nachlass',
  charge: 'Zuschlag',
  months: (n) => (n === 1 ? '1 Monat' : `${n} Monate`),
  perMonth: 'Monat',
  perHour: 'h',
  page: (n, of) => `Seite ${n} von ${of}`,
};

export const INVOICE_LABELS: Record<Language, InvoiceLabels> = { en, fr, nl, de };
