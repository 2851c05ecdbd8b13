// New network member (agent sale): the clerk signs a person up for the whole network — who they
// are, who pays (a company of the network, or themself with a billing address and maybe a VAT
// number), their acceptance of the network's terms and privacy notice, and a badge (a new card
// tapped on the reader, or a QR badge printed on the welcome slip). It works offline: the member
// can check in at once and is "awaiting network confirmation" until the hub answers; the list
// below shows each sign-up's outcome as it arrives. The station's errors name the field; they are
// worded here in the clerk's language, beside that field.
import { sayError } from '../../shared/say-error.js';
import { useEffect, useState, type FormEvent } from 'react';
import type { Language } from '../../../../common/reference-data.js';
import type { StationError } from '../../../../common/result.js';
import { PRIVACY_VERSION, TERMS_VERSION } from '../../../../common/signup.js';
import type { SignUpResult, SignUpSummary } from '../../../../common/station-api.js';
import { useT, type ReceptionKey, type Words } from '../i18n.js';
import { errorPath, fullName, timeZoneOf, useLoad, useSession } from '../session.js';
import { Chip, FieldError, Kbd, LanguageField, TextField, invalidProps, type ChipTone, type ShownError } from '../components.js';
import { useCardRead } from '../card-read.js';
import { usePrinterName } from '../printer-names.js';
import { shortMemberNumber } from '../../../../common/member-number.js';
import type { CardOwner } from '../../../../common/station-api.js';

/** The form's fields by the station's input path, with the words for what is wrong with each. */
const FIELD_ERRORS: Record<string, { field: string; key: ReceptionKey }> = {
  firstName: { field: 'firstName', key: 'signUpErrFirstName' },
  lastName: { field: 'lastName', key: 'signUpErrLastName' },
  email: { field: 'email', key: 'signUpErrEmail' },
  phone: { field: 'phone', key: 'signUpErrPhone' },
  'payer.payerId': { field: 'payerId', key: 'signUpErrCompany' },
  'payer.billingAddress': { field: 'street', key: 'signUpErrStreet' },
  'payer.billingAddress.street': { field: 'street', key: 'signUpErrStreet' },
  'payer.billingAddress.postalCode': { field: 'postalCode', key: 'signUpErrPostalCode' },
  'payer.billingAddress.city': { field: 'city', key: 'signUpErrCity' },
  'payer.billingAddress.country': { field: 'country', key: 'signUpErrCountry' },
  'payer.vatNumber': { field: 'vatNumber', key: 'signUpErrVatNumber' },
  termsAccepted: { field: 'termsAccepted', key: 'signUpErrTerms' },
  privacyAccepted: { field: 'privacyAccepted', key: 'signUpErrPrivacy' },
  'badge.uid': { field: 'cardUid', key: 'signUpErrCard' },
};

const STATE_TONES: Record<SignUpSummary['state'], ChipTone> = { awaiting: 'info', confirmed: 'ok', duplicate_case: 'warn', merged: 'neutral', refused: 'bad' };

const REFUSAL_KEYS: Record<string, ReceptionKey> = {
  payer_blocked: 'refusalPayerBlocked',
  payer_unknown: 'refusalPayerUnknown',
  site_mismatch: 'refusalSiteMismatch',
  operator: 'refusalOperator',
};

/** A sign-up's state in the clerk's words. */
export function signUpStateText(t: Words, s: Pick<SignUpSummary, 'state' | 'reason' | 'detail' | 'duplicateOf' | 'mergedInto'>): string {
  switch (s.state) {
    case 'awaiting':
      return t('signUpAwaiting');
    case 'confirmed':
      return t('signUpConfirmed');
    case 'duplicate_case':
      return t('signUpDuplicate', { id: s.duplicateOf ? shortMemberNumber(s.duplicateOf) : '?' });
    case 'merged':
      return t('signUpMerged', { id: s.mergedInto ? shortMemberNumber(s.mergedInto) : '?' });
    case 'refused': {
      const reason = s.reason && REFUSAL_KEYS[s.reason] ? t(REFUSAL_KEYS[s.reason]!) : t('refusalOperator');
      return t('signUpRefused', { reason: s.detail ? `${reason} (${s.detail})` : reason });
    }
  }
}

/**
 * The station's error worded in the clerk's language for each field of this form it is about —
 * every field at fault at once (StationError.fields), in the form's order of the station's paths.
 */
