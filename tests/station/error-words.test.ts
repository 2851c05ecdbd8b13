// The station's errors worded for every screen: each sentence exists in FR/NL/EN/DE with the same
// placeholders, and is not English left as it was; a form's input errors come all at once, one
// per field, each with a sentence; the station's own refusals and the gate's carry theirs.
import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_KEYS, ERROR_WORDS, sayIn } from '../../common/messages/errors/index.js';
import { callStation } from '../../main/station/api.js';
import { openTestStation, demoBadges, type TestStation } from '../support/station-fixture.js';
import { unwrap } from '../support/ledger.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join();
let t: TestStation | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});

describe('error words', () => {
  it('every sentence in the four languages, with the same placeholders, and translated', () => {
    for (const language of ['fr', 'nl', 'de'] as const) {
      const words = ERROR_WORDS[language];
      for (const key of ERROR_KEYS) {
        expect(words[key].trim(), `${language}.${key}`).not.toBe('');
        expect(placeholders(words[key]), `${language}.${key}`).toBe(placeholders(ERROR_WORDS.en[key]));
        // "{name} cannot be checked in: {reason}" and the like all differ; not one is the English.
        expect(words[key], `${language}.${key} is the English`).not.toBe(ERROR_WORDS.en[key]);
      }
    }
  });

  it('a form’s invalid input: every field at fault at once, each with a sentence in the screen’s language', async () => {
    t = openTestStation();
    const r = callStation(t.station, 'registerGuest', { firstName: '  ', lastName: '', consent: false, retentionUntil: '31/12/2026' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('INVALID_INPUT');
    const byField = Object.fromEntries((r.error.fields ?? []).map((f) => [f.field, f.say.key]));
    expect(byField).toMatchObject({ firstName: 'fieldRequired', lastName: 'fieldRequired', retentionUntil: 'fieldDate' });
    expect(r.error.say).toEqual(r.error.fields![0]!.say);
    expect(sayIn('fr', { key: 'fieldDate' })).toBe('Une date comme 2026-12-31.');
    expect(sayIn('nl', { key: 'fieldRequired' })).toBe('Verplicht.');
  });

  it('the station’s own refusals and the reason they need', async () => {
    t = openTestStation();
    const clerk = unwrap(await t.api.staffSignIn({ staffId: 'amelie', pin: '2468' }));
    const wrong = await t.api.staffSignIn({ staffId: 'amelie', pin: '0000' });
    expect(!wrong.ok && wrong.error.say).toEqual({ key: 'pinWrongMany', values: { left: 4 } });
    expect(!wrong.ok && sayIn('fr', wrong.error.say!)).toBe('Code PIN incorrect. Encore 4 essais avant le blocage.');

    const badge = demoBadges().active[0]!;
    const visit = unwrap(await t.api.tap({ uid: badge.uid }));
    expect(visit.outcome).toBe('checked_in');
    const again = await t.api.checkIn({ memberId: badge.memberId, shiftId: clerk.shiftId });
    expect(!again.ok && again.error.say).toEqual({ key: 'alreadyCheckedIn' });
    expect(!again.ok && sayIn('nl', again.error.say!)).toBe('Dit lid is hier al ingecheckt.');

    const noReason = await t.api.voidVisit({ visitId: (visit as { visit: { visitId: string } }).visit.visitId, reason: 'x', shiftId: clerk.shiftId });
    expect(!noReason.ok && noReason.error.fields).toEqual([{ field: 'reason', say: { key: 'reasonRequired', values: { min: 3 } } }]);
    expect(sayIn('de', { key: 'reasonRequired', values: { min: 3 } })).toBe('Geben Sie einen Grund mit mindestens 3 Zeichen an.');
  });
});
