#!/usr/bin/env node
// The escale-hub command, bundled into dist/cli/ by `npm run build` (scripts/cli-bundle.vite.config.ts):
// a few files to read instead of ~200 makes a simple command start in about Node's own time.
import { main } from '../dist/cli/escale-hub.mjs';

process.exitCode = await main(process.argv.slice(2));
