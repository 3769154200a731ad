/**
 * Calls that receive a slice: follow them into the package, or judge them by the standard-library
 * table (src/go/stdlib.ts).
 *
 * Both sides ask this: the goroutine side (does the function the goroutine runs write through its
 * parameter?) and the parent side (does `fill(buf)` write into buf?). A call gomend cannot see into
 * counts as "cannot tell", which blocks a fix on the goroutine side and is no evidence of a write
 * on the parent side.
 */
import { READS, objOf, usesIn } from './goroutine.js';
import type { Analysis, Ctx, Verdict } from './goroutine.js';
import { argEffect, builtinArgEffect, JOIN_METHODS, methodArgEffect } from '../../src/go/stdlib.js';
import type { ArgEffect } from '../../src/go/stdlib.js';
import { isReassigned } from './bound.js';
import { enclosingFunc, identsNamed, kids, parentOutsideParens, sameNode } from '../../src/go/syntax.js';
import type { SyntaxNode } from '../../src/mirror.js';
import type { Callee } from '../../src/go/index.js';
import { initOf, paramsOf } from '../../src/go/locals.js';
import { assignedTo } from '../../src/go/assign.js';
import type { Obj } from '../../src/go/objects.js';
import type { Model } from '../../src/go/model.js';

const MAX_FOLLOW = 5;

/** A fresh analysis context: `entry` is the function whose results the `go` statement discards. */
function ctx(an: Analysis, entry: SyntaxNode | undefined, assignable: boolean): Ctx {
  return { an, call: callEffect, entry, depth: 0, assignable };
}

/** Calls a function that is given a slice argument at `pos`: follow it or look it up. */
export function callEffect(call: SyntaxNode, pos: number, spread: boolean, name: string, c: Ctx): Verdict {
  const fn = call.childForFieldName('function');
  if (!fn) return { kind: 'unknown', name, why: 'it passes it to a call gomend cannot follow' };
  const label = fn.text.length > 40 ? 'a function' : fn.text;
  const fromEffect = (e: ArgEffect | undefined): Verdict =>
    e === 'reads' ? READS : e === 'writes' ? { kind: 'writes', name, what: `calls ${label}` } : { kind: 'unknown', name, why: `it passes ${name} to ${label}` };
  if (fn.type === 'func_literal') return follow(fn, pos, spread, name, c);
  if (fn.type === 'identifier') {
    // `f := func(…) {…}` then `f(buf)`: the literal, when f is never assigned again.
    const d = objOf(c.an, fn);
    if (d && !d.pkgLevel) {
      const lit = funcLiteralOf(d, c.an);
      return lit ? follow(lit, pos, spread, name, c) : fromEffect(undefined);
    }
  }
  const model = c.an.model;
  const cs = model.callees(call);
  const own = (x: Callee): boolean => !!x.decl && (!x.model || x.model === model);
  // A conversion: `string(p)` copies, `T(p)` of a slice type aliases.
  if (cs.length === 0) return fromEffect(fn.type === 'identifier' ? builtinArgEffect(fn.text, pos) : undefined);
  const one = cs.length === 1 ? cs[0] : undefined;
  if (one?.kind === 'builtin') return fromEffect(spread && fn.text === 'append' ? 'reads' : builtinArgEffect(fn.text, pos));
  const decl = ownFunc(model, cs);
  if (decl) return follow(decl, pos, spread, name, c);
  if (one?.std === 'bytes.NewBuffer') return fromEffect(bufferEffect(call, model));
  // An interface of the package: what every implementation there does with the argument.
  if (cs.every((x) => x.kind === 'interface' && own(x))) {
    const vs = cs.map((x) => follow(x.decl!, pos, spread, name, c));
    return vs.find((v) => v.kind === 'writes') ?? vs.find((v) => v.kind === 'unknown') ?? READS;
  }
  if (fn.type !== 'selector_expression') return fromEffect(undefined);
  const field = fn.childForFieldName('field')?.text ?? '';
  const operand = fn.childForFieldName('operand');
  // A function of another package: the standard table (`io.ReadFull`, `syscall.Read`, `fmt.*`).
  const pkg = operand?.type === 'identifier' ? model.objectOf(operand) : undefined;
  if (pkg?.kind === 'pkgname') return fromEffect(pkg.pkg ? argEffect(pkg.pkg, field, pos) : undefined);
  // A standard method by its facts (`io.Reader.Read` on a field of interface type, `(*net.UDPConn).ReadFromUDP`).
  const f = one?.kind === 'std' ? one.fact : undefined;
  if (f?.writes?.length) return f.writes.includes(pos) || f.writes.includes(-1) ? { kind: 'writes', name, what: `calls ${label}` } : READS;
  if (f?.reads && (f.reads.includes(-1) || f.reads.includes(pos))) return READS;
  // Otherwise the method's name decides, by io.Reader's and io.Writer's contracts.
  return fromEffect(methodArgEffect(field, pos));
}

