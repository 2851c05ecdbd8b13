// An invoice or a credit note as UBL 2.1 in Peppol BIS Billing 3.0 (EN 16931): the network as the
// seller, the payer as the buyer (its Peppol id as its electronic address), credit transfer to the
// network's account with the structured communication, the PDF attached (Belgian receivers expect
// it), the VAT breakdown by rate and category, and the lines. Elements in the schema's order.
import type { InvoiceDocument, InvoiceLine, VatBreakdown } from '../../../common/accounts/invoices.js';
import type { BillingAddress } from '../../../common/signup.js';
import { centsToDecimal } from '../../../common/money.js';
import { lastDay } from '../period.js';
import { INVOICE_WORDS } from './labels.js';

export const PEPPOL_CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
export const PEPPOL_PROFILE_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

const escape = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

const amount = (tag: string, cents: number): string => `<cbc:${tag} currencyID="EUR">${centsToDecimal(cents)}</cbc:${tag}>`;
const percent = (bp: number): string => String(bp / 100);
const el = (tag: string, text: string, attrs = ''): string => `<cbc:${tag}${attrs}>${escape(text)}</cbc:${tag}>`;

function address(a: BillingAddress | undefined): string {
  // EN 16931 needs the country (BR-8, BR-10); a buyer without an address on file is Belgian.
  return [
    '<cac:PostalAddress>',
    a ? el('StreetName', a.street) : '',
    a ? el('CityName', a.city) : '',
    a ? el('PostalZone', a.postalCode) : '',
    `<cac:Country>${el('IdentificationCode', a?.country ?? 'BE')}</cac:Country>`,
    '</cac:PostalAddress>',
  ].join('');
}

const endpoint = (peppolId: string): string => {
  const [scheme, id] = peppolId.split(':') as [string, string];
  return el('EndpointID', id, ` schemeID="${escape(scheme)}"`);
};

/**
 * A VAT category. Only a breakdown's states an exemption (BT-120, BT-121: code before text, in the
 * schema's order); a line's category names its rate alone.
 */
function taxCategory(tag: 'TaxCategory' | 'ClassifiedTaxCategory', category: string, rateBp: number, exemption: Pick<VatBreakdown, 'exemptionReason' | 'exemptionReasonCode'> = {}): string {
  return [
    `<cac:${tag}>`,
    el('ID', category),
    el('Percent', percent(rateBp)),
    exemption.exemptionReasonCode ? el('TaxExemptionReasonCode', exemption.exemptionReasonCode) : '',
    exemption.exemptionReason ? el('TaxExemptionReason', exemption.exemptionReason) : '',
    '<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>',
    `</cac:${tag}>`,
  ].join('');
}

function seller(doc: InvoiceDocument): string {
  const s = doc.seller;
  return [
    '<cac:AccountingSupplierParty><cac:Party>',
    endpoint(s.peppolId),
    `<cac:PartyName>${el('Name', s.legalName)}</cac:PartyName>`,
    address(s.address),
    `<cac:PartyTaxScheme>${el('CompanyID', s.vatNumber)}<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>`,
    `<cac:PartyLegalEntity>${el('RegistrationName', s.legalName)}${el('CompanyID', s.enterpriseNumber, ' schemeID="0208"')}</cac:PartyLegalEntity>`,
    s.email ? `<cac:Contact>${el('ElectronicMail', s.email)}</cac:Contact>` : '',
    '</cac:Party></cac:AccountingSupplierParty>',
  ].join('');
}

function buyer(doc: InvoiceDocument): string {
  const b = doc.buyer;
  if (!b.peppolId) throw new RangeError(`${doc.number}: the buyer ${b.payerId} has no Peppol id; its documents are sent as PDF only`);
  return [
    '<cac:AccountingCustomerParty><cac:Party>',
    endpoint(b.peppolId),
    `<cac:PartyName>${el('Name', b.name)}</cac:PartyName>`,
    address(b.address),
    b.vatNumber ? `<cac:PartyTaxScheme>${el('CompanyID', b.vatNumber)}<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>` : '',
    `<cac:PartyLegalEntity>${el('RegistrationName', b.name)}${b.enterpriseNumber ? el('CompanyID', b.enterpriseNumber, ' schemeID="0208"') : ''}</cac:PartyLegalEntity>`,
    '</cac:Party></cac:AccountingCustomerParty>',
  ].join('');
}

function taxTotal(vat: readonly VatBreakdown[], totalCents: number): string {
  return [
    '<cac:TaxTotal>',
    amount('TaxAmount', totalCents),
    ...vat.map((v) =>
      ['<cac:TaxSubtotal>', amount('TaxableAmount', v.taxableCents), amount('TaxAmount', v.vatCents), taxCategory('TaxCategory', v.vatCategory, v.vatRateBp, v), '</cac:TaxSubtotal>'].join(''),
    ),
    '</cac:TaxTotal>',
  ].join('');
}

