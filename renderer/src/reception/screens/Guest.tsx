// Walk-in guest: registered by the clerk with the guest's consent (required: the station refuses
// without it) and the date their personal data is kept until; checked in at once. Enter submits.
// An eID put in a reception reader fills the names and the nationality (never half: a failed read
// fills nothing and says why); the clerk checks them and still asks for consent. The nationality
// is an ordinary optional field, so it can be corrected, cleared, or typed for a guest without eID.
// What the card holds beyond that (card number, national number, birth date) never reaches here.
import { useEffect, useState, type FormEvent } from 'react';
import type { IdentityRead } from '../../../../common/readers/pcsc-protocol.js';
import type { Language } from '../../../../common/reference-data.js';
import type { StationError } from '../../../../common/result.js';
import type { SearchHit, VisitSummary } from '../../../../common/station-api.js';
import { addDays } from '../../../../common/time.js';
import { useT } from '../i18n.js';
import { errorFor, errorPath, fullName, useSearch, useSession } from '../session.js';
import { FieldError, Kbd, LanguageField, TextField, invalidProps } from '../components.js';
import { EID_PROBLEM_KEYS } from '../eid-problems.js';
import { usePrinterName } from '../printer-names.js';

const FIELDS = ['firstName', 'lastName', 'company', 'email', 'nationality', 'hostMemberId', 'language', 'consent', 'retentionUntil'];

export interface GuestScreenProps {
  /** The last eID read at a reader, not yet taken by this screen. */
  card?: { read: IdentityRead; n: number } | undefined;
  onCardTaken?: (n: number) => void;
}

