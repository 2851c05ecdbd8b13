// The reception's words in the four languages: every key of the English reference exists in
// French, Dutch and German, is a non-empty string, keeps the reference's {placeholders}, and no
// language has a key the reference lacks. And both ways with the code: every key the reception's
// code asks for is in the reference, every key of the reference is used somewhere.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_LANGUAGES, catalogueProblems, loadCatalogue, windowSources, type Catalogue } from '../support/catalogues.js';

const DIR = path.resolve('renderer/src/reception');
const messages = (language: string): Promise<Catalogue> => loadCatalogue(DIR, language);

describe('reception messages', () => {
  it('has every key of the English reference, non-empty and with the same placeholders, in French, Dutch and German', async () => {
    const en = await messages('en');
    expect(Object.keys(en).length).toBeGreaterThan(100);
    const problems = catalogueProblems(en, Object.fromEntries(await Promise.all(CATALOGUE_LANGUAGES.map(async (l) => [l, await messages(l)] as const))));
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
    const code = windowSources(DIR).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    const asked = new Set([...code.matchAll(/\bt\(\s*'(\w+)'/g)].map((m) => m[1]!));
    expect([...asked].filter((k) => !(k in en))).toEqual([]);
    const unused = Object.keys(en).filter((k) => !code.includes(`'${k}'`));
    expect(unused).toEqual([]);
  });
});
