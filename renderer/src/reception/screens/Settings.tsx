// Settings: the hub this station syncs with (address and the credential given at enrollment).
import { useState, type FormEvent } from 'react';
import type { StationError } from '../../../../common/result.js';
import { useT } from '../i18n.js';
import { errorFor, useLoad, useSession } from '../session.js';
import { FieldError, invalidProps } from '../components.js';
import { KioskSettings } from './KioskSettings.js';

export function SettingsScreen() {
  const t = useT();
  const s = useSession();
  const status = useLoad(() => s.api.syncStatus({}), [s.api]);
  const [url, setUrl] = useState<string>();
  const [credential, setCredential] = useState('');
  const [error, setError] = useState<StationError>();
  const [saved, setSaved] = useState<{ url: string; stationId: string }>();
  const shownUrl = url ?? status.data?.hubUrl ?? '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await s.api.configureHub({ url: shownUrl.trim(), credential: credential.trim() });
    if (!r.ok) {
      setError(r.error);
      setSaved(undefined);
      document.getElementById(errorFor(r.error, 'credential') ? 'hub-credential' : 'hub-url')?.focus();
      return;
    }
    setError(undefined);
    setCredential('');
    setSaved(r.value);
    s.notify({ kind: 'ok', text: t('hubSaved', { url: r.value.url, station: r.value.stationId }) });
  };
  const urlError = errorFor(error, 'url');
  const credentialError = errorFor(error, 'credential');
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settingsTitle')}</h1>
      <form className="card form-grid" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="hub-form-title">
        <h2 id="hub-form-title" className="span-2">
          {t('hubSettings')}
        </h2>
        <p className="hint span-2">{t('hubSettingsHelp')}</p>
        <div className="field span-2">
          <label htmlFor="hub-url">{t('hubUrl')}</label>
          <input id="hub-url" data-autofocus type="url" autoComplete="off" placeholder="https://hub.escale.example" value={shownUrl} onChange={(e) => setUrl(e.target.value)} {...invalidProps('hub-url-error', urlError)} />
          <FieldError id="hub-url-error" error={urlError} />
        </div>
        <div className="field span-2">
          <label htmlFor="hub-credential">{t('hubCredential')}</label>
          <input id="hub-credential" type="password" autoComplete="off" value={credential} onChange={(e) => setCredential(e.target.value)} {...invalidProps('hub-credential-error', credentialError)} />
          <FieldError id="hub-credential-error" error={credentialError} />
        </div>
        <div className="span-2 form-actions">
          <button type="submit" className="button-primary">
            {t('save')}
          </button>
          <FieldError id="hub-form-error" error={error && !urlError && !credentialError ? error : undefined} />
        </div>
        {saved && (
          <p className="span-2 success-text" role="status">
            {t('hubSavedCard', { url: saved.url, station: saved.stationId })}
          </p>
        )}
      </form>
      <KioskSettings />
      <LockedStaff />
    </section>
  );
}

/** Clerks whose sign-in wrong PINs locked: a supervisor lifts the lock (the clerk gets five tries again). */
function LockedStaff() {
  const t = useT();
  const s = useSession();
  const [tick, setTick] = useState(0);
  const staff = useLoad(() => s.api.staff({}), [s.api, tick]);
  const [error, setError] = useState<StationError>();
  const locked = (staff.data ?? []).filter((m) => m.locked);
  const unlock = async (staffId: string, name: string) => {
    const r = await s.api.unlockStaff({ staffId });
    if (!r.ok) return setError(r.error);
    setError(undefined);
    s.notify({ kind: 'ok', text: t('staffUnlocked', { name }) });
    setTick((n) => n + 1);
  };
  return (
    <div className="card locked-staff" aria-labelledby="locked-staff-title">
      <h2 id="locked-staff-title">{t('lockedStaffTitle')}</h2>
      {locked.length === 0 ? (
        <p className="muted">{t('noLockedStaff')}</p>
      ) : (
        <ul className="plain-list">
          {locked.map((m) => (
            <li key={m.id}>
              {m.name}{' '}
              <button type="button" onClick={() => void unlock(m.id, m.name)} aria-label={t('unlockOf', { name: m.name })}>
                {t('unlock')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <FieldError id="locked-staff-error" error={error} />
    </div>
  );
}
