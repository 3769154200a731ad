/**
 * The parent's side: after handing a subslice over, does the launching code write the same array
 * again before it waits for the goroutine?
 *
 * The code that runs after the hand-off is read in order: the rest of each enclosing block, and for
 * an enclosing loop its next iteration (post statement, condition, body from the top), up to the end
 * of the function. The first join (a receive, a select, `Wait`, `Lock`, an atomic load) ends the
 * search: ordered accesses are not a race, and copying would be wasted. A write (element assignment,
 * `copy`, `Read` into it, `append`, a package function that writes its parameter) before any join
 * is what makes a copy necessary. Re-binding the variable to fresh memory (`buf = make(…)`, or a
 * `buf := make(…)` met again in the next iteration) stops tracking it: later writes go elsewhere.
 * Which statements run after the hand-off is region.ts's business. What is tracked are targets:
 * variables, or field paths from them (`s.buf`); two mentions name the same target only when they
 * denote the same object, so a shadowing `buf :=` in an inner block is a different buffer.
 *
 * TODO: a method of the same package that writes a field (`s.fill()` writing `s.buf`) is not seen
 * as a parent write; following calls on the owner would need field-level effects.
 * TODO: aliases created after the hand-off (`b := buf[4:]; b[0] = 1`) are not tracked, only the
 * variables the hand-off itself was derived from.
 */
import { callVerdict } from './callee.js';
import { JOIN_METHODS, SIGNAL_METHODS } from '../../src/go/stdlib.js';
import { kids, sameNode } from '../../src/go/syntax.js';
import type { Analysis } from './goroutine.js';
import { pollingSelect, segments, stops } from './region.js';
import { declaredBy } from '../../src/go/locals.js';
import { assignedBy } from '../../src/go/assign.js';
import { underlying } from '../../src/go/types.js';
import type { SyntaxNode } from '../../src/mirror.js';
import { objOf } from './goroutine.js';
import type { Obj } from '../../src/go/objects.js';

/** A variable, or a field path from one (`s.buf`), whose array the goroutine reads. */
export interface Target {
  root: Obj;
  path: string[];
  text: string;
  /** An array value: assigning the variable itself overwrites the shared memory. */
  isArray: boolean;
  /** The target owns the memory a view points into: calls of these methods on it reuse that memory. */
  reuses?: RegExp;
}

/** `x`, `x.f.g` or `(x)`: the target an expression names, if it is one. */
export function targetOf(expr: SyntaxNode | null | undefined, an: Analysis, roots?: Set<string>): Omit<Target, 'isArray'> | undefined {
  if (!expr) return undefined;
  if (expr.type === 'parenthesized_expression') return targetOf(kids(expr)[0], an, roots);
  if (expr.type === 'identifier') {
    if (roots && !roots.has(expr.text)) return undefined;
    const d = objOf(an, expr);
    return d && (d.kind === 'var' || !d.pkgLevel) ? { root: d, path: [], text: expr.text } : undefined;
  }
  if (expr.type === 'selector_expression') {
    const inner = targetOf(expr.childForFieldName('operand'), an, roots);
    const field = expr.childForFieldName('field')?.text;
    return inner && field ? { root: inner.root, path: [...inner.path, field], text: `${inner.text}.${field}` } : undefined;
  }
  return undefined;
}

/** Same root declaration, same field path. */
export function sameTarget(a: Omit<Target, 'isArray'>, b: Omit<Target, 'isArray'>): boolean {
  return a.root === b.root && a.path.length === b.path.length && a.path.every((p, i) => p === b.path[i]);
}

/** The outermost parentheses and subslices around `e` as an operand (`(p)[a:b]`, `buf[4:][:n]`): still `e`'s array. */
export function sliceTop(e: SyntaxNode): SyntaxNode {
  while (e.parent && (e.parent.type === 'parenthesized_expression' || (e.parent.type === 'slice_expression' && sameNode(e.parent.childForFieldName('operand'), e)))) e = e.parent;
  return e;
}

