// The admin page's language: its four catalogues (messages/, English the reference), the words of
// one language (t for a sentence, tp for a counted one), and the formats of its locale — money
// through common/money.ts, dates in the network's time zone, hours one way ("1 h 30").
import { createContext, useContext } from 'react';
import { LANGUAGES, type Language } from '../../../common/reference-data.js';
import { formatMoney, formatRateBp } from '../../../common/money.js';
import { en } from './messages/en.js';
import { fr } from './messages/fr.js';
import { nl } from './messages/nl.js';
import { de } from './messages/de.js';

export type AdminMessages = Record<keyof typeof en, string>;
export type Key = keyof typeof en;
/** The sentences said by count: "lines" for lines_one / lines_other. */
type Counted<K> = K extends `${infer Base}_one` ? Base : never;
export type CountedKey = Counted<Key>;

const CATALOGUE: Record<Language, AdminMessages> = { en, fr, nl, de };
export const LOCALES: Record<Language, string> = { fr: 'fr-BE', nl: 'nl-BE', en: 'en-GB', de: 'de-BE' };
export const LANGUAGE_NAMES: Record<Language, string> = { fr: 'Français', nl: 'Nederlands', en: 'English', de: 'Deutsch' };
/** The network's time zone: the admin page speaks for the whole network, not one site. */
export const TIME_ZONE = 'Europe/Brussels';

const LANGUAGE_KEY = 'escale.admin.language';

/** The operator's language: the one they chose here, else their browser's, else French. */
export function initialLanguage(): Language {
  const isLanguage = (l: string | null | undefined): l is Language => !!l && (LANGUAGES as readonly string[]).includes(l);
  const kept = localStorage.getItem(LANGUAGE_KEY);
  if (isLanguage(kept)) return kept;
  const browser = navigator.language?.slice(0, 2).toLowerCase();
  return isLanguage(browser) ? browser : 'fr';
}

/** Kept only once the operator picks one: an untouched page leaves nothing behind. */
export const keepLanguage = (language: Language) => localStorage.setItem(LANGUAGE_KEY, language);

type Values = Record<string, string | number>;

export interface Words {
  language: Language;
  /** Whether the catalogue has `key` (for words chosen by a code the hub sends). */
  has(key: string): key is Key;
  /** A language's own name in this language: "French", "Frans", "français". */
  languageName(l: Language): string;
  t(key: Key, values?: Values): string;
  /** A counted sentence in the language's plural form for `count` ({count} formatted). */
  tp(key: CountedKey, count: number, values?: Values): string;
  number(n: number): string;
  money(cents: number): string;
  rate(bp: number): string;
  /** An instant, in the network's time zone: "12 Oct 2026, 09:00". */
  when(iso: string | undefined): string;
  /** A local day (YYYY-MM-DD) as the language writes it. */
  day(localDate: string): string;
  /** A month (YYYY-MM): "October 2026", "octobre 2026". */
  month(period: string): string;
  /** Minutes as hours and minutes: "25 h 00", "0 h 25". */
  hours(minutes: number): string;
}

export function wordsOf(language: Language): Words {
  const locale = LOCALES[language];
  const say = (text: string, values: Values) => text.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
  const plurals = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  const instants = new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, dateStyle: 'medium', timeStyle: 'short' });
  const days = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', dateStyle: 'medium' });
  const months = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'long', year: 'numeric' });
  const words: Words = {
    language,
    has: (key): key is Key => Object.hasOwn(en, key),
    languageName: (l) => new Intl.DisplayNames(locale, { type: 'language' }).of(l) ?? l,
    t: (key, values = {}) => say(CATALOGUE[language][key], values),
    tp: (key, count, values = {}) => {
      const form = plurals.select(count) === 'one' ? 'one' : 'other';
      return say(CATALOGUE[language][`${key}_${form}` as Key], { ...values, count: numbers.format(count) });
    },
    number: (n) => numbers.format(n),
    money: (cents) => formatMoney(cents, language),
    rate: (bp) => formatRateBp(bp, language),
    when: (iso) => (iso ? instants.format(new Date(iso)) : '—'),
    day: (localDate) => (/^\d{4}-\d{2}-\d{2}$/.test(localDate) ? days.format(new Date(`${localDate}T00:00:00Z`)) : localDate),
    month: (period) => (/^\d{4}-\d{2}$/.test(period) ? months.format(new Date(`${period}-01T00:00:00Z`)) : period),
    hours: (minutes) => {
      const abs = Math.abs(minutes);
      return (minutes < 0 ? '-' : '') + words.t('hoursMinutes', { h: numbers.format(Math.floor(abs / 60)), m: String(abs % 60).padStart(2, '0') });
    },
  };
  return words;
}

export const WordsContext = createContext<Words>(wordsOf('fr'));
export const useWords = () => useContext(WordsContext);
