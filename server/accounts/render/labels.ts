// The words of the accounts' documents in the network's four languages. A statement is written in
// its payer's language; the settlement and an evaluation in the language the operator asks for.
import { hoursAndMinutes } from '../../../common/documents/duration.js';
import type { Language } from '../../../common/reference-data.js';
import type { StatementLine } from '../../../common/accounts/reports.js';

export interface AccountLabels {
  locale: string;
  statement: string;
  settlement: string;
  evaluation: string;
  period: string;
  payer: string;
  vatNumber: string;
  statusTitle: string;
  status: { provisional: string; closed: string };
  coverageTitle: string;
  provisionalMark: string;
  provisionalNote: string;
  closedOn: string;
  lines: string;
  description: string;
  site: string;
  quantity: string;
  unitPrice: string;
  vatRate: string;
  net: string;
  vat: string;
  gross: string;
  vatSummary: string;
  totals: string;
  total: string;
  adjustments: string;
  adjusts: string;
  memberDetail: string;
  /** Under a member's detail: its VAT is each consumption's own; the statement's, per rate, is billed. */
  memberVatNote: string;
  member: string;
  date: string;
  service: string;
  coverage: { payg: string; pass: string; quota: string };
  covered: string;
  kinds: Record<StatementLine['kind'], string>;
  page: (n: number, of: number) => string;
  noLines: string;
  // Settlement
  networkFee: string;
  commission: string;
  payg: string;
  passHours: string;
  quotaHours: string;
  passShare: string;
  quotaShare: string;
  grossDue: string;
  due: string;
  payout: string;
  network: string;
  billedNet: string;
  passRevenue: string;
  quotaRevenue: string;
  fees: string;
  commissions: string;
  undistributed: string;
  retained: string;
  cases: string;
  overlaps: string;
  rejected: string;
  quarantined: string;
  priceDifferences: string;
  // Evaluation
  from: string;
  until: string;
  membership: string;
  trialUntil: string;
  visits: string;
  memberVisits: string;
  guestVisits: string;
  distinctMembers: string;
  roamingShare: string;
  hostedHours: string;
  revenueNet: string;
  openingHours: string;
  staffedHours: string;
  staffedShare: string;
  autoClosedVisits: string;
  sync: string;
  streams: string;
  lastSeen: string;
  watermark: string;
  epochChanges: string;
  clockSkewAlerts: string;
  devices: string;
  printJobsFailed: string;
  readerFaults: string;
  printerFaults: string;
  /** Minutes devices were down (periods that ended in the range). */
  downTime: string;
  reportedSince: string;
  /** Month table: reader and printer faults. */
  deviceFaults: string;
  notReported: string;
  byMonth: string;
  month: string;
  // Issue 16, the desks' cash side (hub part)
  /** Settlement: net a center collected at its own desk (cash and card, less refunds). */
  deskNet: string;
  /** Network total of it. */
  deskCollected: string;
  tills: string;
  tillsClosed: string;
  tillsWithDifference: string;
  tillShortfall: string;
  tillSurplus: string;
  // Issue 16, members' prepayments at the desks (i16-prepaid)
  /** Statement: the heading of what was paid at the desks, its total, and what is left to pay. */
  paidAtDesk: string;
  paidAtDeskTotal: string;
  payable: string;
  /** Settlement: members' payments a center holds for the network (off its payout, no fee). */
  heldForNetwork: string;
}

