/**
 * Closures started on another goroutine: `go func() {…}()`, and func literals given to a spawner
 * (`wg.Go`, errgroup's `g.Go`, `time.AfterFunc`, a worker pool's `Submit`), which read memory the
 * parent reuses.
 *
 * What such a closure reads of the parent's reused memory:
 * - a local bound once to a view (`line := sc.Bytes()`) or, for spawners, to a subslice
 *   (`chunk := buf[:n]`; under `go` the subslice locals are findings.ts's captureFindings): the copy is
 *   made where the local is bound, `line := slices.Clone(sc.Bytes())`, when the binding sits in the
 *   same block before the hand-off and nothing between them touches what it reads;
 * - the buffer of a read loop, sliced or whole, inside the closure (`s.handle(Packet{Data: buf[:n]})`):
 *   the closure would slice it only when it runs, after the parent read into it again, so the copy
 *   is made just before the hand-off into a fresh variable that the closure reads instead:
 *   `data := slices.Clone(buf[:n])`.
 * The parent's side (a write before any join) and the goroutine's side (it only reads) are judged as
 * for go statements.
 */
import type { Context, Edit, Finding, GoFile } from '../../src/types.js';
import { contains, kids, lineStart, sameNode, topLevelDecl } from '../../src/go/syntax.js';
import type { Model } from '../../src/go/model.js';
import type { SyntaxNode } from '../../src/mirror.js';
import { boundSlice, capturedBy, isReassigned } from './bound.js';
import { closureVerdict, waitsInside } from './callee.js';
import { objOf } from './goroutine.js';
import { describeWrite, inPlace, refusal, typeRefusal } from './findings.js';
import { short } from '../../src/text.js';
import { blockStatement, handoffFor, literalParts, namedBetween, viewCall } from './handoff.js';
import { sliceRoot, sliceTop } from './parent.js';
import type { Handoff } from './handoff.js';
import type { Analysis } from './goroutine.js';
import { initOf, isDef } from '../../src/go/locals.js';
import { factNames } from '../../src/go/stdlib.js';
import type { Obj } from '../../src/go/objects.js';
import { cloneAt, holdsBytes, sideEffectFree } from './rewrite.js';

/** A func literal run on another goroutine, and the statement that starts it. */
export interface ClosureStart {
  stmt: SyntaxNode;
  lit: SyntaxNode;
  how: 'go' | 'spawn';
  /** How the start reads in messages: `a goroutine`, `wg.Go`. */
  label: string;
}

/** Method names of worker pools (outside the standard table) that run a func on another goroutine. */
export const POOL_SUBMITS: readonly string[] = ['Submit', 'SubmitTask', 'Go', 'TryGo'];
const POOL_SUBMIT = new RegExp(`^(${POOL_SUBMITS.join('|')})$`);

/**
 * The names a spawning method or qualified function can have: the facts table's spawners' and the
 * pools'. A method or `pkg.F` the table knows is named as its key ends, so a selector call by any
 * other name needs no callee resolution.
 */
export const SPAWN_NAMES: ReadonlySet<string> = new Set([...factNames((_, f) => f.spawns !== undefined), ...POOL_SUBMITS]);

/**
 * The spawner call a func literal is given to, with its statement: a call the facts table says
 * spawns at the literal's position, or a pool's `Submit(func() {…})` on a type gomend cannot see.
 */
function spawnStart(lit: SyntaxNode, model: Model): ClosureStart | undefined {
  const args = lit.parent;
  const call = args?.parent;
  if (args?.type !== 'argument_list' || call?.type !== 'call_expression') return undefined;
  const pos = kids(args).findIndex((a) => sameNode(a, lit));
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  if (fn.type === 'selector_expression' && !SPAWN_NAMES.has(fn.childForFieldName('field')?.text ?? '')) return undefined;
  const cs = model.callees(call);
  const spawns = cs.length === 1 && cs[0].kind === 'std' && cs[0].fact?.spawns === pos;
  const pool =
    !spawns &&
    fn.type === 'selector_expression' &&
    POOL_SUBMIT.test(fn.childForFieldName('field')?.text ?? '') &&
    kids(args).length === 1 &&
    cs.every((c) => c.kind === 'unknown');
  if (!spawns && !pool) return undefined;
  // The call must run as its own statement (`wg.Go(f)`, `t := time.AfterFunc(d, f)`).
  let stmt: SyntaxNode = call;
  while (stmt.parent && stmt.parent.type !== 'statement_list') {
    const p = stmt.parent;
    if (p.type !== 'expression_statement' && p.type !== 'expression_list' && p.type !== 'short_var_declaration' && p.type !== 'assignment_statement') return undefined;
    stmt = p;
  }
  if (stmt.parent?.type !== 'statement_list') return undefined;
  return { stmt, lit, how: 'spawn', label: fn.text.length <= 30 ? fn.text : 'a spawner' };
}

