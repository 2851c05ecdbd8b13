// The CLI start-up benchmark (npm run bench:cli): how long `escale-station` and `escale-hub` take
// from spawn to exit for --help and simple commands, beside `node -e 0` measured in the same run
// (Node's own start on this machine), each against the target of 150 ms.
//
//   node dist/tests/bench/cli-bench.js [--runs N] [--root DIR]
//
// --runs: timed runs per command (default 20), after two untimed ones; the commands take turns, so
//         a machine busy for a moment slows them all alike.
// --root: the checkout whose bin/ and dist/ are measured (default: this one), e.g. a copy of an
//         older build to compare with.
// Each command is also run once with a module trace (an ESM load hook and a CommonJS require
// hook): what it loaded, and which of the heavy packages (socket.io, serialport, node-hid, pdfkit,
// pg…) it loaded without needing them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const TARGET_MS = 150;
/** Packages a simple command must not load: the transport, the devices, the documents, PostgreSQL. */
const HEAVY = ['socket.io', 'socket.io-client', 'engine.io', 'engine.io-client', 'ws', 'serialport', '@serialport', 'node-hid', '@pokusew/pcsclite', 'pdfkit', 'pg', '@socket.io/postgres-adapter', '@point-of-sale/receipt-printer-encoder'];

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, root: { type: 'string' } } });
const runs = Number(values.runs);
const thisRoot = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();
const root = path.resolve(values.root ?? thisRoot);
const stationBin = path.join(root, 'bin/escale-station.js');
const hubBin = path.join(root, 'bin/escale-hub.js');
for (const f of [stationBin, hubBin, path.join(root, 'dist/main/cli/escale-station.js')])
  if (!fs.existsSync(f)) throw new Error(`${f} is missing: npm run build (or give --root a built checkout)`);

// ---- a station and a hub to ask ------------------------------------------------------------------

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'escale-cli-bench-'));
const dataDir = path.join(work, 'station');
const hubDb = path.join(work, 'hub.sqlite');
const reference = path.join(thisRoot, 'resources/demo/reference-data.json');

function mustRun(args: string[]): void {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stdout}${r.stderr}`);
}
mustRun([stationBin, 'init', '--data', dataDir, '--site', 'bxl-louise']);
mustRun([stationBin, 'import', '--data', dataDir, reference]);
mustRun([stationBin, 'tap', '--data', dataDir, 'CAFE0000BEEF']);
mustRun([hubBin, 'import', '--db', hubDb, reference]);
mustRun([hubBin, 'station', 'enroll', '--db', hubDb, '--site', 'bxl-louise', '--name', 'Bench']);

interface Command {
  name: string;
  args: string[];
}
const commands: Command[] = [
  { name: 'node -e 0 (Node alone)', args: ['-e', '0'] },
  { name: 'escale-station --help', args: [stationBin, '--help'] },
  { name: 'escale-station onsite', args: [stationBin, 'onsite', '--data', dataDir] },
  { name: 'escale-station day --json', args: [stationBin, 'day', '--data', dataDir, '--json'] },
  { name: 'escale-station devices list', args: [stationBin, 'devices', 'list', '--data', dataDir] },
  { name: 'escale-hub --help', args: [hubBin, '--help'] },
  { name: 'escale-hub station list', args: [hubBin, 'station', 'list', '--db', hubDb] },
  { name: 'escale-hub streams', args: [hubBin, 'streams', '--db', hubDb] },
];

// ---- timing --------------------------------------------------------------------------------------

function once(c: Command): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, c.args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${c.name} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

const loadBefore = load();
for (let i = 0; i < 2; i++) for (const c of commands) once(c);
const times = new Map<Command, number[]>(commands.map((c) => [c, []]));
for (let i = 0; i < runs; i++) for (const c of commands) times.get(c)!.push(once(c));
const loadAfter = load();

// ---- what each command loads ---------------------------------------------------------------------

const hooks = path.join(work, 'trace-hooks.mjs');
fs.writeFileSync(
  hooks,
  `import fs from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) fs.appendFileSync(process.env.ESCALE_TRACE_FILE, url + '\\n');
  return next(url, context);
}
`,
);
const tracer = path.join(work, 'trace.mjs');
fs.writeFileSync(
  tracer,
  `import fs from 'node:fs';
