// The reception window's preload: sign-in, then the desk's and a supervisor's methods (the main
// process checks the clerk's session and role on every call).
import { exposeStation } from './expose.js';

exposeStation('reception');
