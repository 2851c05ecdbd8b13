// npm run sim -- reader|printer …: the simulators as programs, driven by commands on stdin, for the
// demo and for trying the station by hand.
import readline from 'node:readline';
import path from 'node:path';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ReaderSimulator } from './reader-sim.js';
import { PrinterSimulator } from './printer-sim.js';
import { PtyPair } from './pty-pair.js';

const USAGE = `npm run sim -- reader  [--link PATH] [--framing em4100|line] [--rate MS --uids UID,UID…]
  stdin: tap UID | corrupt UID | noise N | hold UID MS | unplug | replug | quit
  The station opens PATH (default ${path.join(os.tmpdir(), 'escale-reader')}) as a serial reader.

npm run sim -- printer [--port N | --pty PATH] [--out DIR]
  stdin: offline | online | paper-out | paper-in | jobs | quit
  Listens on 127.0.0.1:N (default 9100) or on a pty the station opens at PATH; saves jobs in DIR.`;

const say = (line: string) => process.stdout.write(line + '\n');

async function reader(args: string[]) {
  const { values } = parseArgs({ args, options: { link: { type: 'string' }, framing: { type: 'string' }, rate: { type: 'string' }, uids: { type: 'string' } } });
  const link = path.resolve(values.link ?? path.join(os.tmpdir(), 'escale-reader'));
  const framing = values.framing === 'line' ? 'line' : 'em4100';
  const sim = await new ReaderSimulator(link, `${link}-sim`, framing).start();
  say(`simulated ${framing} reader: the station opens ${link}`);
  if (values.rate && values.uids) sim.repeat(values.uids.split(','), Number(values.rate));
  for await (const line of readline.createInterface({ input: process.stdin })) {
    const [cmd, arg, arg2] = line.trim().split(/\s+/);
    try {
      if (cmd === 'tap' && arg) await sim.tap(arg);
      else if (cmd === 'corrupt' && arg) await sim.write(sim.corrupted(arg));
      else if (cmd === 'noise') await sim.write(sim.noise(Number(arg ?? 16)));
      else if (cmd === 'hold' && arg) {
        const until = Date.now() + Number(arg2 ?? 1000);
        while (Date.now() < until) {
          await sim.tap(arg);
          await new Promise((r) => setTimeout(r, 150));
        }
      } else if (cmd === 'unplug') await sim.unplug();
      else if (cmd === 'replug') await sim.replug();
      else if (cmd === 'quit') break;
      else if (cmd) say(`? ${line}\n${USAGE}`);
      if (cmd) say(`ok ${line}`);
    } catch (e) {
      say(`error: ${(e as Error).message}`);
    }
  }
  await sim.stop();
}

async function printer(args: string[]) {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, pty: { type: 'string' }, out: { type: 'string' } } });
  const outDir = path.resolve(values.out ?? path.join(os.tmpdir(), 'escale-printer-jobs'));
  const sim = new PrinterSimulator({ port: Number(values.port ?? 9100), outDir, log: say });
  let pty: PtyPair | undefined;
  if (values.pty) {
    const link = path.resolve(values.pty);
    pty = new PtyPair(link, `${link}-sim`);
    await pty.plug();
    const { SerialPort } = await import('serialport');
    const port = new SerialPort({ path: pty.simulatorSide, baudRate: 9600 });
    sim.attach(port);
    say(`simulated serial printer: the station opens ${link}; jobs saved in ${outDir}`);
  } else {
    await sim.start();
    say(`jobs saved in ${outDir}`);
  }
  for await (const line of readline.createInterface({ input: process.stdin })) {
    const cmd = line.trim();
    if (cmd === 'offline') await sim.goOffline();
    else if (cmd === 'online') await sim.goOnline();
    else if (cmd === 'paper-out') sim.setPaperOut(true);
    else if (cmd === 'paper-in') sim.setPaperOut(false);
    else if (cmd === 'jobs') say(`${sim.jobs.length} jobs`);
    else if (cmd === 'quit') break;
    else if (cmd) say(`? ${cmd}\n${USAGE}`);
  }
  await sim.stop();
  await pty?.unplug();
}

const [kind, ...rest] = process.argv.slice(2);
if (kind === 'reader') await reader(rest);
else if (kind === 'printer') await printer(rest);
else {
  say(USAGE);
  process.exitCode = kind ? 1 : 0;
}