/** Strips parentheses and subslicing: `buf[a:b]` names buf's array. */
export function sliceRoot(e: SyntaxNode): SyntaxNode {
  for (;;) {
    if (e.type === 'parenthesized_expression' && kids(e)[0]) e = kids(e)[0];
    else if (e.type === 'slice_expression' && e.childForFieldName('operand')) e = e.childForFieldName('operand')!;
    else return e;
  }
}

export interface WriteSite {
  node: SyntaxNode;
  target: Target;
  what: string;
}

/** The outcome when the parent writes before any join: the first write, and whether it signals after. */
export interface ParentWrite {
  write: WriteSite;
  /** The parent sends, closes, unlocks or stores atomically after writing: it may mean to publish. */
  signals: boolean;
  /** The parent joins later and then uses the array again: it may expect to see the other side's writes. */
  usedAfterJoin: boolean;
}

type Ev = { kind: 'join' } | { kind: 'signal' } | { kind: 'write'; site: WriteSite };

interface Scan {
  an: Analysis;
  live: Target[];
  roots: Set<string>;
  /** Sends on this channel (the hand-off's own) are not signals. */
  sendChannel: string | undefined;
  out: Ev[];
  /** Inside a branch that leaves (return, panic): its sends report failure, they publish nothing. */
  leaving: number;
}

function liveMatch(expr: SyntaxNode | null | undefined, s: Scan): Target | undefined {
  const t = targetOf(expr, s.an, s.roots);
  return t ? s.live.find((l) => sameTarget(l, t)) : undefined;
}

/** An assignment target that writes into a tracked array: `buf[i]`, `items[i].f`, `s.buf[i:j][k]`. */
function elementWrite(lhs: SyntaxNode, s: Scan): Target | undefined {
  for (let e: SyntaxNode | null = lhs; e; ) {
    if (e.type === 'selector_expression') e = e.childForFieldName('operand');
    else if (e.type === 'parenthesized_expression') e = kids(e)[0] ?? null;
    else if (e.type !== 'index_expression' && e.type !== 'slice_expression') return undefined;
    else {
      const operand = e.childForFieldName('operand');
      const t = liveMatch(operand, s);
      if (t) return t;
      e = operand;
    }
  }
  return undefined;
}

/** An assignment to a whole array variable (or a struct holding it) overwrites the shared memory. */
function wholeArrayWrite(lhs: SyntaxNode, s: Scan): Target | undefined {
  const t = targetOf(lhs, s.an, s.roots);
  if (!t) return undefined;
  return s.live.find((l) => l.isArray && l.root === t.root && t.path.every((p, i) => l.path[i] === p) && t.path.length <= l.path.length);
}

/** A join or signal on a path that leaves the function orders or publishes nothing for the path that stays. */
function event(s: Scan, kind: 'join' | 'signal'): void {
  if (s.leaving === 0) s.out.push({ kind });
}

function emitWrite(node: SyntaxNode, target: Target, what: string, s: Scan): void {
  s.out.push({ kind: 'write', site: { node, target, what } });
}

function visitCall(call: SyntaxNode, s: Scan): void {
  const fn = call.childForFieldName('function');
  const argList = call.childForFieldName('arguments');
  if (fn && fn.type !== 'func_literal') visit(fn, s);
  for (const a of kids(argList)) visit(a, s);
  const field = fn?.type === 'selector_expression' ? fn.childForFieldName('field')?.text ?? '' : '';
  const operand = fn?.type === 'selector_expression' ? fn.childForFieldName('operand') : null;
  const pkgFunc = operand?.type === 'identifier' && s.an.model.objectOf(operand)?.pkg === 'sync/atomic' ? field : '';
  if (JOIN_METHODS.has(field) || /^Load/.test(field)) event(s, 'join');
  else if (SIGNAL_METHODS.has(field) || /^(Store|Add|Swap|CompareAndSwap)/.test(pkgFunc) || (fn?.type === 'identifier' && fn.text === 'close' && kids(argList)[0]?.text !== s.sendChannel)) event(s, 'signal');
  if (fn?.type === 'selector_expression') {
    const owner = liveMatch(fn.childForFieldName('operand'), s);
    if (owner?.reuses?.test(field)) emitWrite(call, owner, `${fn.text.length <= 30 ? fn.text : field}`, s);
  }
  kids(argList).forEach((arg, pos) => {
    const inner = arg.type === 'variadic_argument' ? kids(arg)[0] : arg;
    if (!inner) return;
    const t = liveMatch(sliceRoot(inner), s);
    if (!t) return;
    const v = callVerdict(call, pos, arg.type === 'variadic_argument', t.text, s.an);
    if (v.kind === 'writes') emitWrite(call, t, `${fn && fn.text.length <= 30 ? fn.text : 'a call'} writes into it`, s);
  });
}

