// A form field's problem as a sentence key, from the zod issue the station's input schema raised:
// the schemas keep their English messages (for the command line), or name a key of the
// catalogue as their message, or in a refinement's params.say, where no zod code says it; the
// screens get these keys.
import type { z } from 'zod';
import { isErrorKey, type Say } from './index.js';

/** Fields whose "must be true" means a person must agree to something. */
const AGREEMENTS: Record<string, Say['key']> = { termsAccepted: 'termsRequired', privacyAccepted: 'privacyRequired', consent: 'consentRequired' };

export function sayIssue(issue: z.core.$ZodIssue): Say {
  const last = String(issue.path[issue.path.length - 1] ?? '');
  // A schema that names its sentence: its message is the key.
  if (isErrorKey(issue.message)) return { key: issue.message };
  // A refinement that names its sentence beside its English message (common/vat-number.ts).
  if (issue.code === 'custom' && isErrorKey(issue.params?.say)) return { key: issue.params.say };
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return { key: 'fieldWholeNumber' };
      return { key: 'fieldRequired' };
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') {
        if (last === 'reason') return { key: 'reasonRequired', values: { min } };
        return min <= 1 ? { key: 'fieldRequired' } : { key: 'fieldTooShort', values: { min } };
      }
      if (issue.origin === 'number' || issue.origin === 'int') return { key: 'numberAtLeast', values: { min } };
      return { key: 'fieldRequired' };
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return { key: 'fieldTooLong', values: { max } };
      if (issue.origin === 'number' || issue.origin === 'int') return { key: 'numberAtMost', values: { max } };
      return { key: 'fieldFormat' };
    }
    case 'invalid_format':
      if (issue.format === 'email') return { key: 'fieldEmail' };
      if (issue.format === 'regex' && /\\d\{4\}-\\d\{2\}-\\d\{2\}/.test(String(issue.pattern ?? ''))) return { key: 'fieldDate' };
      if (issue.format === 'regex' && String(issue.pattern ?? '').includes('\\p{Cc}')) return { key: 'fieldPrintable' };
      return { key: 'fieldFormat' };
    case 'invalid_value':
      return AGREEMENTS[last] ? { key: AGREEMENTS[last] } : { key: 'fieldChoice' };
    case 'invalid_union':
      return { key: 'fieldChoice' };
    default:
      return { key: 'fieldFormat' };
  }
}
