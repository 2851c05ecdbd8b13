// A form that waits for a card (sign-up, badge assignment) claims the desk readers' reads while it
// is on screen: the station then sends a desk reader's read to this window's claim — the number and
// whose card it is — instead of tapping it. The claim lapses at the station unless renewed, so a
// closed tab or a crashed page gives the reader back to the tap within a minute.
import { useEffect, useRef } from 'react';
import type { BadgeRead } from '../../../common/readers/read.js';
import type { CardOwner } from '../../../common/station-api.js';
import { CARD_READ_CLAIM_MS } from '../../../common/station-api/card-reads.js';
import { useSession } from './session.js';

export function useCardRead(active: boolean, onRead: (read: BadgeRead, card: CardOwner) => void): void {
  const s = useSession();
  const onReadRef = useRef(onRead);
  onReadRef.current = onRead;
  useEffect(() => {
    if (!active) return;
    let claimId: string | undefined;
    let live = true;
    const claim = () =>
      void s.api.claimCardRead(claimId ? { claimId } : {}).then((r) => {
        if (r.ok && live) claimId = r.value.claimId;
        else if (r.ok && !live) void s.api.releaseCardRead({ claimId: r.value.claimId });
      });
    claim();
    const renew = setInterval(claim, CARD_READ_CLAIM_MS / 3);
    const off = s.station.onHostMessage((m) => {
      if (m.kind === 'cardRead' && claimId !== undefined && m.claimId === claimId) onReadRef.current(m.read, m.card);
    });
    return () => {
      live = false;
      clearInterval(renew);
      off();
      if (claimId) void s.api.releaseCardRead({ claimId });
    };
  }, [active, s.api, s.station]);
}
