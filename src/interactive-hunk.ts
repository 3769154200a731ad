/**
 * Hunks for `gomend -i`: what one fix looks like as a diff, and editing its new text by hand.
 *
 * A fix is shown on its own against the file as it was read (like `git add -p`, each hunk stands
 * alone). For `e`, the fix's edits are grouped into regions of whole lines; the user edits the new
 * text of each region in one temporary file, and the result becomes a fix of its own. A region the
 * user left as offered keeps the fix's original edits, so an untouched import edit still coalesces
 * with the same import added by another fix; a changed region becomes one edit covering only the
 * characters that differ, so it collides with as few other fixes as possible. Pure functions, no I/O.
 */
import type { Colors } from './color.js';
import { applyEdits, compareEdits } from './edits.js';
import type { FileEdit } from './edits.js';
import { fileDiff } from './sinks/diff.js';
import type { Fix } from './types.js';

/** The coloured diff of one fix alone, one file section per file it touches (its own file first). */
export function renderFixDiff(path: string, edits: FileEdit[], sources: ReadonlyMap<string, string>, colors: Colors, context = 3): string {
  const files = [...new Set([path, ...edits.map((e) => e.file)])].filter((f) => edits.some((e) => e.file === f));
  let out = '';
  for (const file of files) {
    const before = sources.get(file) ?? '';
    const after = applyEdits(before, edits.filter((e) => e.file === file).sort(compareEdits));
    out += fileDiff(file, before, after, colors, context);
  }
  return out;
}

/** Whole lines of one file that a group of a fix's edits falls in. */
export interface Region {
  file: string;
  /** Start of the first line and end of the last line (after its `\n`), in the original text. */
  start: number;
  end: number;
  /** The original text of those lines, and the text the fix puts there. */
  before: string;
  after: string;
  /** The fix's edits inside the region, as offered. */
  edits: FileEdit[];
  /** 1-based first and last line numbers, for the header the user sees. */
  firstLine: number;
  lastLine: number;
}

function lineStartOf(source: string, index: number): number {
  return source.lastIndexOf('\n', index - 1) + 1;
}

/** End of the line holding the edit's last character (an edit ending right after `\n` ends there). */
function lineEndOf(source: string, e: FileEdit): number {
  if (e.end > e.start && source[e.end - 1] === '\n') return e.end;
  const nl = source.indexOf('\n', e.end);
  return nl === -1 ? source.length : nl + 1;
}

function lineNumber(source: string, index: number): number {
  let n = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < index; i = source.indexOf('\n', i + 1)) n++;
  return n;
}

/** Groups a fix's edits into regions of whole lines; edits on the same or adjacent lines share one. */
export function regionsOf(edits: FileEdit[], sources: ReadonlyMap<string, string>): Region[] {
  const sorted = [...edits].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : compareEdits(a, b)));
  const groups: { file: string; start: number; end: number; edits: FileEdit[] }[] = [];
  for (const e of sorted) {
    const source = sources.get(e.file) ?? '';
    const start = lineStartOf(source, e.start);
    const end = Math.max(lineEndOf(source, e), start);
    const last = groups[groups.length - 1];
    if (last && last.file === e.file && start <= last.end) {
      last.end = Math.max(last.end, end);
      last.edits.push(e);
    } else {
      groups.push({ file: e.file, start, end, edits: [e] });
    }
  }
  return groups.map((g) => {
    const source = sources.get(g.file) ?? '';
    const before = source.slice(g.start, g.end);
    const shifted = g.edits.map((e) => ({ ...e, start: e.start - g.start, end: e.end - g.start }));
    const endLine = g.end > g.start && source[g.end - 1] === '\n' ? g.end - 1 : g.end;
    return {
      file: g.file,
      start: g.start,
      end: g.end,
      before,
      after: applyEdits(before, shifted),
      edits: g.edits,
      firstLine: lineNumber(source, g.start),
      lastLine: lineNumber(source, endLine),
    };
  });
}

