/**
 * Lock regions: which statements each lock spans.
 *
 * Each access is anchored at the innermost statement of a block that contains it (a read in an
 * `if` condition anchors the whole `if`, a `range` the whole loop). Anchors nested in another
 * anchor or next to it join it, so a check-then-set or a ranging loop that writes holds one `Lock` over the
 * whole. A read and a later write of the same key in one function join too (read-modify-write
 * across statements), spanning the statements between them in their common block. A region that a
 * jump or a panic may leave needs `defer` (the lock held to the end of the function) or an unlock
 * before each jump; placement.ts chooses, and widens regions to loops and branches.
 */
import type { GoFile, Node } from './tree.js';
import type { Access } from './accesses.js';
import type { Kind } from './sites.js';
import { FUNC_TYPES, kids } from '../../src/go/syntax.js';
import { LOOP_OR_SWITCH, calleeName, descendants, innerExpr, within } from './syntax.js';

/** Consecutive statements of one block that run under one lock. */
export interface Region {
  file: GoFile;
  /** The function node whose body holds the region. */
  fn: Node;
  list: Node;
  /** Indices into the list's statements (comments excluded). */
  from: number;
  to: number;
  kind: Kind;
  /** Holds the lock to the end of the function (a jump or panic may leave it). */
  deferred: boolean;
  accesses: Access[];
}

/** The statements of a statement list, without comments. */
export function statementsOf(list: Node): readonly Node[] {
  return kids(list);
}

/** The statement of a block that holds `node`, with its list; undefined outside any block. */
function anchorOf(node: Node, fn: Node): { list: Node; stmt: Node } | undefined {
  let n: Node = node;
  for (let p = node.parent; p && !p.equals(fn); n = p, p = p.parent) {
    if (p.type === 'statement_list') return { list: p, stmt: n };
  }
  return undefined;
}

/** The chain of (list, index) from the function body down to `stmt`. */
function pathOf(stmt: Node, fn: Node): { list: Node; index: number }[] {
  const out: { list: Node; index: number }[] = [];
  let n: Node = stmt;
  for (let p = stmt.parent; p && !p.equals(fn); n = p, p = p.parent) {
    if (p.type === 'statement_list') out.unshift({ list: p, index: statementsOf(p).findIndex((s) => s.equals(n)) });
  }
  return out;
}

function span(r: Region): Node[] {
  return statementsOf(r.list).slice(r.from, r.to + 1);
}

/** True when region `inner` lies inside region `outer`. */
function contains(outer: Region, inner: Region): boolean {
  if (outer.list.equals(inner.list)) return inner.from >= outer.from && inner.to <= outer.to;
  return span(outer).some((s) => within(inner.list, s));
}

/** Same block, overlapping or next to each other: one lock serves both. */
function overlaps(a: Region, b: Region): boolean {
  return a.list.equals(b.list) && a.from <= b.to + 1 && b.from <= a.to + 1;
}

function merge(into: Region, other: Region): void {
  into.kind = into.kind === 'write' || other.kind === 'write' ? 'write' : 'read';
  into.accesses.push(...other.accesses);
  into.deferred ||= other.deferred;
  if (into.list.equals(other.list)) {
    into.from = Math.min(into.from, other.from);
    into.to = Math.max(into.to, other.to);
  }
}

/** Joins nested and overlapping regions until none remain. */
function absorb(regions: Region[]): Region[] {
  let list = [...regions];
  for (let changed = true; changed; ) {
    changed = false;
    outer: for (let i = 0; i < list.length; i++) {
      for (let j = 0; j < list.length; j++) {
        if (i === j) continue;
        if (contains(list[i], list[j]) || overlaps(list[i], list[j])) {
          merge(list[i], list[j]);
          list = list.filter((_, k) => k !== j);
          changed = true;
          break outer;
        }
      }
    }
  }
  return list;
}

