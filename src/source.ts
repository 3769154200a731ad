/**
 * Reading a Go file into the normalised text transforms see, and writing it back byte-faithfully.
 *
 * Transforms work on text without a byte-order mark and with `\n` line ends, so that inserted code
 * (which always uses `\n`) matches the file and gofmt can judge it. What was taken off is put back
 * on write: a BOM stays a BOM, a file whose every line ends in CRLF keeps CRLF. A file whose line ends
 * are mixed is left with its `\r`s in place (gofmt drops `\r`, and carriage returns inside raw
 * strings are discarded by the compiler, so nothing a program sees depends on them). Files that are
 * not text (a NUL byte), UTF-16 or not UTF-8 are refused rather than re-encoded, with the line and
 * byte where the problem is, so a Latin-1 comment is easy to find and fix by hand.
 */

const BOM = '\uFEFF';

export interface Decoded {
  text: string;
  bom: boolean;
  crlf: boolean;
}

/** A failure says why, and where when a byte is to blame (1-based line, column in bytes). */
export type DecodeResult = { ok: true; value: Decoded } | { ok: false; reason: string; line?: number; column?: number };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes file bytes, or says why gomend will not touch them (with where, so users can look). */
export function decodeSource(bytes: Uint8Array): DecodeResult {
  if (startsWithUtf16Bom(bytes)) return { ok: false, reason: 'UTF-16 text (Go source must be UTF-8); not rewritten' };
  const nul = bytes.indexOf(0);
  if (nul !== -1) return { ok: false, reason: 'binary file (a NUL byte); not rewritten', ...where(bytes, nul) };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: 'not valid UTF-8; not rewritten, never re-encoded', ...where(bytes, firstInvalidUtf8(bytes)) };
  }
  const bom = text.startsWith(BOM);
  if (bom) text = text.slice(1);
  // Most files hold no carriage return at all: only then is counting line ends worth it.
  const lf = text.includes('\r') ? countOf(text, '\n') : 0;
  const crlf = lf > 0 && countOf(text, '\r\n') === lf;
  if (crlf) text = text.replace(/\r\n/g, '\n');
  return { ok: true, value: { text, bom, crlf } };
}

/** Turns normalised text back into the bytes of a file shaped like the original. */
export function encodeSource(text: string, shape: { bom: boolean; crlf: boolean }): Buffer {
  let out = shape.crlf ? text.replace(/\n/g, '\r\n') : text;
  if (shape.bom) out = BOM + out;
  return Buffer.from(out, 'utf8');
}

function startsWithUtf16Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

/** Line and column (in bytes) of a byte offset, 1-based, for messages about bytes that are not text. */
function where(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < offset; i = bytes.indexOf(0x0a, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * The offset of the first byte that breaks UTF-8 (bad lead byte, missing continuation, overlong
 * form, surrogate or value past U+10FFFF), as the fatal TextDecoder judges. Only called once a
 * decode has failed, so its speed does not matter.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min, cp] = [1, 0x80, b & 0x1f];
    else if (b >= 0xe0 && b <= 0xef) [need, min, cp] = [2, 0x800, b & 0x0f];
    else if (b >= 0xf0 && b <= 0xf4) [need, min, cp] = [3, 0x10000, b & 0x07];
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

function countOf(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

/**
 * The header of a Go file: its package name and whether it is generated, read without parsing so
 * that packages can be grouped (and skipped) before any tree is built. Comments before the package
 * clause are skipped; a `// Code generated … DO NOT EDIT.` line among them marks generated code.
 */
export function readHeader(text: string): { packageName: string | undefined; generated: boolean } {
  let generated = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      const line = text.slice(i, end === -1 ? n : end);
      if (/^\/\/ Code generated .* DO NOT EDIT\.\r?$/.test(line)) generated = true;
      i = end === -1 ? n : end + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) return { packageName: undefined, generated };
      i = end + 2;
    } else {
      const m = /^package[ \t]+([\p{L}_][\p{L}\p{N}_]*)/u.exec(text.slice(i, i + 300));
      return { packageName: m?.[1], generated };
    }
  }
  return { packageName: undefined, generated };
}
