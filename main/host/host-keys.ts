// The local host's two credentials: the kiosk key (a public screen's: tap, the site, the sync
// state) and the desk key (the reception window's: sign-in, then a clerk's session). Random,
// never in an address, a log or a command line: from the environment (ESCALE_KIOSK_KEY,
// ESCALE_DESK_KEY), else from host-keys.json in the station's data folder (0600), made on first use.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export interface HostKeys {
  kiosk: string;
  desk: string;
}

export const HOST_KEYS_FILE = 'host-keys.json';
const keySchema = z.string().regex(/^[A-Za-z0-9_-]{24,128}$/, 'at least 24 characters of letters, digits, "-" or "_"');
const fileSchema = z.object({ kiosk: keySchema, desk: keySchema });

const newKey = () => randomBytes(32).toString('base64url');

export function loadHostKeys(dataDir: string, env: NodeJS.ProcessEnv = process.env): HostKeys {
  const fromEnv = { kiosk: env.ESCALE_KIOSK_KEY, desk: env.ESCALE_DESK_KEY };
  for (const [name, value] of Object.entries(fromEnv)) {
    if (value !== undefined && !keySchema.safeParse(value).success)
      throw new Error(`ESCALE_${name.toUpperCase()}_KEY must be at least 24 characters of letters, digits, "-" or "_".`);
  }
  const file = path.join(dataDir, HOST_KEYS_FILE);
  let stored: HostKeys | undefined;
  if (fs.existsSync(file)) {
    const parsed = fileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file} is damaged: delete it to make new keys (every paired screen must then be paired again).`);
    stored = parsed.data;
    // Whoever loosened it: the keys are for the station's user alone.
    if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  } else if (fromEnv.kiosk === undefined || fromEnv.desk === undefined) {
    stored = { kiosk: newKey(), desk: newKey() };
    fs.writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  }
  const keys = { kiosk: fromEnv.kiosk ?? stored!.kiosk, desk: fromEnv.desk ?? stored!.desk };
  if (keys.kiosk === keys.desk) throw new Error('The kiosk key and the desk key must differ: the kiosk must never open the desk.');
  return keys;
}