/** Methods of bytes.Buffer that write into its memory (appending into the spare capacity). */
const BUFFER_WRITES = /^(Write|WriteString|WriteByte|WriteRune|ReadFrom|Grow)$/;

/** Standard functions that only read from an io.Reader argument at a position (decoders, copies). */
const READS_FROM: Record<string, number> = {
  'encoding/binary.Read': 0, 'io.ReadFull': 0, 'io.ReadAtLeast': 0, 'io.ReadAll': 0, 'io.Copy': 1, 'io.CopyN': 1,
  'encoding/json.NewDecoder': 0, 'encoding/gob.NewDecoder': 0, 'encoding/xml.NewDecoder': 0, 'bufio.NewReader': 0, 'bufio.NewScanner': 0,
};

/** The argument `e` is a reader a listed function only reads from. */
function readsFrom(e: SyntaxNode, model: Model): boolean {
  const list = e.parent;
  const call = list?.parent;
  if (call?.type !== 'call_expression') return false;
  const pos = kids(list).findIndex((a) => sameNode(a, e));
  const cs = model.callees(call);
  return cs.length === 1 && cs[0].kind === 'std' && READS_FROM[cs[0].std ?? ''] === pos;
}

/**
 * `bytes.NewBuffer(p)` reads p until the buffer is written to, and then appends into p's spare
 * capacity: a write when the argument is empty on purpose (`buf[:0]`), when the buffer is written
 * on the spot, or when the local it is bound to is; unknown when it is stored anywhere else.
 */
function bufferEffect(call: SyntaxNode, model: Model): ArgEffect {
  const arg = kids(call.childForFieldName('arguments'))[0];
  const end = arg?.type === 'slice_expression' ? arg.childForFieldName('end') : null;
  if (end?.type === 'int_literal' && Number(end.text) === 0) return 'writes';
  const [e, p] = parentOutsideParens(call);
  if (!p) return 'unknown';
  if (p.type === 'selector_expression') return BUFFER_WRITES.test(p.childForFieldName('field')?.text ?? '') ? 'writes' : 'reads';
  if (p.type === 'argument_list') return readsFrom(e, model) ? 'reads' : 'unknown';
  const name = assignedTo(call);
  const fn = enclosingFunc(call);
  if (name?.type !== 'identifier' || !fn) return 'unknown';
  if (name.text === '_') return 'reads';
  for (const use of identsNamed(fn, new Set([name.text]))) {
    const sel = use.parent;
    if (sel?.type === 'selector_expression' && sameNode(sel.childForFieldName('operand'), use) && BUFFER_WRITES.test(sel.childForFieldName('field')?.text ?? '')) return 'writes';
    if (sel?.type === 'argument_list' && !readsFrom(use, model)) return 'unknown';
    if (sel?.type === 'argument_list' || sel?.type === 'selector_expression' || sel?.type === 'binary_expression' || sameNode(use, name)) continue;
    if (sel?.type === 'expression_list' && sel.parent && sameNode(sel.parent.childForFieldName('left'), sel)) continue;
    return 'unknown';
  }
  return 'reads';
}

