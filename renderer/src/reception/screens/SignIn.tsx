// PIN sign-in: the clerk picks their name, types their PIN, Enter. A wrong PIN is said in the
// station's words under the PIN field; the PIN is cleared for the next try.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { StationError } from '../../../../common/result.js';
import type { Shift, StaffMember, StationApi } from '../../../../common/station-api.js';
import { useT } from '../i18n.js';
import { FieldError, invalidProps } from '../components.js';

export function SignIn({ api, connected, onSignedIn }: { api: StationApi; connected: boolean; onSignedIn(shift: Shift): void }) {
  const t = useT();
  const [staff, setStaff] = useState<StaffMember[]>();
  const [loadError, setLoadError] = useState<StationError>();
  const [staffId, setStaffId] = useState<string>();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<StationError>();
  const [busy, setBusy] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!connected) return;
    let live = true;
    void api.staff({}).then((r) => {
      if (!live) return;
      if (r.ok) {
        setStaff(r.value);
        setLoadError(undefined);
        setStaffId((id) => id ?? r.value[0]?.id);
      } else setLoadError(r.error);
    });
    return () => {
      live = false;
    };
  }, [api, connected]);

  useEffect(() => {
    if (staff) document.querySelector<HTMLInputElement>('input[name="clerk"]:checked')?.focus();
  }, [staff]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!staffId || busy) return;
    setBusy(true);
    const r = await api.staffSignIn({ staffId, pin });
    setBusy(false);
    if (r.ok) {
      setError(undefined);
      onSignedIn(r.value);
      return;
    }
    setError(r.error);
    setPin('');
    pinRef.current?.focus();
  };

  return (
    <section className="signin card" aria-labelledby="signin-title">
      <h1 id="signin-title">{t('signInTitle')}</h1>
      <p className="muted">{t('signInHelp')}</p>
      {loadError && <FieldError id="staff-error" error={loadError} />}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <fieldset className="clerks">
          <legend>{t('clerk')}</legend>
          {staff?.length === 0 && <p className="muted">{t('noStaff')}</p>}
          {staff?.map((s) => (
            <label key={s.id} className={`clerk${s.id === staffId ? ' is-chosen' : ''}`}>
              <input type="radio" name="clerk" value={s.id} checked={s.id === staffId} onChange={() => setStaffId(s.id)} />
              <span className="avatar" aria-hidden="true">
                {s.name
                  .split(/\s+/)
                  .map((w) => w[0])
                  .join('')
                  .slice(0, 2)}
              </span>
              <span>{s.name}</span>
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="pin">{t('pin')}</label>
          <input
            id="pin"
            ref={pinRef}
            type="password"
            inputMode="numeric"
            autoComplete="off"
            maxLength={12}
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))}
            {...invalidProps('pin-error', error)}
          />
          <FieldError id="pin-error" error={error} />
        </div>
        <button type="submit" className="button-primary" disabled={!staffId || busy}>
          {t('signIn')}
        </button>
      </form>
    </section>
  );
}