/** Emits the joins, signals and writes of `node`, in evaluation order, skipping deferred code. */
function visit(node: SyntaxNode, s: Scan): void {
  switch (node.type) {
    case 'func_literal':
    case 'defer_statement':
      return;
    case 'select_statement': {
      const dflt = pollingSelect(node);
      if (!dflt) event(s, 'join');
      else for (const c of kids(dflt)) visit(c, s);
      return;
    }
    case 'go_statement': {
      const call = kids(node)[0];
      if (call?.type === 'call_expression') for (const a of kids(call.childForFieldName('arguments'))) visit(a, s);
      return;
    }
    case 'call_expression':
      visitCall(node, s);
      return;
    case 'unary_expression':
      for (const c of kids(node)) visit(c, s);
      if (node.childForFieldName('operator')?.text === '<-') event(s, 'join');
      return;
    case 'send_statement':
      for (const c of kids(node)) visit(c, s);
      if (node.childForFieldName('channel')?.text !== s.sendChannel) event(s, 'signal');
      return;
    case 'block': {
      const last = kids(kids(node).find((c) => c.type === 'statement_list')).pop();
      const leaves = !!last && stops(last);
      if (leaves) s.leaving++;
      for (const c of kids(node)) visit(c, s);
      if (leaves) s.leaving--;
      return;
    }
    case 'assignment_statement':
    case 'short_var_declaration': {
      visit(node.childForFieldName('right') ?? node, s);
      for (const lhs of kids(node.childForFieldName('left'))) {
        for (const c of kids(lhs)) visit(c, s);
        const element = elementWrite(lhs, s);
        const whole = !element && node.type === 'assignment_statement' ? wholeArrayWrite(lhs, s) : undefined;
        if (element) emitWrite(node, element, 'element assignment', s);
        else if (whole) emitWrite(node, whole, 'assignment', s);
      }
      return;
    }
    case 'inc_statement':
    case 'dec_statement': {
      const lhs = kids(node)[0];
      const t = lhs ? elementWrite(lhs, s) : undefined;
      if (t) emitWrite(node, t, 'element update', s);
      return;
    }
    case 'range_clause': {
      const right = node.childForFieldName('right');
      if (right) visit(right, s);
      if (right && underlying(s.an.model.typeOf(right)).kind === 'chan') event(s, 'join');
      return;
    }
    default:
      for (const c of kids(node)) visit(c, s);
  }
}

/** A value that does not share memory with anything tracked: `make`, a literal, a call. */
function rebinds(value: SyntaxNode | undefined, s: Scan): boolean {
  if (!value) return true;
  const root = sliceRoot(value);
  if (liveMatch(root, s)) return false;
  if (root.type === 'call_expression' && root.childForFieldName('function')?.text === 'append') {
    const first = kids(root.childForFieldName('arguments'))[0];
    if (first && liveMatch(sliceRoot(first), s)) return false;
  }
  return true;
}