/** The func literal a local is bound to, when it is declared as `f := func(...) {...}`. */
function funcLiteralOf(d: Obj, an: Analysis): SyntaxNode | undefined {
  const v = initOf(d);
  const fn = d.decl && enclosingFunc(d.decl);
  return v?.type === 'func_literal' && fn && !isReassigned(d, fn, an) ? v : undefined;
}

/** Follows a call into a function of the package: what does it do with parameter `pos`? */
function follow(fn: SyntaxNode, pos: number, spread: boolean, name: string, c: Ctx): Verdict {
  const label = fn.type === 'func_literal' ? 'a func literal' : fn.childForFieldName('name')?.text ?? 'a function';
  if (c.depth >= MAX_FOLLOW) return { kind: 'unknown', name, why: `the calls nest too deep to follow` };
  const params = paramsOf(c.an.model, fn);
  const variadic = params.find((p) => p.variadic);
  if (spread || (variadic && pos >= variadic.pos)) return { kind: 'unknown', name, why: `it passes ${name} to a variadic parameter of ${label}` };
  const param = params[pos]?.obj;
  if (!param || param.name === '_') return READS;
  const entry = c.depth === 0 && c.entry !== undefined && sameNode(c.entry, fn);
  const key = `${fn.id}:${pos}:${entry}`;
  const memo = c.an.memo.get(key) as Verdict | undefined;
  if (memo) return memo;
  c.an.memo.set(key, READS); // recursion adds no new uses
  const body = fn.childForFieldName('body');
  const v = body ? usesIn(body, [param], { ...c, depth: c.depth + 1, entry: entry ? fn : undefined, assignable: false }) : READS;
  const out: Verdict = v.kind === 'writes' || v.kind === 'unknown' ? { ...v, name: param.name } : READS;
  c.an.memo.set(key, out);
  return out;
}

/** The goroutine side of `go f(…, x, …)`: what the callee does with argument `pos`. */
export function calleeVerdict(call: SyntaxNode, pos: number, name: string, an: Analysis): Verdict {
  return callEffect(call, pos, false, name, ctx(an, entryOf(call, an), false));
}

/** The function a go statement's call runs: its literal, or the one function or method of the package it calls. */
export function entryOf(call: SyntaxNode, an: Analysis): SyntaxNode | undefined {
  const fn = call.childForFieldName('function');
  return fn?.type === 'func_literal' ? fn : ownFunc(an.model, an.model.callees(call));
}

/** The declaration of the one function or method of this package that `cs` holds, when it holds only that. */
function ownFunc(model: Model, cs: Callee[]): SyntaxNode | undefined {
  const one = cs.length === 1 ? cs[0] : undefined;
  return one && (one.kind === 'func' || one.kind === 'method') && one.decl && (!one.model || one.model === model) ? one.decl : undefined;
}

/** What a call does with the slice at argument `pos` (used for the parent's own calls). */
export function callVerdict(call: SyntaxNode, pos: number, spread: boolean, name: string, an: Analysis): Verdict {
  return callEffect(call, pos, spread, name, ctx(an, undefined, false));
}

/** The goroutine side of a captured variable: what the func literal does with it. */
export function closureVerdict(lit: SyntaxNode, tracked: Obj[], an: Analysis): Verdict {
  const body = lit.childForFieldName('body');
  return body ? usesIn(body, tracked, ctx(an, lit, true)) : READS;
}

/** True when the goroutine's own code waits for something (a receive, a Wait, a Lock). */
export function waitsInside(fn: SyntaxNode | undefined): boolean {
  const body = fn?.childForFieldName('body');
  if (!body) return false;
  if (body.descendantsOfType('select_statement').length > 0) return true;
  if (body.descendantsOfType('unary_expression').some((u) => u?.childForFieldName('operator')?.text === '<-')) return true;
  return body.descendantsOfType('call_expression').some((call) => {
    const fn = call?.childForFieldName('function');
    const field = fn?.type === 'selector_expression' ? fn.childForFieldName('field')?.text ?? '' : '';
    return JOIN_METHODS.has(field) || /^Load/.test(field);
  });
}