const en: AccountLabels = {
  locale: 'en-IE',
  statusTitle: 'Status',
  coverageTitle: 'Paid by',
  statement: 'Statement',
  settlement: 'Settlement with the centers',
  evaluation: 'Site evaluation',
  period: 'Period',
  payer: 'Payer',
  vatNumber: 'VAT number',
  status: { provisional: 'provisional', closed: 'closed' },
  provisionalMark: 'PROVISIONAL',
  provisionalNote: 'Provisional: the period is not closed yet; amounts may still change.',
  closedOn: 'Closed on',
  lines: 'Lines',
  description: 'Description',
  site: 'Site',
  quantity: 'Quantity',
  unitPrice: 'Unit price',
  vatRate: 'VAT rate',
  net: 'Net',
  vat: 'VAT',
  gross: 'Gross',
  vatSummary: 'VAT summary',
  totals: 'Totals',
  total: 'Total',
  adjustments: 'Adjustments to closed periods',
  adjusts: 'corrects',
  memberDetail: 'Detail per member',
  memberVatNote: 'VAT here is each consumption’s own, rounded; the VAT billed is the statement’s, worked out per rate on its total.',
  member: 'Member',
  date: 'Date',
  service: 'Service',
  coverage: { payg: 'pay as you go', pass: 'pass', quota: 'prepaid hours' },
  covered: 'covered',
  kinds: { pass_fee: 'Pass', quota_package: 'Prepaid hours', usage: 'Usage', adjustment: 'Adjustment' },
  page: (n, of) => `Page ${n} of ${of}`,
  noLines: 'Nothing to bill for this period.',
  networkFee: 'Network fee',
  commission: 'Agent commission',
  payg: 'Pay as you go',
  passHours: 'Pass hours',
  quotaHours: 'Quota hours',
  passShare: 'Pass share',
  quotaShare: 'Quota share',
  grossDue: 'Gross due',
  due: 'Due',
  payout: 'Payout',
  network: 'Network',
  billedNet: 'Billed (net)',
  passRevenue: 'Pass revenue',
  quotaRevenue: 'Quota revenue',
  fees: 'Network fees',
  commissions: 'Commissions',
  undistributed: 'Undistributed',
  retained: 'Retained by the network',
  cases: 'Cases',
  overlaps: 'Overlapping visits',
  rejected: 'Rejected events',
  quarantined: 'Quarantined events',
  priceDifferences: 'Price differences',
  from: 'From',
  until: 'Until',
  membership: 'Membership',
  trialUntil: 'Trial until',
  visits: 'Visits',
  memberVisits: 'Member visits',
  guestVisits: 'Guest visits',
  distinctMembers: 'Distinct members',
  roamingShare: 'Roaming members',
  hostedHours: 'Hours hosted',
  revenueNet: 'Revenue (net)',
  openingHours: 'Opening hours',
  staffedHours: 'Staffed reception hours',
  staffedShare: 'Staffed share',
  autoClosedVisits: 'Visits closed automatically',
  sync: 'Synchronisation',
  streams: 'Streams',
  lastSeen: 'Last seen',
  watermark: 'Complete up to',
  epochChanges: 'Database restores',
  clockSkewAlerts: 'Clock alerts',
  devices: 'Devices',
  printJobsFailed: 'Failed print jobs',
  readerFaults: 'Reader faults',
  printerFaults: 'Printer faults',
  downTime: 'Devices down',
  reportedSince: 'Reported since',
  deviceFaults: 'Device faults',
  notReported: 'not reported',
  byMonth: 'By month',
  month: 'Month',
  // Issue 16, the desks' cash side (hub part)
  deskNet: 'Collected at desk',
  deskCollected: 'Collected at the centers\' desks (net)',
  tills: 'Tills',
  tillsClosed: 'Tills closed',
  tillsWithDifference: 'Tills with a difference',
  tillShortfall: 'Cash short',
  tillSurplus: 'Cash over',
  // Issue 16, members' prepayments at the desks (i16-prepaid)
  paidAtDesk: 'Paid at the desks',
  paidAtDeskTotal: 'Paid at the desks',
  payable: 'Left to pay',
  heldForNetwork: 'Held for the network (members\' payments at the desk)',
};

