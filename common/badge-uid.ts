// One badge number, one spelling, on every side (readers, station, hub, imports, migrations).
//
// The canonical form is the number trimmed and in ASCII upper case — hex UIDs as readers have
// always written them by default ("00137542AB"), and printed QR/barcode codes too ("ESC-QR-M0010"):
// a scanner typing with Caps Lock on, or a reader configured for lower case, must still find the
// badge, so case never tells two badges apart. The network therefore never issues two printed
// codes that differ only in case. Nothing else is rewritten here (separators, leading zeros, byte
// order): those are each reader's normalisation (readers/uid.ts), applied before a number leaves
// the reader, because only the reader's configuration knows them.

/** The canonical spelling of a badge number: trimmed, ASCII letters in upper case. Total and idempotent. */
export function canonicalBadgeUid(raw: string): string {
  return raw.trim().replace(/[a-z]+/g, (s) => s.toUpperCase());
}