/** The smallest region spanning `a` and `b` in their common block. */
function joinAcross(a: Region, b: Region): Region | undefined {
  const pa = pathOf(statementsOf(a.list)[a.from], a.fn);
  const pb = pathOf(statementsOf(b.list)[b.from], b.fn);
  let k = 0;
  while (k < pa.length && k < pb.length && pa[k].list.equals(pb[k].list) && pa[k].index === pb[k].index) k++;
  if (k >= pa.length || k >= pb.length || !pa[k].list.equals(pb[k].list)) {
    // One contains the other.
    return undefined;
  }
  const from = Math.min(pa[k].index, pb[k].index);
  const to = Math.max(pa[k].index, pb[k].index);
  return { file: a.file, fn: a.fn, list: pa[k].list, from, to, kind: 'write', deferred: false, accesses: [] };
}

/** Regions of one function body, or a reason why an access cannot be placed. */
export function regionsOf(file: GoFile, fn: Node, accesses: Access[]): Region[] | string {
  let regions: Region[] = [];
  for (const a of accesses) {
    const anchor = anchorOf(a.range ?? a.node, fn);
    if (!anchor) return `an access at line ${a.node.startPosition.row + 1} is not inside a statement`;
    const index = statementsOf(anchor.list).findIndex((s) => s.equals(anchor.stmt));
    if (index < 0) return `an access at line ${a.node.startPosition.row + 1} is not a statement gomend can wrap`;
    regions.push({ file, fn, list: anchor.list, from: index, to: index, kind: a.kind, deferred: false, accesses: [a] });
  }
  regions = absorb(regions);
  // Read-modify-write across statements: a read and a later write of the same key.
  for (let changed = true; changed; ) {
    changed = false;
    for (const w of regions.filter((r) => r.kind === 'write')) {
      for (const r of regions) {
        if (r === w || statementsOf(r.list)[r.from].startIndex >= statementsOf(w.list)[w.from].startIndex) continue;
        const keys = new Set(w.accesses.filter((a) => a.kind === 'write' && a.key).map((a) => `${a.operand ?? ''}|${a.key}`));
        if (!r.accesses.some((a) => a.key && keys.has(`${a.operand ?? ''}|${a.key}`))) continue;
        if (selfContained(r)) continue;
        const joined = joinAcross(r, w);
        if (!joined) continue;
        joined.accesses = [];
        merge(joined, r);
        merge(joined, w);
        regions = absorb([joined, ...regions.filter((x) => x !== r && x !== w)]);
        changed = true;
        break;
      }
      if (changed) break;
    }
  }
  return regions.sort((a, b) => statementsOf(a.list)[a.from].startIndex - statementsOf(b.list)[b.from].startIndex);
}

/**
 * True when what a region reads from the map cannot reach any later statement: its statements
 * are `if`s that declare nothing outside themselves, leave by no jump, and assign only to the
 * map (`if _, ok := m[k]; !ok { m[k] = true }`). A later write of the same key then depends on
 * nothing the region saw, and the two need not be one critical section.
 */
function selfContained(r: Region): boolean {
  const stmts = span(r);
  if (!stmts.every((s) => s.type === 'if_statement') || exitsOf(r).length > 0) return false;
  const mapped = (n: Node): boolean => n.type === 'index_expression' && r.accesses.some((a) => within(a.node, n));
  for (const s of stmts) {
    for (const d of descendants(s, ['assignment_statement', 'inc_statement', 'dec_statement', 'send_statement', 'func_literal'])) {
      if (d.type === 'send_statement' || d.type === 'func_literal') return false;
      const left = d.type === 'assignment_statement' ? kids(d.childForFieldName('left')) : kids(d).slice(0, 1);
      if (!left.every((l) => mapped(innerExpr(l) ?? l))) return false;
    }
  }
  return true;
}

/** True when `node` (inside the region's statements) is a jump leaving them, or a panic. */
function leaves(node: Node, region: Node[]): boolean {
  const inside = (n: Node): boolean => region.some((s) => within(n, s));
  if (node.type === 'return_statement' || node.type === 'goto_statement') return true;
  if (node.type === 'call_expression') return calleeName(node) === 'panic' && innerExpr(node.childForFieldName('function'))?.type === 'identifier';
  if (node.type !== 'break_statement' && node.type !== 'continue_statement') return false;
  const label = kids(node).find((k) => k.type === 'label_name')?.text;
  for (let p = node.parent; p && !FUNC_TYPES.has(p.type); p = p.parent) {
    if (label) {
      if (p.type === 'labeled_statement' && kids(p).find((k) => k.type === 'label_name')?.text === label) return !inside(p);
    } else if (node.type === 'continue_statement' ? p.type === 'for_statement' : LOOP_OR_SWITCH.has(p.type)) {
      return !inside(p);
    }
  }
  return true;
}

