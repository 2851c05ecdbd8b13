#!/usr/bin/env node
// The escale-station command; its code is compiled to dist/ by `npm run build`.
import { main } from '../dist/main/cli/escale-station.js';

process.exitCode = await main(process.argv.slice(2));
