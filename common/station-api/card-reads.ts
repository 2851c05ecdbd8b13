// A card read for a form: while a reception form waits for a card (sign-up, assign a badge), the
// desk reader's reads go to that form — filled with the card's number and whose card it already
// is — and never to the tap. The claim is the clerk's session's (the station's access gate holds
// it), renewed while the form is open and gone when it expires, is released or the session ends.
// Each method: who may call it (common/station-access.ts) and its input's schema; below, what it answers.
import { z } from 'zod';
import { uuid } from './fields.js';
import type { PersonRef } from './types.js';
import type { MethodSpec } from './method.js';

/** How long a claim holds without being renewed: a closed tab gives the reader back to the tap soon. */
export const CARD_READ_CLAIM_MS = 60_000;

export const cardReadsMethods = {
  /** Claims the desk readers' next reads for this window's form (or renews `claimId`). */
  claimCardRead: {
    role: 'desk',
    input: z.object({ claimId: uuid.optional() }),
  },
  releaseCardRead: {
    role: 'desk',
    input: z.object({ claimId: uuid }),
  },
  /** Whose card a badge number is, if anyone's here. */
  cardOwner: {
    role: 'desk',
    input: z.object({ uid: z.string().max(64) }),
  },
} as const satisfies Record<string, MethodSpec>;

export interface CardOwner {
  uid: string;
  owner?: { person: PersonRef; badgeStatus: 'active' | 'lost' | 'revoked' };
}

export interface CardReadsOutputs {
  claimCardRead: { claimId: string; until: string };
  releaseCardRead: { released: boolean };
  cardOwner: CardOwner;
}
