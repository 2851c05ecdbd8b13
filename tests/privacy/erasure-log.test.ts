// The hub's erasure log (server/store/erasure-log.ts): JSON lines of ids, times and audit ids; an
// entry never carries more than its schema's fields, whatever the caller hands in; a line cut by a
// crash or edited by hand is reported and skipped, the others still read, and the next entry after a
// torn line is a line of its own.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ErasureLog, type ErasureLogEntry } from '../../server/store/erasure-log.js';
import { tempDir } from '../support/station-fixture.js';

describe('the erasure log', () => {
  it('appends entries as JSON lines (0600), keeps only their schema’s fields, and reads them back past a torn or foreign line', () => {
    const file = path.join(tempDir(), 'hub.sqlite.erasures.jsonl');
    const log = new ErasureLog(file);
    expect(log.read()).toEqual([]);
    const erased: ErasureLogEntry = { kind: 'member.erased', memberId: 'm0004', at: '2026-11-24T08:00:00.000Z', auditId: 7, pseudonym: 'ERASED-0A1B2C3D4E' };
    log.append(erased);
    // A caller handing in more than the entry's fields (a name by mistake): it is not written.
    log.append({ kind: 'guests.purged', guestIds: ['g-1', 'g-2'], at: '2026-11-25T03:00:00.000Z', firstName: 'Gaston' } as ErasureLogEntry);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('Gaston');
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    expect(() => log.append({ ...erased, pseudonym: 'Gaston Lagaffe' })).toThrow();

    fs.appendFileSync(file, '{"kind":"member.erased","memberId":"m0005"}\n{"kind":"guests.purged","guestIds":["g-3"],"at":"2026-11-26T0');
    // The next erasure after the crash is a line of its own.
    const next: ErasureLogEntry = { kind: 'guests.purged', guestIds: ['g-4'], at: '2026-11-27T03:00:00.000Z' };
    log.append(next);
    const problems: string[] = [];
    expect(log.read((p) => void problems.push(p))).toEqual([erased, { kind: 'guests.purged', guestIds: ['g-1', 'g-2'], at: '2026-11-25T03:00:00.000Z' }, next]);
    expect(problems).toEqual([expect.stringMatching(/line 3 is not an erasure entry/), expect.stringMatching(/line 4 is not JSON \(a write cut short\?\)/)]);
  });
});
