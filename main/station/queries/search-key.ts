// One folding for what is stored and what is searched: lower case, accents removed, so "Émile"
// is found by "emile" and "Van de Velde" by "van de velde".
export const searchKey = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

/** A LIKE pattern matching `text` anywhere, with the user's % _ and \ taken literally. */
export const likeContains = (text: string): string => `%${searchKey(text).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
