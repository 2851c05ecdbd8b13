// The kiosk window's preload: the kiosk's methods only (tap, the site, the sync state).
import { exposeStation } from './expose.js';

exposeStation('kiosk');