/** The jumps leaving the region's statements and the panics in them (ignoring nested literals). */
export function exitsOf(region: Region): Node[] {
  const stmts = span(region);
  const out: Node[] = [];
  for (const s of stmts) {
    for (const d of descendants(s, ['return_statement', 'goto_statement', 'break_statement', 'continue_statement', 'call_expression'])) {
      let nested = false;
      if (!d.equals(s)) for (let p = d.parent; p && !p.equals(s); p = p.parent) if (p.type === 'func_literal') nested = true;
      if (!nested && leaves(d, stmts)) out.push(d);
    }
  }
  return out;
}

/** True when the region's statements contain a jump out of them or a panic (ignoring nested literals). */
export function needsDefer(region: Region): boolean {
  return exitsOf(region).length > 0;
}

/**
 * True when control never reaches the end of `stmt`: a jump, a panic, a block ending in one, an
 * `if` whose branches all end in one (the spec's terminating statements, in part).
 */
export function terminates(stmt: Node | undefined): boolean {
  if (!stmt) return false;
  switch (stmt.type) {
    case 'return_statement':
    case 'goto_statement':
    case 'break_statement':
    case 'continue_statement':
      return true;
    case 'expression_statement': {
      const call = kids(stmt)[0];
      return call?.type === 'call_expression' && calleeName(call) === 'panic' && innerExpr(call.childForFieldName('function'))?.type === 'identifier';
    }
    case 'block': {
      const list = kids(stmt).find((k) => k.type === 'statement_list');
      const stmts = list ? statementsOf(list).filter((k) => k.type !== 'comment') : [];
      return terminates(stmts[stmts.length - 1]);
    }
    case 'if_statement': {
      const alt = stmt.childForFieldName('alternative');
      return !!alt && terminates(stmt.childForFieldName('consequence') ?? undefined) && terminates(alt);
    }
    case 'labeled_statement':
      return terminates(kids(stmt).find((k) => k.type !== 'label_name'));
    default:
      return false;
  }
}

/** The loop statement (labelled or not) of a statement list nearest around the region, inside its function. */
export function loopAround(region: Region): { list: Node; index: number } | undefined {
  for (let p = region.list.parent; p && !p.equals(region.fn); p = p.parent) {
    if (p.type !== 'for_statement') continue;
    const stmt = p.parent?.type === 'labeled_statement' ? p.parent : p;
    const list = stmt.parent;
    if (list?.type !== 'statement_list') return undefined;
    const index = statementsOf(list).findIndex((x) => x.equals(stmt));
    return index < 0 ? undefined : { list, index };
  }
  return undefined;
}

/** Joins nested and overlapping regions (after some were widened). */
export function joinRegions(regions: Region[]): Region[] {
  return absorb(regions).sort((a, b) => statementsOf(a.list)[a.from].startIndex - statementsOf(b.list)[b.from].startIndex);
}

/** True when the region sits inside a loop of its function. */
export function inLoop(region: Region): boolean {
  for (let p = region.list.parent; p && !p.equals(region.fn); p = p.parent) if (p.type === 'for_statement') return true;
  return false;
}

/** True when the region covers its function's whole body. */
export function wholeBody(region: Region): boolean {
  const body = region.fn.childForFieldName('body');
  const list = body?.namedChildren.find((c) => c?.type === 'statement_list');
  return !!list && list.equals(region.list) && region.from === 0 && region.to === statementsOf(list).length - 1;
}

/** The statements that run after the region to the end of its function (for a deferred unlock). */
export function tailOf(region: Region): Node[] {
  const out: Node[] = statementsOf(region.list).slice(region.to + 1);
  let n: Node = region.list;
  for (let p = region.list.parent; p && !p.equals(region.fn); n = p, p = p.parent) {
    if (p.type === 'statement_list') {
      const stmts = statementsOf(p);
      const i = stmts.findIndex((s) => within(n, s));
      out.push(...stmts.slice(i + 1));
    }
  }
  return out;
}

/** The statements a region spans. */
export function spanOf(region: Region): Node[] {
  return span(region);
}
