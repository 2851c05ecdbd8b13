// Why an eID could not be read, in the clerk's words: one message key per problem the PC/SC
// reader reports (common/readers/apdu.ts), so a new problem cannot go unsaid (the type says so).
import type { CardProblem } from '../../../common/readers/apdu.js';
import type { ReceptionKey } from './i18n.js';

export const EID_PROBLEM_KEYS: Record<CardProblem, ReceptionKey> = {
  card_removed: 'eidProblem_card_removed',
  not_eid: 'eidProblem_not_eid',
  card_refused: 'eidProblem_card_refused',
  malformed: 'eidProblem_malformed',
  unsupported_card: 'eidProblem_unsupported_card',
  reader_error: 'eidProblem_reader_error',
};
