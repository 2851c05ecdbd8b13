// The numbered migrations, in order. To add one: write NNN-name.ts exporting a Migration with the
// next version, append it here, and add its test under tests/station/migrations.
import type { Database } from 'better-sqlite3';
import { migration001 } from './001-initial.js';
import { migration002 } from './002-devices.js';
import { migration003 } from './003-sync.js';
import { migration004 } from './004-plans.js';
import { migration005 } from './005-signups.js';
import { migration006 } from './006-guest-nationality.js';
import { migration007 } from './007-device-health.js';
import { migration008 } from './008-tap-write-set.js';
import { migration009 } from './009-access.js';
import { migration010 } from './010-badge-numbers.js';
import { migration011 } from './011-sync-state.js';
import { migration012 } from './012-checkout-undo.js';
import { migration013 } from './013-receipts.js';
import { migration014 } from './014-payments.js';
import { migration015 } from './015-till.js';

export interface Migration {
  version: number;
  name: string;
  up: (db: Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010, migration011, migration012, migration013, migration014, migration015];
