// The four languages of the network. English is the reference: every key it has must exist in
// French, Dutch and German (the type says so, and a test checks it at run time too).
import type { Language } from '../../../common/reference-data.js';
import { en } from './messages/en.js';
import { fr } from './messages/fr.js';
import { nl } from './messages/nl.js';
import { de } from './messages/de.js';

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

export const MESSAGES: Record<Language, Messages> = { en, fr, nl, de };
export const LANGUAGES: Language[] = ['fr', 'nl', 'en', 'de'];
export const LANGUAGE_NAMES: Record<Language, string> = { fr: 'Français', nl: 'Nederlands', en: 'English', de: 'Deutsch' };

/** A message with its {placeholders} filled. */
export function t(language: Language, key: MessageKey, values: Record<string, string | number> = {}): string {
  return MESSAGES[language][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
}

const LOCALES: Record<Language, string> = { fr: 'fr-BE', nl: 'nl-BE', en: 'en-GB', de: 'de-BE' };
export const localeOf = (language: Language) => LOCALES[language];

export function money(cents: number, language: Language): string {
  return new Intl.NumberFormat(localeOf(language), { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

export function clock(iso: string, timeZone: string, language: Language): string {
  return new Intl.DateTimeFormat(localeOf(language), { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

export function duration(minutes: number, language: Language): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return t(language, 'durationHm', { h, m: String(m).padStart(2, '0') });
}