import { createRequire, register } from 'node:module';
const Module = createRequire(import.meta.url)('node:module');
const load = Module._load;
Module._load = function (request, parent, isMain) {
  try { fs.appendFileSync(process.env.ESCALE_TRACE_FILE, Module._resolveFilename(request, parent, isMain) + '\\n'); } catch {}
  return load.apply(this, arguments);
};
register(${JSON.stringify(pathToFileURL(hooks).href)});
`,
);

/** The files a command loads, by package ("app" for this repository's own). */
function trace(c: Command): Map<string, number> {
  const file = path.join(work, 'trace.txt');
  fs.writeFileSync(file, '');
  spawnSync(process.execPath, ['--import', pathToFileURL(tracer).href, ...c.args], { stdio: 'ignore', env: { ...process.env, ESCALE_TRACE_FILE: file } });
  const packages = new Map<string, number>();
  for (const line of new Set(fs.readFileSync(file, 'utf8').split('\n'))) {
    if (!line.startsWith('/') && !line.startsWith('file:')) continue;
    const p = line.startsWith('file:') ? fileURLToPath(line) : line;
    if (p === tracer || p === hooks) continue;
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p);
    const key = m ? m[1]! : 'app';
    packages.set(key, (packages.get(key) ?? 0) + 1);
  }
  return packages;
}

// ---- the report ----------------------------------------------------------------------------------

const baseline = percentile([...times.get(commands[0]!)!].sort((a, b) => a - b), 50);
const ms = (n: number) => `${n.toFixed(0)} ms`;
console.log(`CLI start, spawn to exit: ${runs} runs each (after 2 untimed), ${os.cpus().length} cores, load average ${loadBefore} → ${loadAfter}`);
console.log(`measuring ${root}${root === thisRoot ? '' : ' (--root)'}\n`);
console.log(`${'command'.padEnd(30)}${'p50'.padStart(8)}${'p90'.padStart(8)}${'min'.padStart(8)}${'p50 − Node'.padStart(12)}   target ≤ ${TARGET_MS} ms (p50)`);
for (const c of commands) {
  const sorted = [...times.get(c)!].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p90 = percentile(sorted, 90);
  const own = c === commands[0] ? '—' : `+${ms(p50 - baseline)}`;
  const verdict = c === commands[0] ? '' : p50 <= TARGET_MS ? 'met' : `MISSED by ${ms(p50 - TARGET_MS)}`;
  console.log(`${c.name.padEnd(30)}${ms(p50).padStart(8)}${ms(p90).padStart(8)}${ms(sorted[0]!).padStart(8)}${own.padStart(12)}   ${verdict}`);
}
console.log(`\nNode's own start (node -e 0) is ${ms(baseline)} of each figure: no CLI can start faster here. The`);
console.log('minimum is the figure of an idle machine; p50 and p90 grow with the load average above.');

console.log('\nWhat each command loads (files; heavy packages it should not need are marked !):');
for (const c of commands.slice(1)) {
  const packages = trace(c);
  const files = [...packages.values()].reduce((a, b) => a + b, 0);
  const heavy = [...packages.keys()].filter((p) => HEAVY.includes(p));
  const list = [...packages].sort((a, b) => b[1] - a[1]).map(([p, n]) => `${HEAVY.includes(p) ? '!' : ''}${p} ${n}`).join(', ');
  console.log(`  ${c.name.padEnd(30)}${String(files).padStart(4)} files: ${list}${heavy.length ? `  — heavy: ${heavy.join(', ')}` : ''}`);
}
fs.rmSync(work, { recursive: true, force: true });
