// The checks every window's message catalogues share (reception, admin page): loaded from their
// TypeScript files (each window is its own project, with DOM types, no Node types), compared with
// the English reference key by key, and the window's code read for the keys it asks for.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const CATALOGUE_LANGUAGES = ['en', 'fr', 'nl', 'de'] as const;
export type Catalogue = Record<string, string>;

/** `messages/<language>.ts` under `dir`, its export named after the language. */
export async function loadCatalogue(dir: string, language: string): Promise<Catalogue> {
  const module = (await import(pathToFileURL(path.join(dir, 'messages', `${language}.ts`)).href)) as Record<string, Catalogue>;
  const m = module[language];
  if (typeof m !== 'object' || m === null) throw new Error(`messages/${language}.ts does not export "${language}"`);
  return m;
}

export const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

/**
 * What is wrong with the catalogues against the English reference: a key missing or empty, other
 * placeholders than the reference's, a key the reference lacks.
 */
export function catalogueProblems(en: Catalogue, catalogues: Record<string, Catalogue>): string[] {
  const problems: string[] = [];
  for (const [language, m] of Object.entries(catalogues)) {
    for (const [key, reference] of Object.entries(en)) {
      const value = m[key];
      if (typeof value !== 'string') problems.push(`${language}.${key} is missing`);
      else if (value.trim() === '') problems.push(`${language}.${key} is empty`);
      else if (placeholders(value).join() !== placeholders(String(reference)).join())
        problems.push(`${language}.${key} has {${placeholders(value).join('}, {')}} where English has {${placeholders(String(reference)).join('}, {')}}`);
    }
    for (const key of Object.keys(m)) if (!(key in en)) problems.push(`${language}.${key} is not in the English reference`);
  }
  return problems;
}

/** The window's source files (its catalogues left out). */
export function windowSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'messages' ? [] : windowSources(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}
