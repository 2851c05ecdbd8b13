// A supervisor's setting of the kiosk: how long the public screen shows a check-out's amounts
// (0: never — the person reads them on their statement). Stated in seconds; the station keeps ms.
import { useEffect, useState, type FormEvent } from 'react';
import { KIOSK_AMOUNT_MAX_MS } from '../../../../common/station-api/kiosk.js';
import { useT } from '../i18n.js';
import { useLoad, useSession } from '../session.js';
import { FieldError, invalidProps, type ShownError } from '../components.js';

export function KioskSettings() {
  const t = useT();
  const s = useSession();
  const current = useLoad(() => s.api.kioskSettings({}), [s.api]);
  const [seconds, setSeconds] = useState<string>();
  const [error, setError] = useState<ShownError>();
  useEffect(() => {
    if (current.data && seconds === undefined) setSeconds(String(current.data.amountMs / 1000));
  }, [current.data, seconds]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const n = Number((seconds ?? '').replace(',', '.'));
    const r = Number.isFinite(n) ? await s.api.configureKiosk({ amountMs: Math.round(n * 1000) }) : undefined;
    if (!r?.ok) {
      setError({ code: 'INVALID_INPUT', message: 'seconds out of range', worded: t('kioskAmountInvalid', { max: KIOSK_AMOUNT_MAX_MS / 1000 }) });
      document.getElementById('kiosk-amount')?.focus();
      return;
    }
    setError(undefined);
    s.notify({ kind: 'ok', text: r.value.amountMs === 0 ? t('kioskAmountHidden') : t('kioskAmountSaved', { n: r.value.amountMs / 1000 }) });
  };
  return (
    <form className="card form-grid" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="kiosk-settings-title">
      <h2 id="kiosk-settings-title" className="span-2">
        {t('kioskSettingsTitle')}
      </h2>
      <div className="field span-2">
        <label htmlFor="kiosk-amount">{t('kioskAmountLabel', { max: KIOSK_AMOUNT_MAX_MS / 1000 })}</label>
        <input id="kiosk-amount" inputMode="numeric" autoComplete="off" value={seconds ?? ''} onChange={(e) => setSeconds(e.target.value)} {...invalidProps('kiosk-amount-error', error)} />
        <p className="hint">{t('kioskAmountHelp')}</p>
        <FieldError id="kiosk-amount-error" error={error} />
      </div>
      <div className="span-2 form-actions">
        <button type="submit" className="button-primary">
          {t('save')}
        </button>
      </div>
    </form>
  );
}