const fr: AccountLabels = {
  locale: 'fr-BE',
  statusTitle: 'Statut',
  coverageTitle: 'Payé par',
  statement: 'Relevé',
  settlement: 'Décompte avec les centres',
  evaluation: 'Évaluation du centre',
  period: 'Période',
  payer: 'Payeur',
  vatNumber: 'N° TVA',
  status: { provisional: 'provisoire', closed: 'clôturé' },
  provisionalMark: 'PROVISOIRE',
  provisionalNote: 'Provisoire : la période n’est pas encore clôturée ; les montants peuvent encore changer.',
  closedOn: 'Clôturé le',
  lines: 'Lignes',
  description: 'Description',
  site: 'Centre',
  quantity: 'Quantité',
  unitPrice: 'Prix unitaire',
  vatRate: 'Taux TVA',
  net: 'HTVA',
  vat: 'TVA',
  gross: 'TVAC',
  vatSummary: 'Récapitulatif TVA',
  totals: 'Totaux',
  total: 'Total',
  adjustments: 'Régularisations de périodes clôturées',
  adjusts: 'corrige',
  memberDetail: 'Détail par membre',
  memberVatNote: 'La TVA est ici celle de chaque consommation, arrondie ; la TVA facturée est celle du relevé, calculée par taux sur son total.',
  member: 'Membre',
  date: 'Date',
  service: 'Service',
  coverage: { payg: 'à l’usage', pass: 'pass', quota: 'heures prépayées' },
  covered: 'couvert',
  kinds: { pass_fee: 'Pass', quota_package: 'Heures prépayées', usage: 'Consommation', adjustment: 'Régularisation' },
  page: (n, of) => `Page ${n} sur ${of}`,
  noLines: 'Rien à facturer pour cette période.',
  networkFee: 'Frais de réseau',
  commission: 'Commission d’agent',
  payg: 'À l’usage',
  passHours: 'Heures pass',
  quotaHours: 'Heures prépayées',
  passShare: 'Part pass',
  quotaShare: 'Part prépayée',
  grossDue: 'Dû brut',
  due: 'Dû',
  payout: 'Versement',
  network: 'Réseau',
  billedNet: 'Facturé (HTVA)',
  passRevenue: 'Recettes pass',
  quotaRevenue: 'Recettes prépayées',
  fees: 'Frais de réseau',
  commissions: 'Commissions',
  undistributed: 'Non réparti',
  retained: 'Retenu par le réseau',
  cases: 'Dossiers',
  overlaps: 'Visites simultanées',
  rejected: 'Événements refusés',
  quarantined: 'Événements en quarantaine',
  priceDifferences: 'Écarts de prix',
  from: 'Du',
  until: 'Au',
  membership: 'Adhésion',
  trialUntil: 'Essai jusqu’au',
  visits: 'Visites',
  memberVisits: 'Visites de membres',
  guestVisits: 'Visites d’invités',
  distinctMembers: 'Membres distincts',
  roamingShare: 'Membres d’autres centres',
  hostedHours: 'Heures accueillies',
  revenueNet: 'Chiffre d’affaires (HTVA)',
  openingHours: 'Heures d’ouverture',
  staffedHours: 'Heures d’accueil assuré',
  staffedShare: 'Part d’accueil assuré',
  autoClosedVisits: 'Visites clôturées automatiquement',
  sync: 'Synchronisation',
  streams: 'Flux',
  lastSeen: 'Dernier contact',
  watermark: 'Complet jusqu’au',
  epochChanges: 'Restaurations de base',
  clockSkewAlerts: 'Alertes d’horloge',
  devices: 'Périphériques',
  printJobsFailed: 'Impressions échouées',
  readerFaults: 'Pannes de lecteur',
  printerFaults: 'Pannes d’imprimante',
  downTime: 'Durée des pannes',
  reportedSince: 'Communiqué depuis le',
  deviceFaults: 'Pannes',
  notReported: 'non communiqué',
  byMonth: 'Par mois',
  month: 'Mois',
  // Issue 16, the desks' cash side (hub part)
  deskNet: 'Encaissé au comptoir',
  deskCollected: 'Encaissé aux comptoirs des centres (HTVA)',
  tills: 'Caisses',
  tillsClosed: 'Caisses clôturées',
  tillsWithDifference: 'Caisses avec un écart',
  tillShortfall: 'Manquants',
  tillSurplus: 'Excédents',
  // Issue 16, members' prepayments at the desks (i16-prepaid)
  paidAtDesk: 'Payé aux comptoirs',
  paidAtDeskTotal: 'Déjà payé aux comptoirs',
  payable: 'Reste à payer',
  heldForNetwork: 'Détenu pour le réseau (paiements de membres au comptoir)',
};

