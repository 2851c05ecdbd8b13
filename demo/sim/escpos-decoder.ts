// The printer simulator's reading of ESC/POS: turns the bytes a printer receives back into
// readable text (alignment and sizes dropped, QR codes shown as [QR …], cuts end a job) and
// answers status requests as a real printer does. Only what a test or a person needs to read.

// Code page 437's upper half (box drawing among it: the encoder draws rules with it).
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';
const win1252 = new TextDecoder('windows-1252');

export interface DecodedJob {
  text: string;
  qrCodes: string[];
  cut: boolean;
}

export interface PrinterState {
  paperOut: boolean;
}

/**
 * Feed bytes in any chunks. `respond` receives the answers to status requests; `onJob` each job,
 * ended by a cut.
 */
export class EscPosDecoder {
  private pending: number[] = [];
  private codepage = 0;
  private line = '';
  private lines: string[] = [];
  private qrCodes: string[] = [];

  constructor(
    private readonly state: PrinterState,
    private readonly respond: (bytes: Uint8Array) => void,
    private readonly onJob: (job: DecodedJob) => void,
  ) {}

  push(chunk: Uint8Array): void {
    this.pending.push(...chunk);
    let used: number;
    while ((used = this.step()) > 0) this.pending.splice(0, used);
  }

  /** Whatever was printed since the last cut (a job sent without a cut). */
  flush(): DecodedJob | undefined {
    if (this.line) this.newline();
    if (this.lines.every((l) => l === '') && this.qrCodes.length === 0) {
      this.lines = [];
      return undefined;
    }
    return this.finish(false);
  }

  private finish(cut: boolean): DecodedJob {
    while (this.lines.length > 0 && this.lines[this.lines.length - 1] === '') this.lines.pop();
    const job = { text: this.lines.join('\n'), qrCodes: this.qrCodes, cut };
    this.lines = [];
    this.qrCodes = [];
    this.line = '';
    return job;
  }

  private newline() {
    this.lines.push(this.line.replace(/\s+$/, ''));
    this.line = '';
  }

  private char(b: number) {
    if (b < 0x80) this.line += String.fromCharCode(b);
    else if (this.codepage === 16) this.line += win1252.decode(Uint8Array.of(b));
    else this.line += CP437_HIGH[b - 0x80] ?? '?';
  }

  /** Handles the command or character at the head of `pending`; returns how many bytes it used (0: need more). */
  private step(): number {
    const p = this.pending;
    if (p.length === 0) return 0;
    const b = p[0]!;
    const need = (n: number) => (p.length >= n ? n : 0);
    switch (b) {
      case 0x0a:
        this.newline();
        return 1;
      case 0x0d:
        return 1;
      case 0x10: // DLE
        if (p.length < 3) return 0;
        if (p[1] === 0x04) {
          this.respond(Uint8Array.of(this.realtimeStatus(p[2]!)));
          return 3;
        }
        if (p[1] === 0x14) return need(5);
        return 2;
      case 0x1b: {
        // ESC
        if (p.length < 2) return 0;
        const c = p[1]!;
        if (c === 0x40) {
          this.codepage = 0;
          return 2;
        }
        if (c === 0x74) {
          if (p.length < 3) return 0;
          this.codepage = p[2]!;
          return 3;
        }
        if (c === 0x64 || c === 0x4a) {
          if (p.length < 3) return 0;
          if (this.line) this.newline();
          for (let i = 0; i < (c === 0x64 ? p[2]! : 0); i++) this.lines.push('');
          return 3;
        }
        if (c === 0x2a) {
          // ESC * m nL nH d1…dk: bit image
          if (p.length < 5) return 0;
          const width = p[3]! + 256 * p[4]!;
          return need(5 + width * (p[2]! >= 32 ? 3 : 1));
        }
        return need(3); // ESC E, ESC -, ESC M, ESC a, ESC !, ESC G, ESC { … one argument
      }
      case 0x1c: // FS: FS . cancels kanji; FS & sets it
        return need(2);
      case 0x1d: {
        // GS
        if (p.length < 2) return 0;
        const c = p[1]!;
        if (c === 0x56) {
          if (p.length < 3) return 0;
          const used = p[2] === 65 || p[2] === 66 ? 4 : 3;
          if (p.length < used) return 0;
          this.onJob(this.finish(true));
          return used;
        }
        if (c === 0x72) {
          if (p.length < 3) return 0;
          this.respond(Uint8Array.of(this.state.paperOut ? 0x0c : 0x00));
          return 3;
        }
        if (c === 0x28) {
          // GS ( fn pL pH …: length-prefixed
          if (p.length < 5) return 0;
          const total = 5 + p[3]! + 256 * p[4]!;
          if (p.length < total) return 0;
          if (p[2] === 0x6b && p[5] === 0x31 && p[6] === 0x50) this.qrCodes.push(Buffer.from(p.slice(8, total)).toString('latin1'));
          if (p[2] === 0x6b && p[5] === 0x31 && p[6] === 0x51 && this.qrCodes.length > 0) this.line += `[QR ${this.qrCodes[this.qrCodes.length - 1]}]`;
          return total;
        }
        if (c === 0x76 && p[2] === 0x30) {
          // GS v 0 m xL xH yL yH: raster image
          if (p.length < 8) return 0;
          return need(8 + (p[4]! + 256 * p[5]!) * (p[6]! + 256 * p[7]!));
        }
        if (c === 0x6b) {
          // GS k m n d1…dn: barcode
          if (p.length < 4) return 0;
          return need(4 + p[3]!);
        }
        return need(3); // GS !, GS B, GS h, GS w, GS H, GS f … one argument
      }
      default:
        if (b < 0x20) return 1;
        this.char(b);
        return 1;
    }
  }

  private realtimeStatus(n: number): number {
    const fixed = 0x12;
    if (n === 4) return fixed | (this.state.paperOut ? 0x60 : 0);
    if (n === 2) return fixed | (this.state.paperOut ? 0x20 : 0);
    if (n === 1) return fixed | (this.state.paperOut ? 0x08 : 0);
    return fixed;
  }
}
