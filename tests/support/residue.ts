// Looks for personal data in the raw bytes of every file in some folders (databases, -wal, -shm,
// backups, logs), as `strings` would: each word as UTF-8, in any ASCII case, and folded as the
// search keys fold it (accents off, lower case). What "erased means erased" is checked against.
import fs from 'node:fs';
import path from 'node:path';
import { foldText } from '../../common/text-fold.js';

/** Bytes as a string, one character per byte, with A–Z lowered: a case-insensitive byte search. */
const lowerBytes = (bytes: Buffer): string => bytes.toString('latin1').replace(/[A-Z]+/g, (s) => s.toLowerCase());

/** The forms a word may be stored in: as typed, all lower or upper case, folded; each as its UTF-8 bytes. */
function forms(word: string): string[] {
  const variants = new Set([word, word.toLowerCase(), word.toUpperCase(), foldText(word)]);
  return [...variants].map((v) => lowerBytes(Buffer.from(v, 'utf8')));
}

/** Every regular file under `folder`, recursively. */
export function filesUnder(folder: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const p = path.join(folder, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(p));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

/** Each (file, word) where the file's bytes hold the word in one of its forms. */
export function residue(folders: readonly string[], words: readonly string[]): { file: string; word: string }[] {
  const found: { file: string; word: string }[] = [];
  for (const file of folders.flatMap(filesUnder)) {
    const bytes = lowerBytes(fs.readFileSync(file));
    for (const word of words) if (forms(word).some((f) => bytes.includes(f))) found.push({ file, word });
  }
  return found;
}

/** The words found nowhere in these folders. */
export function missing(folders: readonly string[], words: readonly string[]): string[] {
  const found = new Set(residue(folders, words).map((r) => r.word));
  return words.filter((w) => !found.has(w));
}