const nl: AccountLabels = {
  locale: 'nl-BE',
  statusTitle: 'Status',
  coverageTitle: 'Betaald via',
  statement: 'Afrekening',
  settlement: 'Verrekening met de centra',
  evaluation: 'Evaluatie van het centrum',
  period: 'Periode',
  payer: 'Betaler',
  vatNumber: 'Btw-nummer',
  status: { provisional: 'voorlopig', closed: 'afgesloten' },
  provisionalMark: 'VOORLOPIG',
  provisionalNote: 'Voorlopig: de periode is nog niet afgesloten; bedragen kunnen nog wijzigen.',
  closedOn: 'Afgesloten op',
  lines: 'Regels',
  description: 'Omschrijving',
  site: 'Centrum',
  quantity: 'Aantal',
  unitPrice: 'Eenheidsprijs',
  vatRate: 'Btw-tarief',
  net: 'Excl. btw',
  vat: 'Btw',
  gross: 'Incl. btw',
  vatSummary: 'Btw-overzicht',
  totals: 'Totalen',
  total: 'Totaal',
  adjustments: 'Correcties op afgesloten periodes',
  adjusts: 'corrigeert',
  memberDetail: 'Detail per lid',
  memberVatNote: 'De btw is hier die van elk verbruik, afgerond; de aangerekende btw is die van het overzicht, per tarief op het totaal berekend.',
  member: 'Lid',
  date: 'Datum',
  service: 'Dienst',
  coverage: { payg: 'volgens gebruik', pass: 'pas', quota: 'vooruitbetaalde uren' },
  covered: 'gedekt',
  kinds: { pass_fee: 'Pas', quota_package: 'Vooruitbetaalde uren', usage: 'Verbruik', adjustment: 'Correctie' },
  page: (n, of) => `Pagina ${n} van ${of}`,
  noLines: 'Niets te factureren voor deze periode.',
  networkFee: 'Netwerkvergoeding',
  commission: 'Agentcommissie',
  payg: 'Volgens gebruik',
  passHours: 'Pasuren',
  quotaHours: 'Quotumuren',
  passShare: 'Aandeel pas',
  quotaShare: 'Aandeel quotum',
  grossDue: 'Bruto verschuldigd',
  due: 'Verschuldigd',
  payout: 'Uitbetaling',
  network: 'Netwerk',
  billedNet: 'Gefactureerd (excl. btw)',
  passRevenue: 'Pasinkomsten',
  quotaRevenue: 'Quotuminkomsten',
  fees: 'Netwerkvergoedingen',
  commissions: 'Commissies',
  undistributed: 'Niet verdeeld',
  retained: 'Behouden door het netwerk',
  cases: 'Dossiers',
  overlaps: 'Overlappende bezoeken',
  rejected: 'Geweigerde gebeurtenissen',
  quarantined: 'Gebeurtenissen in quarantaine',
  priceDifferences: 'Prijsverschillen',
  from: 'Van',
  until: 'Tot',
  membership: 'Lidmaatschap',
  trialUntil: 'Proef tot',
  visits: 'Bezoeken',
  memberVisits: 'Bezoeken van leden',
  guestVisits: 'Bezoeken van gasten',
  distinctMembers: 'Verschillende leden',
  roamingShare: 'Leden van andere centra',
  hostedHours: 'Ontvangen uren',
  revenueNet: 'Omzet (excl. btw)',
  openingHours: 'Openingsuren',
  staffedHours: 'Uren met onthaal',
  staffedShare: 'Aandeel met onthaal',
  autoClosedVisits: 'Automatisch afgesloten bezoeken',
  sync: 'Synchronisatie',
  streams: 'Stromen',
  lastSeen: 'Laatst gezien',
  watermark: 'Volledig tot',
  epochChanges: 'Databaseherstellingen',
  clockSkewAlerts: 'Klokwaarschuwingen',
  devices: 'Apparaten',
  printJobsFailed: 'Mislukte afdrukken',
  readerFaults: 'Lezerstoringen',
  printerFaults: 'Printerstoringen',
  downTime: 'Duur van de storingen',
  reportedSince: 'Gemeld sinds',
  deviceFaults: 'Storingen',
  notReported: 'niet gemeld',
  byMonth: 'Per maand',
  month: 'Maand',
  // Issue 16, the desks' cash side (hub part)
  deskNet: 'Ontvangen aan de balie',
  deskCollected: 'Ontvangen aan de balies van de centra (excl. btw)',
  tills: 'Kassa\'s',
  tillsClosed: 'Afgesloten kassa\'s',
  tillsWithDifference: 'Kassa\'s met een verschil',
  tillShortfall: 'Kastekorten',
  tillSurplus: 'Kasoverschotten',
  // Issue 16, members' prepayments at the desks (i16-prepaid)
  paidAtDesk: 'Betaald aan de balies',
  paidAtDeskTotal: 'Al betaald aan de balies',
  payable: 'Nog te betalen',
  heldForNetwork: 'Bewaard voor het netwerk (betalingen van leden aan de balie)',
};