function localised(t: Words, error: StationError | undefined): { field: string; error: ShownError }[] {
  if (!error) return [];
  const paths = error.fields?.length ? error.fields.map((f) => f.field) : [error.field ?? errorPath(error)].filter((p): p is string => !!p);
  const shown: { field: string; error: ShownError }[] = [];
  for (const path of paths) {
    const known = FIELD_ERRORS[path];
    if (!known || shown.some((s) => s.field === known.field)) continue;
    // A card that is someone's already is not a missing card.
    const key = known.field === 'cardUid' && error.code === 'CONFLICT' ? 'signUpErrCardTaken' : known.key;
    shown.push({ field: known.field, error: { ...error, field: path, worded: t(key) } });
  }
  return shown;
}

export interface SignUpScreenProps {
  /** The last unknown card read at a reader of this station: a new card for the new member. */
  lastUnknownUid?: string | undefined;
  /** The card is the new member's now: no longer an unknown badge to assign. */
  onCardUsed?: (uid: string) => void;
}

export function SignUpScreen({ lastUnknownUid, onCardUsed }: SignUpScreenProps = {}) {
  const t = useT();
  const s = useSession();
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [language, setLanguage] = useState<Language>(t.language);
  const [payerKind, setPayerKind] = useState<'company' | 'self'>('company');
  const [payerId, setPayerId] = useState('');
  const [street, setStreet] = useState('');
  const [postalCode, setPostalCode] = useState('');
  const [city, setCity] = useState('');
  const [country, setCountry] = useState('BE');
  const [vatNumber, setVatNumber] = useState('');
  const [termsAccepted, setTermsAccepted] = useState(false);
  const [privacyAccepted, setPrivacyAccepted] = useState(false);
  const [badgeKind, setBadgeKind] = useState<'rfid' | 'qr'>('rfid');
  const [cardUid, setCardUid] = useState('');
  /** The card the desk reader just read for this form, and whose it already is. */
  const [readCard, setReadCard] = useState<CardOwner>();
  const printerName = usePrinterName();
  const [checkIn, setCheckIn] = useState(true);
  const [error, setError] = useState<StationError>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<SignUpResult>();
  const companies = useLoad(() => s.api.companies({}), [s.api]);
  const signUps = useLoad(() => s.api.signUps({ limit: 20 }), [s.api, s.visitsVersion, s.statusVersion], 10_000);

  // While a card is asked for, the desk reader's reads fill the field (they are not taps then).
  useCardRead(badgeKind === 'rfid', (_read, card) => {
    setCardUid(card.uid);
    setReadCard(card);
  });
  // A new card tapped on a reader while this screen is open is the new member's card.
  useEffect(() => {
    if (lastUnknownUid) setCardUid(lastUnknownUid);
  }, [lastUnknownUid]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const r = await s.api.signUpMember({
      firstName,
      lastName,
      email: email.trim(),
      ...(phone.trim() ? { phone } : {}),
      language,
      payer:
        payerKind === 'company'
          ? { kind: 'company', payerId }
          : { kind: 'self', billingAddress: { street, postalCode, city, country }, ...(vatNumber.trim() ? { vatNumber } : {}) },
      // The boxes as ticked: the station refuses a sign-up without both, naming which.
      termsAccepted: termsAccepted as true,
      privacyAccepted: privacyAccepted as true,
      badge: badgeKind === 'rfid' ? { kind: 'rfid', uid: cardUid } : { kind: 'qr' },
      checkIn,
    });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      const field = localised(t, r.error)[0]?.field;
      if (field) document.getElementById(`signup-${field}`)?.focus();
      return;
    }
    setError(undefined);
    setDone(r.value);
    if (r.value.signUp.badge) onCardUsed?.(r.value.signUp.badge.uid);
    s.notify({ kind: 'ok', text: t('signedUp', { name: fullName(t, r.value.signUp.person), id: shortMemberNumber(r.value.signUp.memberId) }) });
    s.visitsChanged();
    signUps.reload();
    for (const reset of [setFirstName, setLastName, setEmail, setPhone, setPayerId, setStreet, setPostalCode, setCity, setVatNumber, setCardUid]) reset('');
    setReadCard(undefined);
    setCountry('BE');
    setTermsAccepted(false);
    setPrivacyAccepted(false);
  };

  const printAgain = async () => {
    if (!done) return;
    const r = await s.api.printWelcome({ memberId: done.signUp.memberId });
    if (!r.ok) return setDone({ ...done, welcomePrintError: r.error });
    const { welcomePrintError: _printed, ...rest } = done;
    setDone({ ...rest, welcomePrint: r.value });
  };

  const shown = localised(t, error);
  const err = (field: string) => shown.find((f) => f.field === field)?.error;
  const formError = error && shown.length === 0 ? error : undefined;
  const text = (id: string, label: string, value: string, set: (v: string) => void, extra: Record<string, unknown> = {}) => (
    <TextField id={`signup-${id}`} label={label} value={value} onValue={set} error={err(id)} autoComplete="off" {...extra} />
  );
  const check = (id: 'termsAccepted' | 'privacyAccepted', label: string, checked: boolean, set: (v: boolean) => void) => (
    <div className="field span-2 consent">
      <div className="checkbox">
        <input id={`signup-${id}`} type="checkbox" checked={checked} onChange={(e) => set(e.target.checked)} {...invalidProps(`signup-${id}-error`, err(id))} />
        <label htmlFor={`signup-${id}`}>{label}</label>
      </div>
      <FieldError id={`signup-${id}-error`} error={err(id)} />
    </div>
  );
  const timeZone = timeZoneOf(s);

  return (
    <section aria-labelledby="signup-title">
      <h1 id="signup-title">
        {t('signUpTitle')} <Kbd keys="Alt+N" />
      </h1>
      <p className="hint">{t('signUpHelp')}</p>
      {done && (
        <div className="card success" role="status" data-testid="signup-done">
          <p>{t('signedUpCard', { name: fullName(t, done.signUp.person), id: shortMemberNumber(done.signUp.memberId) })}</p>
          <p>{signUpStateText(t, done.signUp)}</p>
          {done.welcomePrint && <p>{t('welcomeQueued', { printer: printerName(done.welcomePrint.printerId) })}</p>}
          {done.welcomePrintError && (
            <p>{t('welcomeNotPrinted', { message: done.welcomePrintError.code === 'NOT_CONFIGURED' ? t('welcomeNoPrinter') : sayError(t.language, done.welcomePrintError) })}</p>
          )}
          <div className="actions">
            <button type="button" onClick={() => void printAgain()}>
              {t('printWelcome')}
            </button>
            {done.visit && (
              <button type="button" onClick={() => s.openVisit(done.visit!.visitId)}>
                {t('openVisit')}
              </button>
            )}
          </div>
        </div>
      )}
      <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="signup-title">
        {text('firstName', t('firstName'), firstName, setFirstName, { 'data-autofocus': true, required: true })}
        {text('lastName', t('lastName'), lastName, setLastName, { required: true })}
        {text('email', t('email'), email, setEmail, { type: 'email', required: true })}
        {text('phone', t('phoneOptional'), phone, setPhone, { type: 'tel' })}
        <LanguageField id="signup-language" label={t('memberLanguage')} value={language} onValue={setLanguage} />
        <fieldset className="field span-2 roles">
          <legend>{t('payerLegend')}</legend>
          {(['company', 'self'] as const).map((kind) => (
            <span key={kind} className="checkbox">
              <input id={`signup-payer-${kind}`} type="radio" name="signup-payer" checked={payerKind === kind} onChange={() => setPayerKind(kind)} />
              <label htmlFor={`signup-payer-${kind}`}>{t(kind === 'company' ? 'payerCompany' : 'payerSelf')}</label>
            </span>
          ))}
        </fieldset>
        {payerKind === 'company' ? (
          <div className="field span-2">
            <label htmlFor="signup-payerId">{t('company')}</label>
            <select id="signup-payerId" value={payerId} onChange={(e) => setPayerId(e.target.value)} {...invalidProps('signup-payerId-error', err('payerId'))}>
              <option value="">{t('chooseCompany')}</option>
              {(companies.data ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                  {c.vatNumber ? ` — ${c.vatNumber}` : ''}
                </option>
              ))}
            </select>
            <FieldError id="signup-payerId-error" error={err('payerId')} />
          </div>
        ) : (
          <>
            {text('street', t('street'), street, setStreet)}
            {text('postalCode', t('postalCode'), postalCode, setPostalCode)}
            {text('city', t('city'), city, setCity)}
            {text('country', t('countryCode'), country, setCountry, { maxLength: 2 })}
            {text('vatNumber', t('vatOptional'), vatNumber, setVatNumber)}
          </>
        )}
        {check('termsAccepted', t('termsLabel', { version: TERMS_VERSION }), termsAccepted, setTermsAccepted)}
        {check('privacyAccepted', t('privacyLabel', { version: PRIVACY_VERSION }), privacyAccepted, setPrivacyAccepted)}
        <fieldset className="field span-2 roles">
          <legend>{t('badgeLegend')}</legend>
          {(['rfid', 'qr'] as const).map((kind) => (
            <span key={kind} className="checkbox">
              <input id={`signup-badge-${kind}`} type="radio" name="signup-badge" checked={badgeKind === kind} onChange={() => setBadgeKind(kind)} />
              <label htmlFor={`signup-badge-${kind}`}>{t(kind === 'rfid' ? 'badgeCard' : 'badgeQr')}</label>
            </span>
          ))}
        </fieldset>
        {badgeKind === 'rfid' && (
          <div className="field span-2">
            <label htmlFor="signup-cardUid">{t('cardUid')}</label>
            <input
              id="signup-cardUid"
              value={cardUid}
              onChange={(e) => {
                setCardUid(e.target.value);
                setReadCard(undefined);
              }}
              autoComplete="off"
              {...(err('cardUid') ? invalidProps('signup-cardUid-error', err('cardUid')) : { 'aria-describedby': 'signup-cardUid-help signup-cardUid-owner' })}
            />
            <p id="signup-cardUid-help" className="hint">
              {t('cardUidHelp')}
            </p>
            <CardReadNote id="signup-cardUid-owner" card={readCard} />
            <FieldError id="signup-cardUid-error" error={err('cardUid')} />
          </div>
        )}
        <div className="field span-2">
          <div className="checkbox">
            <input id="signup-checkIn" type="checkbox" checked={checkIn} onChange={(e) => setCheckIn(e.target.checked)} />
            <label htmlFor="signup-checkIn">{t('checkInNow')}</label>
          </div>
        </div>
        <div className="span-2 form-actions">
          <button type="submit" className="button-primary" disabled={busy}>
            {t('signUpSubmit')}
          </button>
          <FieldError id="signup-form-error" error={formError} />
        </div>
      </form>

      <h2 id="signups-title">{t('recentSignUps')}</h2>
      {signUps.data && signUps.data.length === 0 && <p className="muted">{t('noSignUps')}</p>}
      {signUps.data && signUps.data.length > 0 && (
        <table className="table" aria-labelledby="signups-title" data-testid="signups">
          <thead>
            <tr>
              <th scope="col">{t('colName')}</th>
              <th scope="col">{t('colSignedUp')}</th>
              <th scope="col">{t('colPayer')}</th>
              <th scope="col">{t('colSignUpState')}</th>
            </tr>
          </thead>
          <tbody>
            {signUps.data.map((x) => (
              <tr key={x.memberId}>
                <td>
                  {fullName(t, x.person)} <span className="muted">{t('memberNumber', { id: shortMemberNumber(x.memberId) })}</span>
                </td>
                <td>{t.dateTime(x.signedUpAt, timeZone)}</td>
                <td>{x.payer.kind === 'company' ? x.payer.name : t('payerSelf')}</td>
                <td>
                  <Chip tone={STATE_TONES[x.state]}>{signUpStateText(t, x)}</Chip>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** What the desk reader just read for the form: a new card, or whose card it already is. */
export function CardReadNote({ id, card }: { id: string; card: CardOwner | undefined }) {
  const t = useT();
  if (!card) return <p id={id} hidden />;
  const owner = card.owner;
  return (
    <p id={id} className={owner ? 'field-error' : 'hint'} role="status" data-testid="card-read-note">
      {owner
        ? t(owner.badgeStatus === 'active' ? 'cardBelongsTo' : 'cardWasOf', {
            uid: card.uid,
            name: fullName(t, owner.person),
            status: t(owner.badgeStatus === 'lost' ? 'badgeLost' : 'badgeRevoked'),
          })
        : t('cardReadNew', { uid: card.uid })}
    </p>
  );
}
