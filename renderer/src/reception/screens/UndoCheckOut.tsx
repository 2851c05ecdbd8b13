// Undo a check-out (issue 15): the same day, with a reason. The station voids what the check-out
// charged and puts the visit on site again; its next check-out bills the whole visit. The station's
// refusals are worded here in the clerk's language, by their code.
import { useState, type FormEvent } from 'react';
import type { StationError } from '../../../../common/result.js';
import { useT, type ReceptionKey } from '../i18n.js';
import { fullName, useSession } from '../session.js';
import { FieldError, invalidProps, type ShownError } from '../components.js';

const REFUSAL_KEYS: Partial<Record<StationError['code'], ReceptionKey>> = {
  INVALID_INPUT: 'undoCheckOutNeedsReason',
  REFUSED: 'undoCheckOutTooLate',
  CONFLICT: 'undoCheckOutCheckedInAgain',
};

export function UndoCheckOut({ visitId, onUndone }: { visitId: string; onUndone: () => void }) {
  const t = useT();
  const s = useSession();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ShownError>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await s.api.undoCheckOut({ visitId, reason });
    if (!r.ok) {
      const key = REFUSAL_KEYS[r.error.code];
      setError(key ? { ...r.error, worded: t(key) } : r.error);
      document.getElementById('undo-checkout-reason')?.focus();
      return;
    }
    setError(undefined);
    setOpen(false);
    setReason('');
    s.notify({ kind: 'ok', text: t('checkOutUndone', { name: fullName(t, r.value.person) }) });
    onUndone();
  };

  if (!open)
    return (
      <div className="undo-checkout">
        <button
          type="button"
          onClick={() => {
            setOpen(true);
            requestAnimationFrame(() => document.getElementById('undo-checkout-reason')?.focus());
          }}
        >
          {t('undoCheckOut')}
        </button>
      </div>
    );
  return (
    <form className="inline-form undo-checkout" onSubmit={(e) => void submit(e)} noValidate>
      <div className="field">
        <label htmlFor="undo-checkout-reason">{t('undoCheckOutReason')}</label>
        <input id="undo-checkout-reason" value={reason} onChange={(e) => setReason(e.target.value)} autoComplete="off" {...invalidProps('undo-checkout-error', error)} />
        <p className="hint">{t('undoCheckOutHelp')}</p>
        <FieldError id="undo-checkout-error" error={error} />
      </div>
      <div className="actions">
        <button type="submit" className="button-primary">
          {t('confirmUndoCheckOut')}
        </button>
        <button type="button" className="button-quiet" onClick={() => setOpen(false)}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