function line(doc: InvoiceDocument, l: InvoiceLine): string {
  const tag = doc.kind === 'invoice' ? 'InvoiceLine' : 'CreditNoteLine';
  const quantityTag = doc.kind === 'invoice' ? 'InvoicedQuantity' : 'CreditedQuantity';
  const allowanceCharge = (charge: boolean, cents: number) =>
    `<cac:AllowanceCharge><cbc:ChargeIndicator>${charge}</cbc:ChargeIndicator>${el('AllowanceChargeReason', l.allowanceChargeReason ?? '')}${amount('Amount', cents)}</cac:AllowanceCharge>`;
  return [
    `<cac:${tag}>`,
    el('ID', String(l.lineNo)),
    el(quantityTag, String(l.quantity), ` unitCode="${escape(l.unitCode)}"`),
    amount('LineExtensionAmount', l.netCents),
    l.adjustsPeriod ? `<cac:InvoicePeriod>${el('StartDate', `${l.adjustsPeriod}-01`)}${el('EndDate', lastDay(l.adjustsPeriod))}</cac:InvoicePeriod>` : '',
    l.allowanceCents ? allowanceCharge(false, l.allowanceCents) : '',
    l.chargeCents ? allowanceCharge(true, l.chargeCents) : '',
    '<cac:Item>',
    el('Name', l.description),
    l.serviceCode ? `<cac:SellersItemIdentification>${el('ID', l.serviceCode)}</cac:SellersItemIdentification>` : '',
    taxCategory('ClassifiedTaxCategory', l.vatCategory, l.vatRateBp),
    '</cac:Item>',
    `<cac:Price>${amount('PriceAmount', l.unitPriceCents)}${l.baseQuantity !== 1 ? el('BaseQuantity', String(l.baseQuantity), ` unitCode="${escape(l.unitCode)}"`) : ''}</cac:Price>`,
    `</cac:${tag}>`,
  ].join('');
}

const firstPeriod = (doc: InvoiceDocument): string => doc.lines.reduce((p, l) => (l.adjustsPeriod && l.adjustsPeriod < p ? l.adjustsPeriod : p), doc.period);

/** The UBL document, with `pdf` (the same document as PDF) attached. */
export function writeUbl(doc: InvoiceDocument, pdf: Buffer): string {
  const invoice = doc.kind === 'invoice';
  const root = invoice ? 'Invoice' : 'CreditNote';
  const words = INVOICE_WORDS[doc.buyer.language];
  // The terms say what the totals say: nothing to pay (or refund) once the desks settled it.
  const settled = doc.totals.prepaidCents !== undefined && doc.totals.payableCents === 0;
  const terms = invoice
    ? settled ? words.paidAtDesks(doc.structuredCommunication) : words.payBy(doc.dueDate, doc.structuredCommunication, doc.seller.iban)
    : settled ? words.refundedAtDesks(doc.structuredCommunication) : words.refund(doc.structuredCommunication);
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<${root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:${root}-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">`,
    el('CustomizationID', PEPPOL_CUSTOMIZATION_ID),
    el('ProfileID', PEPPOL_PROFILE_ID),
    el('ID', doc.number),
    el('IssueDate', doc.issueDate),
    invoice ? el('DueDate', doc.dueDate) : '',
    el(invoice ? 'InvoiceTypeCode' : 'CreditNoteTypeCode', invoice ? '380' : '381'),
    el('DocumentCurrencyCode', doc.currency),
    el('BuyerReference', doc.buyer.payerId),
    // From the earliest month a line adjusts (PEPPOL-EN16931-R110: a line's period lies within the document's).
    `<cac:InvoicePeriod>${el('StartDate', `${firstPeriod(doc)}-01`)}${el('EndDate', lastDay(doc.period))}</cac:InvoicePeriod>`,
    doc.corrects ? `<cac:BillingReference><cac:InvoiceDocumentReference>${el('ID', doc.corrects.number)}${el('IssueDate', doc.corrects.issueDate)}</cac:InvoiceDocumentReference></cac:BillingReference>` : '',
    '<cac:AdditionalDocumentReference>',
    el('ID', doc.number),
    el('DocumentDescription', words.attachment),
    `<cac:Attachment>${el('EmbeddedDocumentBinaryObject', pdf.toString('base64'), ` mimeCode="application/pdf" filename="${escape(doc.number)}.pdf"`)}</cac:Attachment>`,
    '</cac:AdditionalDocumentReference>',
    seller(doc),
    buyer(doc),
    '<cac:PaymentMeans>',
    el('PaymentMeansCode', '30', ' name="Credit transfer"'),
    el('PaymentID', doc.structuredCommunication),
    `<cac:PayeeFinancialAccount>${el('ID', doc.seller.iban)}${el('Name', doc.seller.legalName)}<cac:FinancialInstitutionBranch>${el('ID', doc.seller.bic)}</cac:FinancialInstitutionBranch></cac:PayeeFinancialAccount>`,
    '</cac:PaymentMeans>',
    `<cac:PaymentTerms>${el('Note', terms)}</cac:PaymentTerms>`,
    taxTotal(doc.vat, doc.totals.vatCents),
    '<cac:LegalMonetaryTotal>',
    amount('LineExtensionAmount', doc.totals.netCents),
    amount('TaxExclusiveAmount', doc.totals.netCents),
    amount('TaxInclusiveAmount', doc.totals.grossCents),
    doc.totals.prepaidCents ? amount('PrepaidAmount', doc.totals.prepaidCents) : '',
    amount('PayableAmount', doc.totals.payableCents),
    '</cac:LegalMonetaryTotal>',
    ...doc.lines.map((l) => line(doc, l)),
    `</${root}>\n`,
  ];
  return parts.join('');
}
