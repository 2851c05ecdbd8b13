// The same flags on both command lines: `--help` after any command gives that command's usage
// (exit 0), `--json` answers in one line as {"ok":true,"value":…} or {"ok":false,"error":…}, and an
// unknown option is a bad command line (exit 2) — escale-station and escale-hub alike.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/station-fixture.js';
import { DEMO_REFERENCE_FILE } from '../support/hub-fixture.js';
import { runCli, type CliName } from '../support/cli.js';

/** The commands a CLI's usage lists ("  escale-hub events|streams …" lists five). */
async function commandsOf(cli: CliName): Promise<string[]> {
  const usage = (await runCli(cli, ['--help'])).stdout;
  const words = [...usage.matchAll(new RegExp(`^ {2}${cli} ([a-z|-]+)`, 'gm'))].flatMap((m) => m[1]!.split('|'));
  return [...new Set(words)];
}

describe('--help after a command', () => {
  for (const cli of ['escale-station', 'escale-hub'] as const) {
    it(`${cli}: every command answers --help with its own usage lines and the flags`, async () => {
      const commands = await commandsOf(cli);
      expect(commands.length).toBeGreaterThan(cli === 'escale-hub' ? 20 : 25);
      for (const command of commands) {
        const r = await runCli(cli, [command, '--help']);
        expect(r.status, `${cli} ${command} --help`).toBe(0);
        const lines = r.stdout.split('\n').filter((l) => l.startsWith(`  ${cli} `));
        expect(lines.length, `${cli} ${command} --help`).toBeGreaterThan(0);
        for (const l of lines) expect(l.split(' ')[3]!.split('|'), `${cli} ${command} --help: ${l}`).toContain(command);
        expect(r.stdout).toContain('--json prints');
        expect(r.stdout).toContain('Exit codes: 0 done, 1 refused or failed');
      }
    });
  }

  it('an unknown command with --help: the whole usage', async () => {
    const r = await runCli('escale-hub', ['frobnicate', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('escale-hub serve');
    expect(r.stdout).toContain('escale-hub statements');
  });

  it('an unknown option is a bad command line on both (exit 2)', async () => {
    expect((await runCli('escale-station', ['onsite', '--data', tempDir(), '--frobnicate'])).status).toBe(2);
    const hub = await runCli('escale-hub', ['streams', '--db', path.join(tempDir(), 'hub.sqlite'), '--frobnicate']);
    expect(hub.status).toBe(2);
    expect(hub.stderr).toContain("error USAGE: Unknown option '--frobnicate'");
  });
});

describe('escale-hub --json', () => {
  let db: string;
  beforeAll(async () => {
    db = path.join(tempDir('escale-hub-json-'), 'hub.sqlite');
    expect((await runCli('escale-hub', ['import', '--db', db, DEMO_REFERENCE_FILE])).status).toBe(0);
  });

  const oneLine = (stdout: string) => {
    expect(stdout.trim().split('\n')).toHaveLength(1);
    return JSON.parse(stdout);
  };

  it('answers as escale-station --json does: {ok, value} on one line', async () => {
    const enrolled = await runCli('escale-hub', ['station', 'enroll', '--db', db, '--site', 'bxl-louise', '--name', 'Desk', '--json']);
    expect(enrolled.status).toBe(0);
    const answer = oneLine(enrolled.stdout);
    expect(answer).toMatchObject({ ok: true, value: { siteId: 'bxl-louise' } });
    const listed = await runCli('escale-hub', ['station', 'list', '--db', db, '--json']);
    expect(oneLine(listed.stdout)).toMatchObject({ ok: true, value: [{ id: answer.value.id ?? answer.value.stationId }] });
    expect(oneLine((await runCli('escale-hub', ['streams', '--db', db, '--json'])).stdout)).toEqual({ ok: true, value: [] });
    // Without --json: the value alone, indented, as before.
    expect(JSON.parse((await runCli('escale-hub', ['streams', '--db', db])).stdout)).toEqual([]);
  });

  it('a refusal is an answer too: {ok:false, error} on standard output, exit 1', async () => {
    const r = await runCli('escale-hub', ['station', 'revoke', '--db', db, 'st-nobody', '--json']);
    expect(r.status).toBe(1);
    expect(oneLine(r.stdout)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('st-nobody') } });
    expect(r.stderr).toBe('');
  });

  it('the accounts commands: JSON in the envelope; --json with a CSV to standard output is a bad command line', async () => {
    const settlement = await runCli('escale-hub', ['settlement', '--db', db, '--period', '2026-11', '--json']);
    expect(settlement.status, settlement.stderr).toBe(0);
    expect(oneLine(settlement.stdout)).toMatchObject({ ok: true, value: { period: '2026-11' } });
    const csv = await runCli('escale-hub', ['settlement', '--db', db, '--period', '2026-11', '--format', 'csv', '--json']);
    expect(csv.status).toBe(2);
    expect(csv.stderr).toContain('--json prints JSON');
    const out = path.join(tempDir(), 'settlement.csv');
    const written = await runCli('escale-hub', ['settlement', '--db', db, '--period', '2026-11', '--format', 'csv', '--out', out, '--json']);
    expect(oneLine(written.stdout)).toMatchObject({ ok: true, value: { written: out, format: 'csv' } });
    const close = await runCli('escale-hub', ['close', '--db', db, '--period', '2026-11', '--json']);
    expect([0, 3]).toContain(close.status);
    expect(oneLine(close.stdout)).toMatchObject({ ok: true, value: { period: '2026-11' } });
  });
});
