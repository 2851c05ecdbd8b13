// The reception's words in the four languages: every key of the English reference exists in
// French, Dutch and German, is a non-empty string, keeps the reference's {placeholders}, and no
// language has a key the reference lacks. And both ways with the code: every key the reception's
// code asks for is in the reference, every key of the reference is used somewhere.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIR = path.resolve('renderer/src/reception');
const LANGUAGES = ['en', 'fr', 'nl', 'de'] as const;

async function messages(language: string): Promise<Record<string, unknown>> {
  // Imported by path: the renderer is its own TypeScript project (DOM, no Node types).
  const module = (await import(pathToFileURL(path.join(DIR, 'messages', `${language}.ts`)).href)) as Record<string, Record<string, unknown>>;
  const m = module[language];
  expect(m, `messages/${language}.ts exports "${language}"`).toBeTypeOf('object');
  return m!;
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'messages' ? [] : sources(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

describe('reception messages', () => {
  it('has every key of the English reference, non-empty and with the same placeholders, in French, Dutch and German', async () => {
    const en = await messages('en');
    expect(Object.keys(en).length).toBeGreaterThan(100);
    const problems: string[] = [];
    for (const language of LANGUAGES) {
      const m = await messages(language);
      for (const [key, reference] of Object.entries(en)) {
        const value = m[key];
        if (typeof value !== 'string') problems.push(`${language}.${key} is missing`);
        else if (value.trim() === '') problems.push(`${language}.${key} is empty`);
        else if (placeholders(value).join() !== placeholders(String(reference)).join())
          problems.push(`${language}.${key} has {${placeholders(value).join('}, {')}} where English has {${placeholders(String(reference)).join('}, {')}}`);
      }
      for (const key of Object.keys(m)) if (!(key in en)) problems.push(`${language}.${key} is not in the English reference`);
    }
    expect(problems).toEqual([]);
  });

  it('translates: French, Dutch and German are not English left as it was', async () => {
    const en = await messages('en');
    for (const language of ['fr', 'nl', 'de']) {
      const m = await messages(language);
      const same = Object.keys(en).filter((k) => m[k] === en[k] && /[a-z]{4,}/i.test(String(en[k])));
      // Some words are the same in both languages (Total, Service, Badge, Port, Mode…): not one in ten.
      expect(same.length, `${language}: ${same.join(', ')}`).toBeLessThan(Object.keys(en).length / 10);
    }
  });

  it('holds every key the code asks for, and the code uses every key', async () => {
    const en = await messages('en');
    const code = sources(DIR).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const asked = new Set([...code.matchAll(/\bt\(\s*'(\w+)'/g)].map((m) => m[1]!));
    expect([...asked].filter((k) => !(k in en))).toEqual([]);
    const unused = Object.keys(en).filter((k) => !code.includes(`'${k}'`));
    expect(unused).toEqual([]);
  });
});
