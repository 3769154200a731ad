/**
 * The dry-run output: a unified diff that `git apply` and `patch -p1` accept from the directory
 * gomend ran in. Headers are `diff -u a/P b/P`, `--- a/P`, `+++ b/P` with P relative to that
 * directory. Not `diff --git`: git reads such headers relative to the top of the repository, so
 * from a subdirectory `git apply` would skip every file and still succeed. The diff is computed
 * on the real bytes (BOM and CRLF restored), so it applies to the file as it is on disk. No time
 * limit decides the hunks: the same change gives the same bytes on any machine (see linediff.ts).
 */
import type { Colors } from '../color.js';
import type { FileResult } from '../results.js';
import { encodeSource } from '../source.js';
import { diffHunks } from './linediff.js';

/** The unified diff of one file's change, coloured when `colors` is enabled. */
export function fileDiff(path: string, before: string, after: string, colors?: Colors, context = 3): string {
  const hunks = diffHunks(before, after, context);
  const lines: string[] = [];
  const c = colors;
  lines.push(c ? c.bold(`diff -u a/${path} b/${path}`) : `diff -u a/${path} b/${path}`);
  // A tab ends a name with spaces in it, as GNU diff writes it, so `patch` reads the whole name.
  const end = /\s/.test(path) ? '\t' : '';
  lines.push(c ? c.bold(`--- a/${path}${end}`) : `--- a/${path}${end}`);
  lines.push(c ? c.bold(`+++ b/${path}${end}`) : `+++ b/${path}${end}`);
  for (const h of hunks) {
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
