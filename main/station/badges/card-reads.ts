// The station's side of a card read claimed by a form: whose card a badge number is. The claim
// itself is the access gate's (access/gate.ts): it belongs to a clerk's session, which only the gate
// knows; called past the gate (the command line), claiming has no window to send reads to.
import type { CardReadsOutputs } from '../../../common/station-api/card-reads.js';
import { sql } from '../context.js';
import { StationFailure } from '../errors.js';
import type { HandlerDeps, HandlersOf } from '../handlers.js';
import { memberRef } from '../visits/read.js';
import { checkedBadgeUid } from './badge-uid.js';

const noWindow = (): never => {
  throw new StationFailure('REFUSED', 'Only a reception window can wait for a card on the desk reader.');
};

export function cardReadsHandlers({ ctx }: HandlerDeps): HandlersOf<CardReadsOutputs> {
  return {
    claimCardRead: noWindow,
    releaseCardRead: noWindow,
    cardOwner: ({ uid: raw }) => {
      const uid = checkedBadgeUid(raw);
      const badge = sql(ctx.db, 'SELECT member_id, status FROM badge WHERE uid = ?').get(uid) as { member_id: string; status: 'active' | 'lost' | 'revoked' } | undefined;
      return badge ? { uid, owner: { person: memberRef(ctx, badge.member_id), badgeStatus: badge.status } } : { uid };
    },
  };
}
