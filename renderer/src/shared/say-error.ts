// What went wrong, in the screen's language: the station's sentence when it gave one (a key and
// values), else what its code means. Never the English text, an id or a stack trace: those stay
// behind "details" (StationError.message and .detail). Amounts (values named …Cents) are written
// as every screen writes money ("1,51 €"), not as the command line and receipts do ("1,51 EUR").
import type { Language } from '../../../common/reference-data.js';
import type { StationError } from '../../../common/result.js';
import { isErrorKey, sayIn, type ErrorKey, type Say } from '../../../common/messages/errors/index.js';
import { money } from './i18n.js';

function onScreen(language: Language, say: Say): Say {
  if (!say.values) return say;
  const values = Object.fromEntries(Object.entries(say.values).map(([name, value]) => [name, name.endsWith('Cents') && typeof value === 'number' ? money(value, language) : value]));
  return { ...say, values };
}

export function sayError(language: Language, error: { code: string; say?: StationError['say'] }): string {
  if (error.say && isErrorKey(error.say.key)) return sayIn(language, onScreen(language, error.say));
  const byCode = `code_${error.code}`;
  return sayIn(language, { key: isErrorKey(byCode) ? byCode : ('code_INTERNAL' satisfies ErrorKey) });
}

/** The sentence for one field of a form, when the station named that field (path or its last part). */
export function sayFieldError(language: Language, error: StationError | undefined, ...fields: string[]): string | undefined {
  const problem = error?.fields?.find((p) => fields.some((f) => p.field === f || p.field.endsWith(`.${f}`)));
  return problem ? sayIn(language, onScreen(language, problem.say)) : undefined;
}
