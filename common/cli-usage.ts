// `--help` after a command, on both command lines (escale-station, escale-hub): the usage lines of
// that command alone, out of the one usage text each CLI keeps, so the two never disagree.

/**
 * The lines of `usage` that describe `command` of `bin`: each line "  BIN WORD…" whose WORD (or one
 * of its a|b|c alternatives) is the command, with the more-indented lines that continue it.
 * Undefined when the command has none (an unknown command: the whole usage is the answer).
 */
export function commandUsage(usage: string, bin: string, command: string): string | undefined {
  const lines = usage.split('\n');
  const picked: string[] = [];
  let inside = false;
  for (const line of lines) {
    const m = new RegExp(`^ {2}${bin} (\\S+)`).exec(line);
    if (m) inside = m[1]!.split('|').includes(command);
    else if (!/^ {4,}\S/.test(line)) inside = false;
    if (inside) picked.push(line);
  }
  return picked.length > 0 ? picked.join('\n') : undefined;
}