const de: AccountLabels = {
  locale: 'de-BE',
  statusTitle: 'Status',
  coverageTitle: 'Bezahlt über',
  statement: 'Abrechnung',
  settlement: 'Abrechnung mit den Zentren',
  evaluation: 'Bewertung des Zentrums',
  period: 'Zeitraum',
  payer: 'Zahler',
  vatNumber: 'USt-IdNr.',
  status: { provisional: 'vorläufig', closed: 'abgeschlossen' },
  provisionalMark: 'VORLÄUFIG',
  provisionalNote: 'Vorläufig: Der Zeitraum ist noch nicht abgeschlossen; Beträge können sich noch ändern.',
  closedOn: 'Abgeschlossen am',
  lines: 'Posten',
  description: 'Beschreibung',
  site: 'Zentrum',
  quantity: 'Menge',
  unitPrice: 'Einzelpreis',
  vatRate: 'MwSt.-Satz',
  net: 'Netto',
  vat: 'MwSt.',
  gross: 'Brutto',
  vatSummary: 'MwSt.-Übersicht',
  totals: 'Summen',
  total: 'Summe',
  adjustments: 'Korrekturen abgeschlossener Zeiträume',
  adjusts: 'korrigiert',
  memberDetail: 'Einzelheiten je Mitglied',
  memberVatNote: 'Die MwSt. ist hier die jedes Verbrauchs, gerundet; berechnet wird die MwSt. der Abrechnung, je Satz auf ihre Summe.',
  member: 'Mitglied',
  date: 'Datum',
  service: 'Leistung',
  coverage: { payg: 'nach Verbrauch', pass: 'Pass', quota: 'vorausbezahlte Stunden' },
  covered: 'abgedeckt',
  kinds: { pass_fee: 'Pass', quota_package: 'Vorausbezahlte Stunden', usage: 'Verbrauch', adjustment: 'Korrektur' },
  page: (n, of) => `Seite ${n} von ${of}`,
  noLines: 'Für diesen Zeitraum ist nichts abzurechnen.',
  networkFee: 'Netzwerkgebühr',
  commission: 'Vermittlungsprovision',
  payg: 'Nach Verbrauch',
  passHours: 'Pass-Stunden',
  quotaHours: 'Kontingentstunden',
  passShare: 'Pass-Anteil',
  quotaShare: 'Kontingentanteil',
  grossDue: 'Brutto geschuldet',
  due: 'Geschuldet',
  payout: 'Auszahlung',
  network: 'Netzwerk',
  billedNet: 'Berechnet (netto)',
  passRevenue: 'Pass-Einnahmen',
  quotaRevenue: 'Kontingenteinnahmen',
  fees: 'Netzwerkgebühren',
  commissions: 'Provisionen',
  undistributed: 'Nicht verteilt',
  retained: 'Beim Netzwerk verbleibend',
  cases: 'Fälle',
  overlaps: 'Überlappende Besuche',
  rejected: 'Abgelehnte Ereignisse',
  quarantined: 'Ereignisse in Quarantäne',
  priceDifferences: 'Preisabweichungen',
  from: 'Von',
  until: 'Bis',
  membership: 'Mitgliedschaft',
  trialUntil: 'Probezeit bis',
  visits: 'Besuche',
  memberVisits: 'Besuche von Mitgliedern',
  guestVisits: 'Besuche von Gästen',
  distinctMembers: 'Verschiedene Mitglieder',
  roamingShare: 'Mitglieder anderer Zentren',
  hostedHours: 'Beherbergte Stunden',
  revenueNet: 'Umsatz (netto)',
  openingHours: 'Öffnungsstunden',
  staffedHours: 'Stunden mit Empfang',
  staffedShare: 'Anteil mit Empfang',
  autoClosedVisits: 'Automatisch beendete Besuche',
  sync: 'Synchronisierung',
  streams: 'Datenströme',
  lastSeen: 'Zuletzt gesehen',
  watermark: 'Vollständig bis',
  epochChanges: 'Datenbank-Wiederherstellungen',
  clockSkewAlerts: 'Uhrzeitwarnungen',
  devices: 'Geräte',
  printJobsFailed: 'Fehlgeschlagene Druckaufträge',
  readerFaults: 'Leserstörungen',
  printerFaults: 'Druckerstörungen',
  downTime: 'Ausfallzeit der Geräte',
  reportedSince: 'Gemeldet seit',
  deviceFaults: 'Störungen',
  notReported: 'nicht gemeldet',
  byMonth: 'Nach Monat',
  month: 'Monat',
  // Issue 16, the desks' cash side (hub part)
  deskNet: 'Am Empfang kassiert',
  deskCollected: 'An den Empfängen der Zentren kassiert (netto)',
  tills: 'Kassen',
  tillsClosed: 'Abgeschlossene Kassen',
  tillsWithDifference: 'Kassen mit Differenz',
  tillShortfall: 'Kassenfehlbeträge',
  tillSurplus: 'Kassenüberschüsse',
  // Issue 16, members' prepayments at the desks (i16-prepaid)
  paidAtDesk: 'Am Empfang bezahlt',
  paidAtDeskTotal: 'Bereits am Empfang bezahlt',
  payable: 'Noch zu zahlen',
  heldForNetwork: 'Für das Netzwerk verwahrt (Zahlungen von Mitgliedern am Empfang)',
};

