/**
 * The dry-run output: a unified diff that `git apply` and `patch -p1` accept from the directory
 * gomend ran in. Headers are `diff -u a/P b/P`, `--- a/P`, `+++ b/P` with P relative to that
 * directory. Not `diff --git`: git reads such headers relative to the top of the repository, so
 * from a subdirectory `git apply` would skip every file and still succeed. The diff is computed on the real bytes (BOM and CRLF restored), so it applies to the
 * file as it is on disk.
 */
import { structuredPatch } from 'diff';
import type { Colors } from '../color.js';
import type { FileResult } from '../driver.js';
import { encodeSource } from '../source.js';

type Hunk = { oldStart: number; oldLines: number; newStart: number; newLines: number; lines: string[] };

/**
 * One hunk from the first to the last differing line: the fallback when a file has so many changes
 * that a minimal line diff would take minutes (jsdiff's cost grows with lines times changes). Still
 * a correct patch, only a coarser one.
 */
export function coarseHunk(before: string, after: string, context: number): Hunk[] {
  // Lines with their terminators, so a missing final newline is just a different last line.
  const a = before.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const b = after.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const from = Math.max(0, head - context);
  const to = Math.min(tail, context); // trailing context lines kept
  const out: string[] = [];
  const emit = (prefix: string, line: string) => {
    out.push(prefix + line.replace(/\n$/, ''));
    if (!line.endsWith('\n')) out.push('\\ No newline at end of file');
  };
  for (let i = from; i < head; i++) emit(' ', a[i]);
  for (let i = head; i < a.length - tail; i++) emit('-', a[i]);
  for (let i = head; i < b.length - tail; i++) emit('+', b[i]);
  for (let i = a.length - tail; i < a.length - tail + to; i++) emit(' ', a[i]);
  const oldLines = a.length - tail + to - from;
  const newLines = b.length - tail + to - from;
  return [{ oldStart: oldLines ? from + 1 : from, oldLines, newStart: newLines ? from + 1 : from, newLines, lines: out }];
}

/** The unified diff of one file's change, coloured when `colors` is enabled. */
export function fileDiff(path: string, before: string, after: string, colors?: Colors, context = 3): string {
  const minimal = structuredPatch(`a/${path}`, `b/${path}`, before, after, '', '', { context, timeout: 2000 });
  const patch = minimal ?? { hunks: coarseHunk(before, after, context) };
  const lines: string[] = [];
  const c = colors;
  lines.push(c ? c.bold(`diff -u a/${path} b/${path}`) : `diff -u a/${path} b/${path}`);
  // A tab ends a name with spaces in it, as GNU diff writes it, so `patch` reads the whole name.
  const end = /\s/.test(path) ? '\t' : '';
  lines.push(c ? c.bold(`--- a/${path}${end}`) : `--- a/${path}${end}`);
  lines.push(c ? c.bold(`+++ b/${path}${end}`) : `+++ b/${path}${end}`);
  for (const h of patch.hunks) {
    const header = `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`;
    lines.push(c ? c.cyan(header) : header);
    for (const line of h.lines) {
      if (!c) lines.push(line);
      else if (line.startsWith('+')) lines.push(c.green(line));
      else if (line.startsWith('-')) lines.push(c.red(line));
      else lines.push(line);
    }
  }
  return lines.join('\n') + '\n';
}

/** The diff of every changed file, in the order given. */
export function renderDiff(files: FileResult[], colors?: Colors): string {
  let out = '';
  for (const f of files) {
    if (f.status !== 'changed' || f.after === undefined || !f.original || !f.shape) continue;
    const before = f.original.toString('utf8');
    const after = encodeSource(f.after, f.shape).toString('utf8');
    out += fileDiff(f.path, before, after, colors);
  }
  return out;
}
