/**
 * Reading a Go file into the normalised text transforms see, and writing it back byte-faithfully.
 *
 * Transforms work on text without a byte-order mark and with `\n` line ends, so that inserted code
 * (which always uses `\n`) matches the file and gofmt can judge it. What was taken off is put back
 * on write: a BOM stays a BOM, a file whose every line ends in CRLF keeps CRLF. A file whose line ends
 * are mixed is left with its `\r`s in place (gofmt drops `\r`, and carriage returns inside raw
 * strings are discarded by the compiler, so nothing a program sees depends on them). Files that are
 * not text (a NUL byte) or not UTF-8 are refused rather than re-encoded.
 */

const BOM = '\uFEFF';

export interface Decoded {
  text: string;
  bom: boolean;
  crlf: boolean;
}

export type DecodeResult = { ok: true; value: Decoded } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes file bytes, or says why gomend will not touch them. */
export function decodeSource(bytes: Uint8Array): DecodeResult {
  if (bytes.includes(0)) return { ok: false, reason: 'binary file (contains a NUL byte)' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: 'not valid UTF-8' };
  }
  const bom = text.startsWith(BOM);
  if (bom) text = text.slice(1);
  const lf = countOf(text, '\n');
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
