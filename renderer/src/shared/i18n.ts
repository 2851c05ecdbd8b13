// The four languages of the network. Each window keeps its own messages (kiosk/messages,
// reception/messages) in one file per language; English is the reference: every key it has must
// exist in French, Dutch and German (the Messages type says so, and a test checks it at run time).
import type { Language } from '../../../common/reference-data.js';
import { hoursAndMinutes } from '../../../common/documents/duration.js';
import { en } from './messages/en.js';
import { fr } from './messages/fr.js';
import { nl } from './messages/nl.js';
import { de } from './messages/de.js';

export type MessagesOf<Reference> = Record<keyof Reference, string>;
export type Catalogue<Reference> = Record<Language, MessagesOf<Reference>>;

/** A translator over one window's catalogue: t(language, key, {placeholders}). */
export function translator<Reference>(catalogue: Catalogue<Reference>) {
  return (language: Language, key: keyof Reference, values: Record<string, string | number> = {}): string =>
    catalogue[language][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

/** Messages both windows use. */
export type Messages = MessagesOf<typeof en>;
export const SHARED_MESSAGES: Catalogue<typeof en> = { en, fr, nl, de };
export const t = translator(SHARED_MESSAGES);

export const LANGUAGES: Language[] = ['fr', 'nl', 'en', 'de'];
export const LANGUAGE_NAMES: Record<Language, string> = { fr: 'Français', nl: 'Nederlands', en: 'English', de: 'Deutsch' };

const LOCALES: Record<Language, string> = { fr: 'fr-BE', nl: 'nl-BE', en: 'en-GB', de: 'de-BE' };
export const localeOf = (language: Language) => LOCALES[language];

export function money(cents: number, language: Language): string {
  return new Intl.NumberFormat(localeOf(language), { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

export function clock(iso: string, timeZone: string, language: Language): string {
  return new Intl.DateTimeFormat(localeOf(language), { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** "1 h 30" (the same words as the receipts: common/documents/duration.ts). */
export function duration(minutes: number, language: Language): string {
  return hoursAndMinutes(minutes, language);
}

/** When a closed site opens again: its weekday and time ("mardi 08:00"), in the site's time zone. */
export function weekdayClock(iso: string, timeZone: string, language: Language): string {
  return new Intl.DateTimeFormat(localeOf(language), { timeZone, weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}
