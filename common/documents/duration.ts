// A duration as every screen and paper writes it, in the reader's language: "1 h 30", "1 u 30",
// "1 Std. 30" — one way for the reception, the kiosk and the receipts.
import type { Language } from '../reference-data.js';

const HOUR_WORD: Record<Language, string> = { fr: 'h', nl: 'u', en: 'h', de: 'Std.' };

// After a price the short unit is usual ("5,00/h", "5,00/u"), German included.
const PER_HOUR: Record<Language, string> = { fr: 'h', nl: 'u', en: 'h', de: 'h' };

/** The unit after a price per hour. */
export const hourWord = (language: Language): string => PER_HOUR[language];

/** Minutes as hours and minutes; a negative duration (a voided line) keeps its sign. */
export function hoursAndMinutes(minutes: number, language: Language): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : ''}${Math.floor(abs / 60)} ${HOUR_WORD[language]} ${String(abs % 60).padStart(2, '0')}`;
}