export const ACCOUNT_LABELS: Record<Language, AccountLabels> = { en, fr, nl, de };

// Made once per language: building an Intl formatter costs more than formatting with it, and a
// month of documents formats thousands of dates.
const monthFormats = new Map<Language, Intl.DateTimeFormat>();
const dayFormats = new Map<Language, Intl.DateTimeFormat>();

/** "2026-03" → "March 2026" / "mars 2026" / "maart 2026" / "März 2026". */
export function formatPeriod(period: string, language: Language): string {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (!m) return period;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
  let f = monthFormats.get(language);
  if (!f) monthFormats.set(language, (f = new Intl.DateTimeFormat(ACCOUNT_LABELS[language].locale, { month: 'long', year: 'numeric', timeZone: 'UTC' })));
  return f.format(date);
}

/** An ISO date or instant as a day in the document's language (Brussels time). */
export function formatDay(iso: string, language: Language): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let f = dayFormats.get(language);
  if (!f) dayFormats.set(language, (f = new Intl.DateTimeFormat(ACCOUNT_LABELS[language].locale, { dateStyle: 'medium', timeZone: 'Europe/Brussels' })));
  return f.format(date);
}

/** Minutes as hours and minutes, as the stations write them: 150 → "2 h 30" ("2 u 30", "2 Std. 30"). */
export function formatMinutes(minutes: number, language: Language): string {
  return hoursAndMinutes(minutes, language);
}

const MINUTE_UNITS = new Set(['min', 'minute', 'minutes']);

/** A line's quantity in its unit: minutes as hours, anything else as the count and its unit. */
export function formatQuantity(quantity: number, unit: string, language: Language): string {
  if (MINUTE_UNITS.has(unit)) return formatMinutes(quantity, language);
  return `${new Intl.NumberFormat(ACCOUNT_LABELS[language].locale).format(quantity)} ${unit}`;
}
