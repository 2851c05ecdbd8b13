// A PDF page as its reader sees it: rendered in grey levels by pdftoppm (poppler-utils), for what
// a text reading cannot check — a QR code drawn as vector squares, read back module by module.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './station-fixture.js';

export interface GreyPage {
  width: number;
  height: number;
  /** 0 black … 255 white. */
  at: (x: number, y: number) => number;
  dpi: number;
}

/** Page `page` (from 1) of a PDF file, rendered at `dpi` in grey levels (a binary PGM read here). */
export function greyPage(file: string, page: number, dpi: number): GreyPage {
  const prefix = path.join(tempDir(), 'page');
  execFileSync('pdftoppm', ['-gray', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', file, prefix]);
  const bytes = fs.readFileSync(`${prefix}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(bytes.subarray(0, 40).toString('latin1'));
  if (!header) throw new Error(`pdftoppm wrote no binary PGM for page ${page} of ${file}`);
  const width = Number(header[1]);
  const height = Number(header[2]);
  const data = bytes.subarray(header[0].length);
  return { width, height, dpi, at: (x, y) => data[y * width + x]! };
}

/**
 * The box of the page's pure black pixels, or undefined when there is none. Text is drawn in
 * #1a1a1a and lighter, so only the QR code's #000000 squares are found.
 */
export function blackBox(page: GreyPage): { left: number; top: number; right: number; bottom: number } | undefined {
  let box: { left: number; top: number; right: number; bottom: number } | undefined;
  for (let y = 0; y < page.height; y++)
    for (let x = 0; x < page.width; x++)
      if (page.at(x, y) < 10) {
        if (!box) box = { left: x, top: y, right: x, bottom: y };
        else {
          box.left = Math.min(box.left, x);
          box.right = Math.max(box.right, x);
          box.top = Math.min(box.top, y);
          box.bottom = Math.max(box.bottom, y);
        }
      }
  return box;
}

/**
 * The QR code on the page read as a `size` × `size` grid (its size taken from the code it should
 * be): each module's centre, dark or light, within the box of black pixels — the finder patterns
 * fill three corners of it, so the box is the code's.
 */
export function readQr(page: GreyPage, size: number): { modules: boolean[][]; sidePoints: number } | undefined {
  const box = blackBox(page);
  if (!box) return undefined;
  const side = box.right - box.left + 1;
  const cell = side / size;
  const modules = Array.from({ length: size }, (_, row) =>
    Array.from({ length: size }, (_, col) => page.at(Math.floor(box.left + (col + 0.5) * cell), Math.floor(box.top + (row + 0.5) * cell)) < 128),
  );
  return { modules, sidePoints: (side * 72) / page.dpi };
}
