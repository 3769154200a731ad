/**
 * The lock and unlock lines of a region, placed as a Go reviewer writes them: `mu.Lock()` on its
 * own line before the first statement (below the comment lines that describe it) and
 * `mu.Unlock()` after the last (after a comment ending its line); `defer mu.Unlock()` under the
 * lock when the region holds it to the end of the function; an explicit unlock before each jump
 * that leaves it otherwise. A one-line block (`func() { m[k]++ }`) is opened onto several lines.
 */
import type { Edit } from '../../src/types.js';
import { indentAt, kids, lineStart } from '../../src/go/syntax.js';
import type { GoFile, Node } from './tree.js';
import type { Access } from './accesses.js';
import { exitsOf, spanOf, statementsOf, terminates } from './regions.js';
import type { Region } from './regions.js';
import { lineEnd, lineOf, startsLine, within } from './syntax.js';

/**
 * Where the lock line goes: the start of `stmt`'s own line. Comment lines directly above the
 * statement describe it, and a Go reviewer reads them as the heading of the locked statements:
 * they stay above the lock.
 */
function lockPoint(source: string, stmt: Node): number {
  return lineStart(source, stmt.startIndex);
}

/** Where the unlock line goes: after `stmt` and any comment ending its line; undefined if code follows. */
function unlockPoint(source: string, stmt: Node): number | undefined {
  const end = lineEnd(source, stmt.endIndex);
  const rest = source.slice(stmt.endIndex, end).trim();
  if (rest === '') return stmt.endIndex;
  if (rest.startsWith('//') || /^\/\*((?!\*\/).)*\*\/$/.test(rest)) return end;
  return undefined;
}

/** The indentation of a statement's own line (for a labelled statement, of the statement it labels). */
function statementIndent(source: string, stmt: Node): string {
  if (stmt.type === 'labeled_statement') {
    const inner = kids(stmt).find((k) => k.type !== 'label_name');
    if (inner) return indentAt(source, inner.startIndex);
  }
  return indentAt(source, stmt.startIndex);
}

/** Lock and unlock text for a region. */
function lockTexts(region: Region, lockOf: (operand?: string) => string): { lock: string; unlock: string } {
  const mu = lockOf(region.accesses[0].operand);
  return region.kind === 'write' ? { lock: `${mu}.Lock()`, unlock: `${mu}.Unlock()` } : { lock: `${mu}.RLock()`, unlock: `${mu}.RUnlock()` };
}

/**
 * Edits placing one region's lock, a reason it cannot be placed, or 'one-line' when its block
 * must be opened.
 *
 * TODO: a Lock/Unlock pair is not released by a runtime panic inside it (only an explicit `panic`
 * switches to `defer`); a recovered panic there would leave the lock held.
 */
export function regionEdits(region: Region, lockOf: (operand?: string) => string): Edit[] | string {
  const src = region.file.source;
  const stmts = spanOf(region);
  const first = stmts[0];
  const last = stmts[stmts.length - 1];
  const { lock, unlock } = lockTexts(region, lockOf);
  const file = region.file.path;
  if (startsLine(src, first)) {
    const indent = statementIndent(src, first);
    const at = lockPoint(src, first);
    if (region.deferred) return [{ file, start: at, end: at, text: `${indent}${lock}\n${indent}defer ${unlock}\n` }];
    const after = unlockPoint(src, last);
    if (after === undefined) return `code follows the statement at line ${lineOf(src, last.startIndex)} on its line`;
    return [
      { file, start: at, end: at, text: `${indent}${lock}\n` },
      { file, start: after, end: after, text: `\n${indent}${unlock}` },
    ];
  }
  return `one-line`;
}

/** True when a region's statements sit in a one-line block gomend can open onto several lines. */
export function oneLineBlock(region: Region): Node | undefined {
  const block = region.list.parent;
  if (!block || block.type !== 'block' || block.text.includes('\n')) return undefined;
  if (region.list.namedChildren.some((c) => c?.type === 'comment')) return undefined;
  return block;
}

/** Rewrites a one-line block onto several lines with the locks of its regions: `func() { m[k]++ }`. */
export function openBlock(file: GoFile, block: Node, regions: Region[], lockOf: (operand?: string) => string): Edit {
  const src = file.source;
  const base = indentAt(src, block.startIndex);
  const inner = `${base}\t`;
  const stmts = statementsOf(regions[0].list);
  const lines: string[] = [];
  stmts.forEach((stmt, i) => {
    for (const r of regions) {
      if (r.from !== i) continue;
      const { lock, unlock } = lockTexts(r, lockOf);
      lines.push(lock);
      if (r.deferred) lines.push(`defer ${unlock}`);
    }
    lines.push(stmt.text);
    for (const r of regions) if (r.to === i && !r.deferred) lines.push(lockTexts(r, lockOf).unlock);
  });
  return { file: file.path, start: block.startIndex + 1, end: block.endIndex - 1, text: `\n${lines.map((l) => inner + l).join('\n')}\n${base}` };
}

/**
 * Edits for a region that jumps leave: the lock before it, the unlock after it and before each
 * jump out of it (`return`, `break`, `continue`), as a reviewer writes it where a `defer` does
 * not fit; or a reason.
 */
export function explicitEdits(region: Region, lockOf: (operand?: string) => string): Edit[] | string {
  const src = region.file.source;
  const exits = exitsOf(region);
  const { unlock } = lockTexts(region, lockOf);
  const edits: Edit[] = [];
  for (const x of exits) {
    const line = lineOf(src, x.startIndex);
    if (x.type === 'call_expression' || x.type === 'goto_statement') return `the statement at line ${line} leaves the locked statements by ${x.type === 'goto_statement' ? 'goto' : 'panic'}`;
    if (!startsLine(src, x)) return `the jump at line ${line} does not start its line`;
    const used = region.accesses.find((a) => within(a.node, x));
    if (used) return `the return at line ${line} reads ${accessName(used)} after the lock would be released`;
    const at = lineStart(src, x.startIndex);
    edits.push({ file: region.file.path, start: at, end: at, text: `${indentAt(src, x.startIndex)}${unlock}\n` });
  }
  const stmts = spanOf(region);
  const placed = regionEdits(region, lockOf);
  if (typeof placed === 'string') return placed;
  // No unlock after a last statement that never completes (it would be unreachable).
  const body = terminates(stmts[stmts.length - 1]) ? placed.slice(0, 1) : placed;
  return [...body, ...edits];
}

/** How an access is named in a message. */
function accessName(a: Access): string {
  return a.via ? `the map through ${a.via}` : 'the map';
}