/** Func literals of a file run on other goroutines, found from their `func` tokens. */
export function closureStarts(file: GoFile, model: Model): ClosureStart[] {
  const out: ClosureStart[] = [];
  const root = file.root as unknown as SyntaxNode; // the mirrored root (see mirroredPackage)
  for (const m of file.source.matchAll(/\bfunc\s*\(/g)) {
    const tok = root.descendantForIndex(m.index, m.index + 4);
    const lit = tok?.type === 'func' ? tok.parent : null;
    if (lit?.type !== 'func_literal') continue;
    const call = lit.parent;
    const stmt = call?.parent;
    if (call?.type === 'call_expression' && sameNode(call.childForFieldName('function'), lit) && stmt?.type === 'go_statement') {
      out.push({ stmt, lit, how: 'go', label: 'a goroutine' });
      continue;
    }
    const s = spawnStart(lit, model);
    if (s) out.push(s);
  }
  return out;
}

/** The closure's mentions of `d` that read its elements (`buf[:n]`, `buf`), not `len(buf)`. */
function elementReads(lit: SyntaxNode, d: Obj, an: Analysis): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const use of an.model.usesOf(d)) {
    if (!contains(lit, use)) continue;
    const top = sliceTop(use);
    const call = top.parent?.type === 'argument_list' ? top.parent.parent : undefined;
    const fn = call?.childForFieldName('function')?.text;
    if (fn === 'len' || fn === 'cap') continue;
    out.push(top);
  }
  return out;
}

/** True when every name in `expr` is declared outside `lit` and the literal never assigns it. */
function fixedInside(expr: SyntaxNode, lit: SyntaxNode, an: Analysis): boolean {
  return expr.descendantsOfType('identifier').every((id) => {
    const d = objOf(an, id);
    // A package name or a builtin has no object here.
    return !d || (capturedBy(lit, d) && !((d.kind === 'var' || !d.pkgLevel) && isReassigned(d, lit, an)));
  });
}

/** A name unused in the function around `at` and not declared at package level. */
function freshName(at: SyntaxNode, model: Model): string | undefined {
  const top = topLevelDecl(at) ?? at;
  for (const base of ['data', 'msg', 'chunk', 'payload', 'b']) {
    for (const name of [base, `${base}2`, `${base}3`]) {
      if (new RegExp(`(?<![\\p{L}\\p{N}_])${name}(?![\\p{L}\\p{N}_])`, 'u').test(top.text)) continue;
      if (model.packageObject(name)) continue;
      return name;
    }
  }
  return undefined;
}

/**
 * The binding statement of a local and the statement of the same block that holds the hand-off
 * (the hand-off itself, or an `if` around it), when the binding comes first.
 */
function bindingAnchor(decl: SyntaxNode, stmt: SyntaxNode): { binding: SyntaxNode; anchor: SyntaxNode } | undefined {
  const binding = blockStatement(decl);
  let anchor: SyntaxNode | null = stmt;
  while (anchor && binding && !(anchor.parent && sameNode(anchor.parent, binding.parent))) anchor = anchor.parent;
  return binding && anchor && binding.startIndex < anchor.startIndex ? { binding, anchor } : undefined;
}

/** True when code between the binding and the hand-off (inside the anchor too) names what `value` reads. */
function touchedBetween(binding: SyntaxNode, anchor: SyntaxNode, stmt: SyntaxNode, value: SyntaxNode): boolean {
  if (namedBetween(binding, anchor, value)) return true;
  const names = new Set(value.descendantsOfType('identifier').map((i) => i?.text));
  return anchor.descendantsOfType('identifier').some((i) => !!i && i.startIndex < stmt.startIndex && names.has(i.text));
}

/** A local variable, or a parameter (not a result or receiver, not a range or receive variable). */
function plainLocal(d: Obj | undefined): d is Obj {
  const t = d?.decl?.type;
  return !!d && !d.pkgLevel && d.kind === 'var' && (d.param === 'param' || (!d.param && (t === 'short_var_declaration' || t === 'var_spec')));
}

/** Findings for one closure start. */
export function closureFindings(file: GoFile, ctx: Context, an: Analysis, start: ClosureStart): Finding[] {
  const { stmt, lit, how } = start;
  const body = lit.childForFieldName('body');
  if (!body) return [];
  const model = an.model;
  const out: Finding[] = [];
  const seen = new Set<Obj>();
  const who = how === 'go' ? 'the goroutine' : `the func given to ${start.label}`;
  for (const ident of body.descendantsOfType('identifier')) {
    if (isDef(an.model, ident)) continue;
    const d = objOf(an, ident);
    if (!plainLocal(d) || !capturedBy(lit, d)) continue;
    const key = d;
    if (seen.has(key)) continue;
    // `p := Packet{Data: buf[:n]}` read by the closure: the copy wraps the element.
    const parts = literalParts(ident, stmt, an);
    if (parts) {
      seen.add(key);
      const verdict = closureVerdict(lit, [d], an);
      for (const part of parts) {
        const h = handoffFor(stmt, part, an);
        if (!h || (h.write.signals && waitsInside(lit))) continue;
        const base = `${who} reads ${d.name}, which holds ${short(part.text)}, but ${describeWrite(h)}`;
        out.push(inPlace(file, ctx, an, part, h, base, verdict));
      }
      continue;
    }
    const slice = boundSlice(d, an);
    const view = (d.ident ? viewCall(d.ident, d, an) : undefined);
    if (slice || view) {
      seen.add(key);
      // `go func() { use(chunk) }()` with chunk := buf[:n]: findings.ts passes it as a parameter.
      if (slice && how === 'go') continue;
      const h = handoffFor(stmt, ident, an);
      if (!h || (h.write.signals && waitsInside(lit))) continue;
      out.push(bindingFinding(file, ctx, an, start, d, ident, h, who));
      continue;
    }
    // A buffer the closure slices or reads itself (whole, only a read loop's).
    seen.add(key);
    const exprs = elementReads(lit, d, an);
    if (exprs.length === 0) continue;
    const h = handoffFor(stmt, exprs[0], an);
    if (!h || (h.write.signals && waitsInside(lit))) continue;
    out.push(hoistFinding(file, ctx, an, start, d, exprs, h, who, model));
  }
  return out;
}

