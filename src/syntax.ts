/**
 * Who decides what is valid Go: gofmt (Go's own parser), not tree-sitter.
 *
 * tree-sitter-go lags behind the language (0.25 rejects Go 1.26's `new(int32(4))`, and reads
 * `make(n - 1)` with a local function named make as the built-in's type argument), so a file it
 * cannot read may well be valid. Such a file is still worked on: only its error regions are off
 * limits. An error region is the top-level declaration around an ERROR or MISSING node, or, for
 * an error between declarations, the error with the declarations on both sides of it: tree-sitter's
 * recovery may have misread those too. Findings there are not reported and no fix may edit inside
 * or right next to one. A file gofmt rejects is a syntax error, reported at gofmt's position.
 */
import { gofmt } from './gofmt.js';
import { firstSyntaxError, parseGo } from './parse.js';
import type { Node } from './types.js';

export interface Region {
  start: number;
  end: number;
}

/** Where a file stops being readable: 1-based line and column (UTF-8 bytes, as Go tools count). */
export interface SyntaxPosition {
  line: number;
  column: number;
}

/** The error regions of a tree, in order, merged when they touch. Empty for a clean tree. */
export function errorRegions(root: Node): Region[] {
  if (!root.hasError) return [];
  const top = root.children.filter((n): n is Node => !!n);
  const out: Region[] = [];
  top.forEach((n, i) => {
    if (!n.hasError && !n.isError && !n.isMissing) return;
    const topLevelError = n.isError || n.isMissing;
    const first = topLevelError && i > 0 ? top[i - 1] : n;
    const last = topLevelError && i + 1 < top.length ? top[i + 1] : n;
    const r = { start: first.startIndex, end: last.endIndex };
    const prev = out[out.length - 1];
    if (prev && r.start <= prev.end) prev.end = Math.max(prev.end, r.end);
    else out.push(r);
  });
  if (out.length === 0) out.push({ start: 0, end: root.endIndex }); // an error tree-sitter puts nowhere: all of it
  return out;
}

/** The regions of a source, parsed here. */
export function errorRegionsOf(source: string): Region[] {
  const tree = parseGo(source);
  try {
    return errorRegions(tree.rootNode);
  } finally {
    tree.delete();
  }
}

/** True when [start, end] overlaps or touches a region. */
export function nearRegion(regions: readonly Region[], start: number, end: number): Region | undefined {
  return regions.find((r) => start <= r.end && end >= r.start);
}

/** Where tree-sitter first fails on a source, and what it says there. */
export function treeSitterError(source: string): SyntaxPosition & { message: string } {
  const tree = parseGo(source);
  try {
    const bad = firstSyntaxError(tree.rootNode);
    if (!bad) return { line: 1, column: 1, message: 'syntax error' };
    const row = bad.startPosition.row;
    const lineStart = nthLineStart(source, row);
    const column = Buffer.byteLength(source.slice(lineStart, bad.startIndex), 'utf8') + 1;
    return { line: row + 1, column, message: bad.isMissing ? `missing ${bad.type}` : 'syntax error' };
  } finally {
    tree.delete();
  }
}

function nthLineStart(source: string, row: number): number {
  let at = 0;
  for (let r = 0; r < row; r++) {
    const nl = source.indexOf('\n', at);
    if (nl === -1) break;
    at = nl + 1;
  }
  return at;
}

export type GoVerdict = { valid: true } | { valid: false; line: number; column: number; message: string };

/** Asks gofmt whether `source` is valid Go; its first complaint, with its position, when not. */
export async function goAccepts(gofmtBin: string, source: string): Promise<GoVerdict> {
  const r = await gofmt(gofmtBin, source);
  if (r.ok) return { valid: true };
  const first = r.error.split('\n')[0] ?? '';
  const m = /^(\d+):(\d+): (.*)$/.exec(first);
  if (!m) return { valid: false, line: 1, column: 1, message: first || 'gofmt rejects the file' };
  return { valid: false, line: Number(m[1]), column: Number(m[2]), message: m[3] };
}

/** "syntax error at line L, column C; not rewritten" for a source that does not parse. */
export function syntaxErrorReason(source: string): string {
  const tree = parseGo(source);
  try {
    const bad = firstSyntaxError(tree.rootNode);
    if (!bad) return 'syntax error; not rewritten';
    const what = bad.isMissing ? `missing ${bad.type}` : 'syntax error';
    return `${what} at line ${bad.startPosition.row + 1}, column ${bad.startPosition.column + 1}; not rewritten`;
  } finally {
    tree.delete();
  }
}

