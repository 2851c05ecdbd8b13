#!/usr/bin/env node
// The escale-hub command; its code is compiled to dist/ by `npm run build`.
import { main } from '../dist/server/cli/escale-hub.js';

process.exitCode = await main(process.argv.slice(2));
