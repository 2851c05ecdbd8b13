// 005: RESERVED for issue 17's invoices (branch i16-peppol), which bring the real 005. This branch
// (i16-hub) needs 006 and the numbering has no gaps, so it holds the place with a migration that
// does nothing. At the merge, take i16-peppol's 005 and delete this file: a database migrated by
// this placeholder only ever exists in this branch's tests, which make fresh databases.
import type { HubMigration } from './index.js';

export const migration005: HubMigration = { version: 5, name: 'reserved for the invoices', sqlite: '', postgres: '' };
