// The pages run under a Content Security Policy without 'unsafe-eval'. zod compiles fast parsers
// with Function() unless told not to, and its probe for that (caught, harmless) is still reported
// as a CSP violation. Imported first by station-client.ts, which brings the contracts' schemas
// (and zod) into the pages, so it runs before any schema is defined.
import { config } from 'zod';

config({ jitless: true });
