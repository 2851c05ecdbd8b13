// The words of what went wrong, in the four languages: the station words its errors with a key
// and values (StationError.say, and one per field in StationError.fields), each screen says them
// in its person's language. The English sentence travels too (StationError.message), for the
// command line, the logs and programs.
import { z } from 'zod';
import type { Language } from '../../reference-data.js';
import { money } from '../../documents/print-documents.js';
import { en } from './en.js';
import { fr } from './fr.js';
import { nl } from './nl.js';
import { de } from './de.js';

export type ErrorKey = keyof typeof en;
export type ErrorWords = Record<ErrorKey, string>;
export const ERROR_WORDS: Record<Language, ErrorWords> = { en, fr, nl, de };
export const ERROR_KEYS = Object.keys(en) as ErrorKey[];

/** A sentence by key, with the values its placeholders take. */
export interface Say {
  key: ErrorKey;
  values?: Record<string, string | number>;
}

export const saySchema = z.object({
  key: z.enum(ERROR_KEYS as [ErrorKey, ...ErrorKey[]]),
  values: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

export function isErrorKey(key: string): key is ErrorKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

/**
 * The sentence in `language`; a placeholder without a value is left out rather than shown raw. A
 * value named …Cents is an amount of money, written as the person writes it ("9,08 EUR", "9.08 EUR").
 */
export function sayIn(language: Language, say: Say): string {
  return ERROR_WORDS[language][say.key].replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = say.values?.[name];
    if (value === undefined) return '';
    return name.endsWith('Cents') && typeof value === 'number' ? money(value, language) : String(value);
  });
}