/** `line := sc.Bytes()` read by the closure: clone where it is bound. */
function bindingFinding(file: GoFile, ctx: Context, an: Analysis, start: ClosureStart, d: Obj, use: SyntaxNode, h: Handoff, who: string): Finding {
  const value = initOf(d);
  const base = `${who} reads ${d.name}${value ? ` (${short(value.text)})` : ''}, but ${describeWrite(h)}`;
  const finding: Finding = { start: start.stmt.startIndex, end: use.endIndex, message: base };
  const at = bindingAnchor(d.decl!, start.stmt);
  const no =
    typeRefusal(h) ??
    refusal(closureVerdict(start.lit, [d], an)) ??
    (value ? undefined : `${d.name} is bound with other values; copy it after the call`) ??
    (at ? undefined : `${d.name} is not bound in a block around the hand-off`) ??
    (value && at && touchedBetween(at.binding, at.anchor, start.stmt, value) ? `what ${d.name} reads is used between its binding and the hand-off` : undefined);
  if (no || !value) return { ...finding, message: `${base}; no fix: ${no}` };
  const operand = value.type === 'slice_expression' ? value.childForFieldName('operand') ?? value : value;
  const c = cloneAt(file, ctx, an, value, holdsBytes(h.operandType), value, operand);
  if ('why' in c) return { ...finding, message: `${base}; no fix: ${c.why}` };
  return { ...finding, fix: { message: `Clone ${short(value.text)} where ${d.name} is bound`, edits: [{ start: value.startIndex, end: value.endIndex, text: c.text }, ...c.imports] } };
}

/** `buf[:n]` (or `buf`) read inside the closure: copy it into a fresh variable before the hand-off. */
function hoistFinding(file: GoFile, ctx: Context, an: Analysis, start: ClosureStart, d: Obj, exprs: SyntaxNode[], h: Handoff, who: string, model: Model): Finding {
  const { stmt, lit } = start;
  const first = exprs[0];
  const base = `${who} reads ${short(first.text)}, but ${describeWrite(h)}`;
  const finding: Finding = { start: stmt.startIndex, end: first.endIndex, message: base };
  const name = freshName(stmt, model);
  const no =
    typeRefusal(h) ??
    refusal(closureVerdict(lit, [d], an)) ??
    (exprs.every((e) => e.text === first.text) ? undefined : `the closure reads ${d.name} in more than one way`) ??
    (exprs.every((e) => fixedInside(e, lit, an) && (e.type !== 'slice_expression' || sideEffectFreeSlice(e))) ? undefined : `${short(first.text)} depends on what the closure does`) ??
    (stmt.parent?.type === 'statement_list' ? undefined : 'the hand-off is no statement of a block') ??
    (name ? undefined : 'no fresh name for the copy');
  if (no || !name) return { ...finding, message: `${base}; no fix: ${no}` };
  const c = cloneAt(file, ctx, an, stmt, holdsBytes(h.operandType), first, first.type === 'slice_expression' ? sliceRoot(first) : first);
  if ('why' in c) return { ...finding, message: `${base}; no fix: ${c.why}` };
  const indent = file.source.slice(lineStart(file.source, stmt.startIndex), stmt.startIndex);
  const edits: Edit[] = [{ start: stmt.startIndex, end: stmt.startIndex, text: `${name} := ${c.text}\n${indent}` }, ...exprs.map((e) => ({ start: e.startIndex, end: e.endIndex, text: name })), ...c.imports];
  return { ...finding, fix: { message: `Copy ${short(first.text)} into ${name} before the hand-off`, edits } };
}

/** Bounds and operand of a slice expression can be evaluated earlier without effects. */
function sideEffectFreeSlice(e: SyntaxNode): boolean {
  for (const name of ['operand', 'start', 'end', 'capacity']) {
    const c = e.childForFieldName(name);
    if (!c) continue;
    if (c.type === 'slice_expression' ? !sideEffectFreeSlice(c) : !(sideEffectFree(c) || c.type === 'int_literal')) return false;
  }
  return true;
}
