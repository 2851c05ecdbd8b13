// The reception's search keys: one folding (common/text-fold.ts) for what is stored and what is
// searched, so "Émile" is found by "emile" and "Van de Velde" by "van de velde".
import { foldText as searchKey } from '../../../common/text-fold.js';

export { searchKey };

/** What a member is found by at the reception: names, e-mail and the name of whoever pays. */
export const memberSearchKey = (firstName: string, lastName: string, email: string, payerName: string): string =>
  searchKey(`${firstName} ${lastName} ${email} ${payerName}`);

/** A LIKE pattern matching `text` anywhere, with the user's % _ and \ taken literally. */
export const likeContains = (text: string): string => `%${searchKey(text).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