/** Marker lines in the file the user edits start with this (at column 0); gomend drops them. */
export const MARK = '//gomend:edit';

function header(r: Region, i: number, n: number): string {
  const lines = r.firstLine === r.lastLine ? `line ${r.firstLine}` : `lines ${r.firstLine}-${r.lastLine}`;
  return `${MARK} @@ region ${i + 1} of ${n}: ${r.file}, ${lines} (new text; keep this line) @@\n`;
}

/** The text handed to the editor: each region's new text under a header, then the instructions. */
export function editTemplate(regions: Region[], message: string): string {
  let out = '';
  regions.forEach((r, i) => {
    out += header(r, i, regions.length);
    out += r.after.endsWith('\n') || r.after === '' ? r.after : r.after + '\n';
  });
  out += `${MARK} ---\n`;
  out += `${MARK} Edit the new text of this fix (${message}) above, save and quit.\n`;
  out += `${MARK} Lines starting with ${MARK} are dropped; keep each region's header line.\n`;
  out += `${MARK} To cancel, empty the file.\n`;
  return out;
}

export type ParsedEdit = { ok: true; texts: string[] } | { ok: false; cancelled?: boolean; reason: string };

/** Reads the regions' new texts back from what the user saved. */
export function parseEdited(saved: string, regions: Region[]): ParsedEdit {
  const text = saved.replace(/\r\n/g, '\n');
  if (text.trim() === '') return { ok: false, cancelled: true, reason: 'the file was emptied: edit cancelled' };
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const texts: string[] = [];
  let current = -1;
  for (const line of lines) {
    if (line.startsWith(MARK)) {
      const m = /^\/\/gomend:edit @@ region (\d+) of (\d+)\b/.exec(line);
      if (!m) {
        current = -1;
        continue;
      }
      const index = Number(m[1]) - 1;
      if (index !== texts.length || Number(m[2]) !== regions.length) {
        return { ok: false, reason: `the region header lines were changed (expected region ${texts.length + 1} of ${regions.length})` };
      }
      texts.push('');
      current = index;
      continue;
    }
    if (current === -1) {
      if (line.trim() !== '') return { ok: false, reason: `text outside a region: ${JSON.stringify(line.slice(0, 40))}` };
      continue;
    }
    texts[current] += line + '\n';
  }
  if (texts.length !== regions.length) return { ok: false, reason: `expected ${regions.length} region header line(s), found ${texts.length}` };
  // A region at the end of a file without a final newline comes back with one: take it off again.
  return { ok: true, texts: texts.map((t, i) => (regions[i].after.endsWith('\n') || !t.endsWith('\n') ? t : t.slice(0, -1))) };
}

/** The one edit that turns `before` into `after`, covering only the characters that differ. */
export function minimalEdit(file: string, offset: number, before: string, after: string): FileEdit | undefined {
  if (before === after) return undefined;
  let p = 0;
  while (p < before.length && p < after.length && before[p] === after[p]) p++;
  let s = 0;
  while (s < before.length - p && s < after.length - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++;
  return { file, start: offset + p, end: offset + before.length - s, text: after.slice(p, after.length - s) };
}

/**
 * The fix the user's texts describe, or undefined when they change nothing in the file. Regions
 * left as offered keep the fix's own edits.
 */
export function editedFix(message: string, regions: Region[], texts: string[]): Fix | undefined {
  const edits: FileEdit[] = [];
  regions.forEach((r, i) => {
    if (texts[i] === r.after) {
      edits.push(...r.edits);
      return;
    }
    const e = minimalEdit(r.file, r.start, r.before, texts[i]);
    if (e) edits.push(e);
  });
  if (edits.length === 0) return undefined;
  return { message: `${message} (edited)`, edits: edits.map((e) => ({ file: e.file, start: e.start, end: e.end, text: e.text })) };
}
