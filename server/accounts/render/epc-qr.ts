// The EPC credit-transfer QR code on an invoice (EPC069-12, "Quick Response Code: guidelines to
// enable data capture for the initiation of a SEPA credit transfer", version 002): a payer's
// banking app scans it and fills in the beneficiary, the IBAN, the amount and the reference.
import QRCode from 'qrcode';
import { centsToDecimal } from '../../../common/money.js';

export interface EpcTransfer {
  /** Optional in version 002 inside the EEA; written when known. */
  bic?: string;
  /** The beneficiary: at most 70 characters. */
  name: string;
  iban: string;
  /** EUR 0.01 to 999,999,999.99. */
  amountCents: number;
  /**
   * The structured remittance field (at most 35 characters). A Belgian invoice puts its structured
   * communication's 12 digits there, without the +++ and slashes that are only its printed form:
   * Belgian banking apps read the digits back as the structured communication.
   */
  creditorReference: string;
}

/** The largest payload a reader must accept (EPC069-12, 331 bytes). */
export const EPC_MAX_BYTES = 331;

/**
 * The QR's text, one element a line in the spec's order, LF between them: service tag BCD, version
 * 002, character set 1 (UTF-8), identification SCT, BIC, name, IBAN, amount (EUR and a decimal
 * point), purpose (empty), structured reference. The unstructured remittance and the note to the
 * payer are left out: the last element written ends the text, as the spec allows.
 */
export function epcPayload(t: EpcTransfer): string {
  const name = [...t.name.replace(/[\r\n]+/g, ' ').trim()].slice(0, 70).join('');
  const iban = t.iban.replace(/\s/g, '').toUpperCase();
  const bic = (t.bic ?? '').replace(/\s/g, '').toUpperCase();
  if (!Number.isSafeInteger(t.amountCents) || t.amountCents < 1 || t.amountCents > 99_999_999_999)
    throw new RangeError(`an EPC transfer is for EUR 0.01 to 999999999.99, not ${t.amountCents} cents`);
  if (!/^[A-Z0-9]{1,35}$/.test(t.creditorReference)) throw new RangeError('an EPC creditor reference is at most 35 letters and digits');
  if (name === '') throw new RangeError("an EPC transfer names its beneficiary");
  const payload = ['BCD', '002', '1', 'SCT', bic, name, iban, `EUR${centsToDecimal(t.amountCents)}`, '', t.creditorReference].join('\n');
  if (Buffer.byteLength(payload, 'utf8') > EPC_MAX_BYTES) throw new RangeError(`an EPC payload is at most ${EPC_MAX_BYTES} bytes`);
  return payload;
}

/** Error correction M, as EPC069-12 requires; the same text always gives the same modules. */
export const EPC_QR_OPTIONS = { errorCorrectionLevel: 'M' } as const;

/** Pixels per module of the PNG drawn into the PDF, and its quiet zone in modules. */
export const EPC_QR_SCALE = 8;
export const EPC_QR_MARGIN = 4;

/**
 * The QR code as a PNG, black modules on white with its quiet zone, in grey levels without alpha
 * (pngjs' colour type 0): one image in the PDF, no soft mask. The same text gives the same bytes.
 */
export function epcQrPng(payload: string): Promise<Buffer> {
  const rendererOpts = { colorType: 0 } as QRCode.QRCodeToBufferOptions['rendererOpts'];
  return QRCode.toBuffer(payload, { ...EPC_QR_OPTIONS, type: 'png', scale: EPC_QR_SCALE, margin: EPC_QR_MARGIN, color: { dark: '#000000', light: '#ffffff' }, rendererOpts });
}
