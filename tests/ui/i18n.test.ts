// Every string of the app in the four languages: for each window's catalogue (kiosk, reception,
// and the messages both share), every key of the English reference exists in French, Dutch and
// German, is not empty, and keeps the reference's {placeholders}. A missing key fails here even
// where a cast got it past the type checker.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const LANGUAGES = ['en', 'fr', 'nl', 'de'] as const;
const SRC = path.resolve('renderer/src');

/** Every messages/ folder of the renderer: shared/, kiosk/ (both required), and any other window's. */
function catalogues(): string[] {
  const found = fs
    .readdirSync(SRC, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(SRC, d.name, 'messages')))
    .map((d) => d.name);
  return [...new Set(['shared', 'kiosk', ...found])].sort();
}

async function load(window: string, language: string): Promise<Record<string, unknown>> {
  const file = path.join(SRC, window, 'messages', `${language}.ts`);
  expect(fs.existsSync(file), `${window}: messages/${language}.ts is missing`).toBe(true);
  // Not a static import: the renderer is its own TypeScript project (DOM, no Node).
  const module = (await import(pathToFileURL(file).href)) as Record<string, Record<string, unknown>>;
  const messages = module[language];
  expect(messages, `${window}/messages/${language}.ts exports no "${language}"`).toBeTypeOf('object');
  return messages!;
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** What is wrong with `byLanguage` against the English reference `en`: one line per problem. */
function problemsOf(en: Record<string, unknown>, byLanguage: Record<string, Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const [language, messages] of Object.entries(byLanguage)) {
    for (const key of Object.keys(en)) {
      const value = messages[key];
      if (typeof value !== 'string') problems.push(`${language}.${key} is missing`);
      else if (value.trim() === '') problems.push(`${language}.${key} is empty`);
      else if (JSON.stringify(placeholders(value)) !== JSON.stringify(placeholders(en[key] as string)))
        problems.push(`${language}.${key} has placeholders ${placeholders(value).join(',') || 'none'}, English has ${placeholders(en[key] as string).join(',') || 'none'}`);
    }
    for (const key of Object.keys(messages)) if (!(key in en)) problems.push(`${language}.${key} is not in the English reference`);
  }
  return problems;
}

describe('every string in the four languages', () => {
  it('finds the kiosk and shared catalogues', () => {
    expect(catalogues()).toEqual(expect.arrayContaining(['kiosk', 'shared']));
  });

  for (const window of catalogues()) {
    it(`${window}: every key of the English reference is in fr, nl and de, non-empty, with the same placeholders`, async () => {
      const en = await load(window, 'en');
      const keys = Object.keys(en);
      expect(keys.length).toBeGreaterThan(0);
      const byLanguage: Record<string, Record<string, unknown>> = {};
      for (const language of LANGUAGES) byLanguage[language] = await load(window, language);
      expect(problemsOf(en, byLanguage), `${window} messages`).toEqual([]);
    });
  }

  it('the check itself finds a missing, an empty, a stray key and a lost placeholder', () => {
    const en = { a: 'A {n}', b: 'B', c: 'C' };
    expect(problemsOf(en, { en, fr: { a: 'A', c: ' ', d: 'D' } })).toEqual([
      'fr.a has placeholders none, English has n',
      'fr.b is missing',
      'fr.c is empty',
      'fr.d is not in the English reference',
    ]);
  });
});