/** Drops targets that a top-level statement re-binds to other memory. */
function applyRebinding(stmt: SyntaxNode, s: Scan, wrap: boolean): void {
  if (stmt.type === 'assignment_statement' && stmt.children.some((c) => c?.type === '=')) {
    const left = kids(stmt.childForFieldName('left'));
    const right = kids(stmt.childForFieldName('right'));
    left.forEach((lhs, i) => {
      const t = liveMatch(lhs, s);
      if (t && !t.isArray && left.length === right.length && rebinds(right[i], s)) s.live = s.live.filter((l) => l !== t);
    });
  }
  if (!wrap) return;
  for (const d of declaredBy(s.an.model, stmt)) {
    const value = stmt.type === 'short_var_declaration' ? kids(stmt.childForFieldName('right'))[d.index] : undefined;
    const hit = s.live.filter((l) => l.root === d);
    if (hit.length > 0 && rebinds(value, s)) s.live = s.live.filter((l) => !hit.includes(l));
  }
}

/**
 * The first write into a target's array after `handoff` and before any join, or undefined when
 * the parent joins first or never writes again.
 */
export function parentWrite(handoff: SyntaxNode, targets: Target[], an: Analysis, sendChannel?: string): ParentWrite | undefined {
  const s: Scan = { an, live: [...targets], roots: new Set(targets.map((t) => t.root.name)), sendChannel, out: [], leaving: 0 };
  let write: WriteSite | undefined;
  const segs = segments(handoff);
  const done = (signals: boolean, rest: SyntaxNode[] = []): ParentWrite | undefined =>
    write ? { write, signals, usedAfterJoin: rest.some((n) => mentions(n, s, handoff)) } : undefined;
  for (const [i, seg] of segs.entries()) {
    if (seg.loop) {
      const range = kids(seg.loop).find((c) => c.type === 'range_clause');
      if (range) s.live = s.live.filter((l) => !sameNode(l.root.decl, range));
      // A variable declared in the loop's body is a new variable in the next iteration
      // (`msg := make(…)` inside an `if`): what is written through it then is other memory.
      const body = seg.loop.childForFieldName('body');
      if (body) s.live = s.live.filter((l) => l.root.pkgLevel || !(l.root.ident!.startIndex >= body.startIndex && l.root.ident!.endIndex <= body.endIndex));
      if (s.live.length === 0) return done(false);
      if (range) visit(range, s);
    }
    for (const [j, stmt] of seg.stmts.entries()) {
      visit(stmt, s);
      for (const ev of s.out) {
        if (ev.kind === 'join') return done(false, [stmt, ...seg.stmts.slice(j + 1), ...segs.slice(i + 1).flatMap((x) => x.stmts)]);
        if (ev.kind === 'write' && !write) write = ev.site;
        if (ev.kind === 'signal' && write) return done(true);
      }
      s.out = [];
      applyRebinding(stmt, s, !!seg.loop);
      if (stops(stmt) || s.live.length === 0) return done(false);
    }
  }
  return done(false);
}

/**
 * True when `node` reads the elements of a tracked variable (after a join: the parent may read what
 * the other side wrote back). Not evidence: the hand-off itself met again in the next iteration,
 * a call that only fills the buffer again (`Read(buf)`), `len` and `cap`, element assignments, and
 * any use of a view's owner.
 */
function mentions(node: SyntaxNode, s: Scan, handoff: SyntaxNode): boolean {
  return node.descendantsOfType('identifier').some((id) => {
    if (!id || !s.roots.has(id.text)) return false;
    // The owner of a view (a scanner, a reader) is no memory a receiver writes back into.
    const t = liveMatch(id, s);
    if (!t || t.reuses) return false;
    if (id.startIndex >= handoff.startIndex && id.endIndex <= handoff.endIndex) return false;
    const e = sliceTop(id);
    const p = e.parent;
    if (p?.type === 'argument_list' && p.parent?.type === 'call_expression') {
      const call = p.parent;
      const fn = call.childForFieldName('function')?.text;
      if (fn === 'len' || fn === 'cap') return false;
      const pos = kids(p).findIndex((a) => sameNode(a, e));
      if (callVerdict(call, pos, false, id.text, s.an).kind === 'writes') return false;
    }
    return !(p?.type === 'index_expression' && sameNode(p.childForFieldName('operand'), e) && elementWrite(p, s) && assignedBy(p)?.type === 'assignment_statement');
  });
}