export function GuestScreen({ card, onCardTaken }: GuestScreenProps = {}) {
  const t = useT();
  const s = useSession();
  const printerName = usePrinterName();
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [company, setCompany] = useState('');
  const [email, setEmail] = useState('');
  const [nationality, setNationality] = useState('');
  const [language, setLanguage] = useState<Language>(t.language);
  const [consent, setConsent] = useState(false);
  const [retentionUntil, setRetentionUntil] = useState('');
  const [hostQuery, setHostQuery] = useState('');
  const [host, setHost] = useState<SearchHit>();
  const hosts = useSearch(s.api, host ? '' : hostQuery, s.visitsVersion, 6);
  const [error, setError] = useState<StationError>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ visit: VisitSummary; printed?: string; printError?: StationError }>();
  /** The eID read shown beside the form: what filled it, or why nothing was filled. */
  const [fromCard, setFromCard] = useState<IdentityRead>();

  useEffect(() => {
    if (!card) return;
    onCardTaken?.(card.n);
    setFromCard(card.read);
    if (!card.read.ok) return;
    // The card's fields at once, replacing what was typed: a form is never half the card.
    setFirstName(card.read.identity.firstNames);
    setLastName(card.read.identity.lastName);
    setNationality(card.read.identity.nationality);
    setConsent(false);
    setError(undefined);
    setDone(undefined);
    document.getElementById('guest-firstName')?.focus();
  }, [card, onCardTaken]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const r = await s.api.registerGuest({
      firstName,
      lastName,
      ...(company.trim() ? { company } : {}),
      ...(email.trim() ? { email: email.trim() } : {}),
      ...(nationality.trim() ? { nationality } : {}),
      ...(host ? { hostMemberId: host.person.id } : {}),
      language,
      consent: consent as true,
      ...(retentionUntil ? { retentionUntil } : {}),
    });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      const path = errorPath(r.error);
      const field = FIELDS.find((f) => path === f);
      if (field) document.getElementById(`guest-${field}`)?.focus();
      return;
    }
    setError(undefined);
    setDone({ visit: r.value });
    s.notify({ kind: 'ok', text: t('guestRegistered', { name: fullName(t, r.value.person) }) });
    s.visitsChanged();
    setFirstName('');
    setLastName('');
    setCompany('');
    setEmail('');
    setNationality('');
    setConsent(false);
    setRetentionUntil('');
    setHost(undefined);
    setHostQuery('');
    setFromCard(undefined);
  };

  const printBadge = async () => {
    if (!done) return;
    const r = await s.api.printBadge({ visitId: done.visit.visitId });
    setDone({ ...done, ...(r.ok ? { printed: r.value.printerId, printError: undefined } : { printError: r.error }) });
  };

  const err = (...fields: string[]) => errorFor(error, ...fields);
  const formError = error && !FIELDS.includes(errorPath(error) ?? '') ? error : undefined;
  const text = (id: string, label: string, value: string, set: (v: string) => void, extra: Record<string, unknown> = {}) => (
    <TextField id={`guest-${id}`} label={label} value={value} onValue={set} error={err(id)} {...extra} />
  );

  return (
    <section aria-labelledby="guest-title">
      <h1 id="guest-title">
        {t('guestTitle')} <Kbd keys="Alt+G" />
      </h1>
      {done && (
        <div className="card success" role="status">
          <p>{t('guestRegisteredCard', { name: fullName(t, done.visit.person) })}</p>
          <div className="actions">
            <button type="button" className="button-primary" onClick={() => void printBadge()}>
              {t('printVisitorBadge')}
            </button>
            <button type="button" onClick={() => s.openVisit(done.visit.visitId)}>
              {t('openVisit')}
            </button>
          </div>
          {done.printed && <p>{t('printQueued', { printer: printerName(done.printed) })}</p>}
          <FieldError id="guest-print-error" error={done.printError} />
        </div>
      )}
      {fromCard?.ok && (
        <div className="card eid-card" role="status" data-testid="eid-filled">
          <p>{t('eidFilled', { reader: fromCard.reader })}</p>
          <p className="hint">{t('eidMinimisation')}</p>
        </div>
      )}
      {fromCard && !fromCard.ok && (
        <div className="card warning" role="alert" data-testid="eid-failed">
          <p>{t('eidFailed', { reason: t(EID_PROBLEM_KEYS[fromCard.problem]) })}</p>
        </div>
      )}
      <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate>
        {text('firstName', t('firstName'), firstName, setFirstName, { 'data-autofocus': true, autoComplete: 'off', required: true })}
        {text('lastName', t('lastName'), lastName, setLastName, { autoComplete: 'off', required: true })}
        {text('company', t('companyOptional'), company, setCompany, { autoComplete: 'off' })}
        {text('email', t('emailOptional'), email, setEmail, { type: 'email', autoComplete: 'off' })}
        {text('nationality', t('nationalityOptional'), nationality, setNationality, { autoComplete: 'off' })}
        <LanguageField id="guest-language" label={t('guestLanguage')} value={language} onValue={setLanguage} />
        <div className="field">
          <label htmlFor="guest-retentionUntil">{t('retentionUntil')}</label>
          <input
            id="guest-retentionUntil"
            type="date"
            value={retentionUntil}
            min={s.today?.date}
            onChange={(e) => setRetentionUntil(e.target.value)}
            {...(err('retentionUntil') ? invalidProps('guest-retentionUntil-error', err('retentionUntil')) : { 'aria-describedby': 'guest-retention-help' })}
          />
          <p id="guest-retention-help" className="hint">
            {s.today ? t('retentionHelpDate', { date: t.day(addDays(s.today.date, 30)) }) : t('retentionHelp')}
          </p>
          <FieldError id="guest-retentionUntil-error" error={err('retentionUntil')} />
        </div>
        <div className="field span-2">
          <label htmlFor="guest-hostMemberId">{t('hostOptional')}</label>
          {host ? (
            <p className="chosen">
              <strong>{fullName(t, host.person)}</strong> {host.person.company && <span className="muted">{host.person.company}</span>}{' '}
              <button type="button" className="button-quiet" onClick={() => setHost(undefined)}>
                {t('change')}
              </button>
            </p>
          ) : (
            <>
              <input
                id="guest-hostMemberId"
                type="search"
                autoComplete="off"
                value={hostQuery}
                onChange={(e) => setHostQuery(e.target.value)}
                {...invalidProps('guest-hostMemberId-error', err('hostMemberId'))}
              />
              {hosts.data && hosts.data.length > 0 && (
                <ul className="pick-list" aria-label={t('hostCandidates')}>
                  {hosts.data
                    .filter((h) => h.person.kind === 'member')
                    .map((h) => (
                      <li key={h.person.id}>
                        <button type="button" onClick={() => setHost(h)}>
                          {t('chooseHost', { name: fullName(t, h.person) })}
                        </button>{' '}
                        <span className="muted">{h.person.company ?? h.email}</span>
                      </li>
                    ))}
                </ul>
              )}
            </>
          )}
          <FieldError id="guest-hostMemberId-error" error={err('hostMemberId')} />
        </div>
        <div className="field span-2 consent">
          <div className="checkbox">
            <input id="guest-consent" type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} {...invalidProps('guest-consent-error', err('consent'))} />
            <label htmlFor="guest-consent">{t('consentLabel')}</label>
          </div>
          <FieldError id="guest-consent-error" error={err('consent')} />
        </div>
        <div className="span-2 form-actions">
          <button type="submit" className="button-primary" disabled={busy}>
            {t('registerGuest')}
          </button>
          <FieldError id="guest-form-error" error={formError} />
        </div>
      </form>
    </section>
  );
}
