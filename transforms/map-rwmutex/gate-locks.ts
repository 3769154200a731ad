/**
 * Lock regions read from the text, for the gate's goroutine search: a map used under a lock that
 * gomend cannot name counts as guarded by the analysis (see `guardedBy` in guards.ts), so that
 * search need not look at its writes at all. (A map partly under a mutex of its struct or package
 * is a finding of its own, `lockEvidence`; the gate lets every package where a file that takes a
 * lock names a candidate through before this search, see `evidenceIn` in gate.ts.) Much of a large package's shared state is written in methods that
 * start with `x.mu.Lock()`; without this the gate sends those packages to the parser for nothing.
 *
 * The regions found here must lie inside the analysis's own (`lockRegions`), never beyond them:
 * a region too large would hide a write the analysis reports. So only the plainest form counts:
 * a line that is nothing but `a.b.Lock()` or `a.b.RLock()` (a statement of its own, in gofmt's
 * layout), up to the first of: the `}` closing its block, a `case` or `default` of the same
 * block, or a line of the same block that mentions an unlock and is not deferred. The analysis
 * ends a region only at a matching unlock statement of the same block, or at the block's end.
 */
import { skipLiteral } from '../../src/gotext.js';

/** A line that is only a lock call on a named mutex (group 1: its receiver). */
const LOCK_LINE = /^[\t ]*([\p{L}_][\p{L}\p{N}_]*(?:\.[\p{L}_][\p{L}\p{N}_]*)*)\.R?Lock\(\)[\t ]*$/gmu;

/** The end of the last line before a lock line that would make it continue a statement, not start one. */
const CONTINUES = /(?:[,(=+\-*/%&|^<>!.]|(?<![\p{L}\p{N}_])(?:go|defer))[\t ]*$/u;

/**
 * Ranges of a source whose comments and literals are blanked (same offsets) that run with a lock
 * held, as far as the plainest layout shows; each within a region the analysis finds too.
 */
export function plainLockRegions(code: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of code.matchAll(LOCK_LINE)) {
    let last = m.index! - 1;
    while (last >= 0 && (code[last] === ' ' || code[last] === '\t' || code[last] === '\n')) last--;
    if (last >= 0 && CONTINUES.test(code.slice(code.lastIndexOf('\n', last) + 1, last + 1))) continue;
    const from = m.index! + m[0].length;
    out.push([from, regionEnd(code, from)]);
  }
  return out;
}

/** Where a region starting after a lock line at `from` surely ends (see the module comment). */
function regionEnd(code: string, from: number): number {
  let depth = 0;
  let lineStart = true;
  for (let i = from; i < code.length; i++) {
    const c = code[i];
    if (c === '\n') {
      lineStart = true;
      continue;
    }
    if (c === ' ' || c === '\t') continue;
    if (lineStart) {
      lineStart = false;
      if (depth === 0 && endsRegion(code, i)) return i;
    }
    if (c === '"' || c === '`' || c === "'") {
      i = skipLiteral(code, i) - 1;
    } else if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') {
      if (--depth < 0) return i;
    }
  }
  return code.length;
}

/** True when the line starting at `i`, in the lock's own block, may end the lock's region. */
function endsRegion(code: string, i: number): boolean {
  if (/^(?:case|default)(?![\p{L}\p{N}_])/u.test(code.slice(i, i + 8))) return true;
  const lineEnd = code.indexOf('\n', i);
  const line = code.slice(i, lineEnd === -1 ? code.length : lineEnd);
  return /nlock/i.test(line) && !/^defer(?![\p{L}\p{N}_])/u.test(line);
}
