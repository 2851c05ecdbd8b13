// The status strip's words, without a browser: the hub, readers and printers as the clerk reads
// them in French and Dutch (the system's error only as "details"), what counts as needing a look,
// and when printing would only queue (the printer and its fallback both down).
import { describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../common/devices.js';
import type { SyncStatus } from '../../common/sync/status.js';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Language } from '../../common/reference-data.js';
import { quantityAndPrice } from '../../common/documents/print-documents.js';

// The renderer's modules, loaded as sources (the renderer is not part of the tests' program).
const load = async <T>(file: string): Promise<T> => (await import(pathToFileURL(path.resolve('renderer/src', file)).href)) as T;
interface Item {
  id: string;
  label: string;
  kind: string;
  tone: string;
  problem?: string;
  detail?: string;
}
type Words = unknown;
const { healthItems, needsAttention, printerTrouble } = await load<{
  healthItems(t: Words, input: { sync?: SyncStatus; devices?: DeviceStatus[]; timeZone: string }): Item[];
  needsAttention(items: Item[]): Item[];
  printerTrouble(devices: DeviceStatus[], kind: 'receipt' | 'badge'): { printer: DeviceStatus; fallback?: DeviceStatus } | undefined;
}>('reception/health.ts');
const { wordsFor } = await load<{ wordsFor(language: Language): Words }>('reception/i18n.ts');
const { duration } = await load<{ duration(minutes: number, language: Language): string }>('shared/i18n.ts');

const TZ = 'Europe/Brussels';
const offline: SyncStatus = { configured: true, hubUrl: 'https://hub.example', online: false, backlog: 12, lastSuccessAt: '2026-11-24T08:00:00.000Z', lastError: 'connect ECONNREFUSED 127.0.0.1:45089', problems: [] };
const printer = (id: string, state: DeviceStatus['state'], extra: Partial<DeviceStatus> = {}): DeviceStatus => ({ id, kind: 'printer', name: `Printer ${id}`, enabled: true, state, counts: {}, ...extra });

describe('the status strip’s words', () => {
  it('says a hub that cannot be reached as a sentence in the clerk’s language, the system’s error apart', () => {
    const [fr] = healthItems(wordsFor('fr'), { sync: offline, timeZone: TZ });
    expect(fr).toMatchObject({ kind: 'hub', tone: 'bad', detail: 'connect ECONNREFUSED 127.0.0.1:45089' });
    expect(fr!.problem).toBe(
      'Le hub du réseau est injoignable (dernière synchro : 24/11/26 09:00 ; 12 événements en attente). Continuez : tout est gardé ici et envoyé à son retour. Si cela dure plus d’une heure, appelez le support du réseau.',
    );
    const [nl] = healthItems(wordsFor('nl'), { sync: offline, timeZone: TZ });
    expect(nl!.problem).toMatch(/^De hub van het netwerk is onbereikbaar/);
    expect(nl!.problem).not.toContain('ECONNREFUSED');
    // Never synced: said inside the sentence, in lower case.
    const { lastSuccessAt: _synced, ...never } = offline;
    expect(healthItems(wordsFor('fr'), { sync: never, timeZone: TZ })[0]!.problem).toMatch(/^Le hub du réseau est injoignable \(dernière synchro : jamais ; 12 événements/);
  });

  it('needs a look for anything down or never seen working; a hub sending its backlog or synced does not', () => {
    const t = wordsFor('fr');
    const items = healthItems(t, {
      sync: { ...offline, online: true, backlog: 3 },
      devices: [
        printer('desk', 'up'),
        printer('paper', 'up', { paperOut: true }),
        { id: 'door', kind: 'reader', name: 'Lecteur porte', enabled: true, state: 'unknown', counts: {} },
        { id: 'old', kind: 'reader', name: 'Ancien', enabled: false, state: 'disabled', counts: {} },
      ],
      timeZone: TZ,
    });
    expect(items.map((i) => [i.id, i.tone])).toEqual([
      ['hub', 'info'],
      ['door', 'warn'],
      ['desk', 'ok'],
      ['paper', 'bad'],
    ]);
    expect(needsAttention(items).map((i) => i.id)).toEqual(['door', 'paper']);
    expect(items.find((i) => i.id === 'paper')!.problem).toBe('Printer paper n’a plus de papier. Mettez un nouveau rouleau ; ce que vous imprimez attend jusque-là.');
  });

  it('says a synced hub and working devices in a word each, with nothing to look at (the top bar may then say "connected")', () => {
    const items = healthItems(wordsFor('nl'), {
      sync: { configured: true, hubUrl: 'https://hub.example', online: true, backlog: 0, lastSuccessAt: '2026-11-24T08:00:00.000Z', problems: [] },
      devices: [printer('desk', 'up'), { id: 'door', kind: 'reader', name: 'Lezer', enabled: true, state: 'up', counts: {} }],
      timeZone: TZ,
    });
    expect(items.map((i) => [i.tone, i.label])).toEqual([
      ['ok', 'Hub: gesynchroniseerd om 09:00'],
      ['ok', 'Lezer: klaar'],
      ['ok', 'Printer desk: klaar'],
    ]);
    expect(needsAttention(items)).toEqual([]);
  });

  it('warns before printing only when the document would wait: its printer down and no working fallback', () => {
    const desk = printer('desk', 'down', { defaultFor: ['receipt', 'badge'], fallbackId: 'spare' });
    expect(printerTrouble([desk, printer('spare', 'up')], 'receipt')).toBeUndefined();
    expect(printerTrouble([desk, printer('spare', 'down')], 'receipt')).toMatchObject({ printer: { id: 'desk' }, fallback: { id: 'spare' } });
    expect(printerTrouble([printer('desk', 'up', { defaultFor: ['receipt'], paperOut: true })], 'receipt')).toMatchObject({ printer: { id: 'desk' } });
    expect(printerTrouble([printer('desk', 'up', { defaultFor: ['receipt'] })], 'receipt')).toBeUndefined();
    expect(printerTrouble([printer('desk', 'down', { defaultFor: ['receipt'] })], 'badge')).toBeUndefined();
  });

  it('writes a duration one way on screen and on the receipt', () => {
    for (const [language, text] of [['fr', '1 h 30'], ['nl', '1 u 30'], ['en', '1 h 30'], ['de', '1 Std. 30']] as const) {
      expect(duration(90, language)).toBe(text);
      expect(quantityAndPrice({ unit: 'hour', billedQuantity: 90, unitPriceCents: 500 }, language)).toMatch(new RegExp(`^${text.replace('.', '\\.')} x 5[,.]00/`));
    }
    expect(quantityAndPrice({ unit: 'hour', billedQuantity: -90, unitPriceCents: 500 }, 'fr')).toBe('-1 h 30 x 5,00/h');
  });
});
