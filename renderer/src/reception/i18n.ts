// The reception's words: one catalogue per language in messages/, English the reference. The
// clerk's language is chosen in the header (FR by default) and kept on this computer.
import { createContext, useContext, useMemo } from 'react';
import type { Language } from '../../../common/reference-data.js';
import { LANGUAGES, clock, duration, localeOf, money, translator, type Catalogue } from '../shared/i18n.js';
import { en } from './messages/en.js';
import { fr } from './messages/fr.js';
import { nl } from './messages/nl.js';
import { de } from './messages/de.js';

export type ReceptionKey = keyof typeof en;
export const RECEPTION_MESSAGES: Catalogue<typeof en> = { en, fr, nl, de };
export const rt = translator(RECEPTION_MESSAGES);

export const LanguageContext = createContext<Language>('fr');
/** Ends the reception's success notice (an error is shown now); nothing outside the reception. */
export const DismissNoticeContext = createContext<() => void>(() => undefined);

const STORAGE_KEY = 'escale.reception.language';
export function storedLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored && (LANGUAGES as string[]).includes(stored)) return stored as Language;
  } catch {
    // Storage may be unavailable: the default language then.
  }
  return 'fr';
}
export function storeLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not kept: chosen again next time.
  }
}

export interface Words {
  (key: ReceptionKey, values?: Record<string, string | number>): string;
  language: Language;
  money(cents: number): string;
  /** HH:MM in the site's time zone. */
  time(iso: string, timeZone: string): string;
  /** Date and time in the site's time zone. */
  dateTime(iso: string, timeZone: string): string;
  /** A local day (YYYY-MM-DD) as the clerk writes it. */
  day(date: string): string;
  duration(minutes: number): string;
  number(n: number): string;
}

export function wordsFor(language: Language): Words {
  const t = ((key: ReceptionKey, values?: Record<string, string | number>) => rt(language, key, values)) as Words;
  t.language = language;
  t.money = (cents) => money(cents, language);
  t.time = (iso, timeZone) => clock(iso, timeZone, language);
  t.dateTime = (iso, timeZone) =>
    new Intl.DateTimeFormat(localeOf(language), { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
  t.day = (date) => new Intl.DateTimeFormat(localeOf(language), { timeZone: 'UTC', dateStyle: 'full' }).format(new Date(`${date}T12:00:00Z`));
  t.duration = (minutes) => duration(minutes, language);
  t.number = (n) => new Intl.NumberFormat(localeOf(language)).format(n);
  return t;
}

export function useT(): Words {
  const language = useContext(LanguageContext);
  return useMemo(() => wordsFor(language), [language]);
}
