// The words an invoice carries besides the statement's own (FR/NL/EN/DE, the buyer's language): why
// a line has an allowance or a charge, why a 0 % line carries no VAT, and how to pay.
import type { Language } from '../../../common/reference-data.js';

export interface InvoiceWords {
  coveredPass: string;
  coveredQuota: string;
  /** A line whose net is not its quantity times its price: the daily cap, or lines rounded one by one. */
  capOrRounding: string;
  vatExempt: string;
  /** Payment terms: the due date and the structured communication to give. */
  payBy: (dueDate: string, communication: string, iban: string) => string;
  refund: (communication: string) => string;
  attachment: string;
  /** Payment terms of an invoice paid whole at the desks, and of a credit note refunded whole there. */
  paidAtDesks: (communication: string) => string;
  refundedAtDesks: (communication: string) => string;
}

export const INVOICE_WORDS: Record<Language, InvoiceWords> = {
  fr: {
    coveredPass: "Couvert par l'abonnement",
    coveredQuota: 'Sur le forfait d’heures prépayées',
    capOrRounding: 'Plafond journalier ou arrondi',
    vatExempt: 'Exonéré de TVA',
    payBy: (d, c, iban) => `À payer au plus tard le ${d} sur le compte ${iban} avec la communication structurée ${c}.`,
    refund: (c) => `Note de crédit ${c} : le montant est remboursé ou déduit de la prochaine facture.`,
    attachment: 'Facture au format PDF',
    paidAtDesks: (c) => `Facture ${c} : rien à payer, le montant a été réglé aux comptoirs des centres.`,
    refundedAtDesks: (c) => `Note de crédit ${c} : rien à rembourser, le montant a été remboursé aux comptoirs des centres.`,
  },
  nl: {
    coveredPass: 'Gedekt door het abonnement',
    coveredQuota: 'Op het pakket vooruitbetaalde uren',
    capOrRounding: 'Dagplafond of afronding',
    vatExempt: 'Vrijgesteld van btw',
    payBy: (d, c, iban) => `Te betalen uiterlijk op ${d} op rekening ${iban} met de gestructureerde mededeling ${c}.`,
    refund: (c) => `Creditnota ${c}: het bedrag wordt terugbetaald of van de volgende factuur afgetrokken.`,
    attachment: 'Factuur in PDF',
    paidAtDesks: (c) => `Factuur ${c}: niets te betalen, het bedrag werd aan de balies van de centra betaald.`,
    refundedAtDesks: (c) => `Creditnota ${c}: niets terug te betalen, het bedrag werd aan de balies van de centra terugbetaald.`,
  },
  en: {
    coveredPass: 'Covered by the pass',
    coveredQuota: 'On the prepaid hours',
    capOrRounding: 'Daily cap or rounding',
    vatExempt: 'Exempt from VAT',
    payBy: (d, c, iban) => `Payable by ${d} to account ${iban} with the structured communication ${c}.`,
    refund: (c) => `Credit note ${c}: the amount is refunded or deducted from the next invoice.`,
    attachment: 'Invoice as PDF',
    paidAtDesks: (c) => `Invoice ${c}: nothing to pay, the amount was paid at the centres’ desks.`,
    refundedAtDesks: (c) => `Credit note ${c}: nothing to refund, the amount was refunded at the centres’ desks.`,
  },
  de: {
    coveredPass: 'Durch das Abonnement gedeckt',
    coveredQuota: 'Aus dem Paket vorausbezahlter Stunden',
    capOrRounding: 'Tagesobergrenze oder Rundung',
    vatExempt: 'Von der Mehrwertsteuer befreit',
    payBy: (d, c, iban) => `Zahlbar bis zum ${d} auf das Konto ${iban} mit der strukturierten Mitteilung ${c}.`,
    refund: (c) => `Gutschrift ${c}: Der Betrag wird erstattet oder von der nächsten Rechnung abgezogen.`,
    attachment: 'Rechnung als PDF',
    paidAtDesks: (c) => `Rechnung ${c}: nichts zu zahlen, der Betrag wurde am Empfang der Zentren bezahlt.`,
    refundedAtDesks: (c) => `Gutschrift ${c}: nichts zu erstatten, der Betrag wurde am Empfang der Zentren erstattet.`,
  },
};
