/**
 * What a go statement, a send or a closure hands over, and whether the parent writes it again:
 * a subslice (`buf[:n]`, or a local bound once to one, followed back through `p := buf[4:]`
 * chains), a view of memory its owner reuses (`sc.Bytes()`, `r.ReadSlice('\n')`), the whole buffer
 * of a read loop, and the elements of composite literals (`Packet{Data: buf[:n]}`).
 */
import type { SyntaxNode } from '../../src/mirror.js';
import { ancestor, FUNC_TYPES, kids, sameNode, unparen } from '../../src/go/syntax.js';
import { initOf } from '../../src/go/locals.js';
import type { Obj } from '../../src/go/objects.js';
import { underlying } from '../../src/go/types.js';
import type { Type } from '../../src/go/types.js';
import { boundSlice, onceBound } from './bound.js';
import { callVerdict } from './callee.js';
import { objOf } from './goroutine.js';
import type { Analysis } from './goroutine.js';
import { parentWrite, sliceRoot, targetOf } from './parent.js';
import type { ParentWrite, Target } from './parent.js';

/** A subslice reaching another goroutine: what it is, where its array comes from, who writes it. */
export interface Handoff {
  /** The go or send statement. */
  stmt: SyntaxNode;
  /** The slice expression whose array is shared. */
  slice: SyntaxNode;
  /** The operand of `slice` (the array's owner). */
  operand: SyntaxNode;
  operandType: Type;
  targets: Target[];
  write: ParentWrite;
}

/** Follows `p := buf[4:]` chains back so writes through `buf` count too. */
function targetsFor(slice: SyntaxNode, bound: Obj | undefined, an: Analysis): Target[] | undefined {
  const out: Target[] = [];
  if (bound) out.push({ root: bound, path: [], text: bound.name, isArray: false });
  let operand: SyntaxNode | null = slice.childForFieldName('operand');
  for (let i = 0; operand && i < 5; i++) {
    const t = targetOf(operand, an);
    if (!t) return i === 0 ? undefined : out;
    if (out.some((o) => o.text === t.text && o.root === t.root)) break;
    out.push({ ...t, isArray: underlying(an.model.typeOf(operand)).kind === 'array' });
    const next = t.path.length === 0 ? boundSlice(t.root, an) : undefined;
    operand = next ? next.childForFieldName('operand') : null;
  }
  return out;
}

/** A hand-off worth deciding about: the array is written by the parent after it, before a join. */
export function handoffOf(stmt: SyntaxNode, slice: SyntaxNode, bound: Obj | undefined, an: Analysis, sendChannel?: string): Handoff | undefined {
  const operand = slice.childForFieldName('operand');
  if (!operand) return undefined;
  const end = slice.childForFieldName('end');
  if (end?.type === 'int_literal' && Number(end.text) === 0) return undefined; // x[:0] hands over capacity on purpose
  const operandType = an.model.typeOf(operand);
  const u = underlying(operandType);
  if (u.kind === 'basic' && u.name === 'string') return undefined;
  const targets = targetsFor(slice, bound, an);
  if (!targets || targets.length === 0) return undefined;
  const write = parentWrite(stmt, targets, an, sendChannel);
  return write ? { stmt, slice, operand, operandType, targets, write } : undefined;
}

/** Methods that reuse the memory a view points into: the next scan, read or write on the owner. */
const REUSES = /^(Scan|Buffer|Read\w*|Peek|Discard|Reset|Write\w*|Next|Truncate|Grow|Unread\w*)$/;

/** The type of a view (`[]byte`). */
const BYTE_SLICE: Type = { kind: 'slice', elem: { kind: 'basic', name: 'uint8' } };

/** The view call (`sc.Bytes()`, `r.ReadSlice('\n')`) an expression is, or a once-bound local holds. */
export function viewCall(expr: SyntaxNode, bound: Obj | undefined, an: Analysis): SyntaxNode | undefined {
  let call: SyntaxNode | undefined = expr.type === 'call_expression' ? expr : undefined;
  // `line := sc.Bytes()`, or the first of `line, err := r.ReadSlice('\n')`.
  const v = bound && !bound.pkgLevel ? (initOf(bound) ?? firstOfCall(bound)) : undefined;
  if (!call && bound && v?.type === 'call_expression' && onceBound(bound, an, v)) call = v;
  if (!call) return undefined;
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'selector_expression') return undefined;
  const cs = an.model.callees(call);
  return cs.length === 1 && cs[0].kind === 'std' && cs[0].fact?.view ? call : undefined;
}

/** The call that binds the first of several names (`line, err := r.ReadSlice('\n')`). */
function firstOfCall(o: Obj): SyntaxNode | undefined {
  const d = o.decl;
  if (o.index !== 0 || !d || (d.type !== 'short_var_declaration' && d.type !== 'var_spec')) return undefined;
  const values = kids(d.childForFieldName(d.type === 'short_var_declaration' ? 'right' : 'value'));
  return values.length === 1 ? values[0] : undefined;
}

/** A view of reused memory handed over: the owner (`sc`, `s.buf`) is tracked through its methods. */
function viewHandoffOf(stmt: SyntaxNode, expr: SyntaxNode, call: SyntaxNode, an: Analysis, sendChannel?: string): Handoff | undefined {
  const owner = call.childForFieldName('function')?.childForFieldName('operand');
  const t = owner ? targetOf(owner, an) : undefined;
  if (!owner || !t) return undefined;
  const targets: Target[] = [{ ...t, isArray: false, reuses: REUSES }];
  const write = parentWrite(stmt, targets, an, sendChannel);
  return write ? { stmt, slice: call, operand: expr, operandType: BYTE_SLICE, targets, write } : undefined;
}

/**
 * The whole buffer of a read loop (`go handle(buf, addr)` after `conn.ReadFromUDP(buf)`): a local
 * slice handed over as it is, which a call fills again in the next iteration before any join.
 * Other writes into a whole slice are left to the code's intent (workers over a shared result).
 */
function wholeHandoffOf(stmt: SyntaxNode, expr: SyntaxNode, bound: Obj | undefined, an: Analysis, sendChannel?: string): Handoff | undefined {
  const d = bound?.decl?.type;
  if (expr.type !== 'identifier' || !bound || bound.pkgLevel || bound.param || (d !== 'short_var_declaration' && d !== 'var_spec')) return undefined;
  const operandType = an.model.typeOf(expr);
  if (underlying(operandType).kind !== 'slice') return undefined;
  const targets: Target[] = [{ root: bound, path: [], text: expr.text, isArray: false }];
  if (!filledInLoop(stmt, bound, an)) return undefined;
  const write = parentWrite(stmt, targets, an, sendChannel);
  return write ? { stmt, slice: expr, operand: expr, operandType, targets, write } : undefined;
}

const LOOP_OR_FUNC = new Set(['for_statement', ...FUNC_TYPES]);

/** A read loop: a call before `stmt` in the body of a loop around it fills the buffer (`r.Read(buf)`). */
function filledInLoop(stmt: SyntaxNode, buf: Obj, an: Analysis): boolean {
  const loop = stmt.parent && ancestor(stmt.parent, LOOP_OR_FUNC);
  if (loop?.type !== 'for_statement') return false;
  for (const call of loop.descendantsOfType('call_expression')) {
    if (!call || call.startIndex >= stmt.startIndex) continue;
    const args = kids(call.childForFieldName('arguments'));
    for (const [pos, arg] of args.entries()) {
      const root = sliceRoot(arg);
      if (root.type !== 'identifier' || root.text !== buf.name) continue;
      if (objOf(an, root) === buf && callVerdict(call, pos, false, root.text, an).kind === 'writes') return true;
    }
  }
  return false;
}

/** The hand-off an expression makes: a subslice, a local bound to one, a view, a whole read buffer. */
export function handoffFor(stmt: SyntaxNode, expr: SyntaxNode, an: Analysis, sendChannel?: string): Handoff | undefined {
  const bound = expr.type === 'identifier' ? objOf(an, expr) : undefined;
  const slice = expr.type === 'slice_expression' ? expr : boundSlice(bound, an);
  if (slice) return handoffOf(stmt, slice, expr.type === 'identifier' ? bound : undefined, an, sendChannel);
  const view = viewCall(expr, bound, an);
  if (view) return viewHandoffOf(stmt, expr, view, an, sendChannel);
  return wholeHandoffOf(stmt, expr, bound, an, sendChannel);
}

/** The composite literal (or `&T{…}`) a local is bound to, when it is assigned only at its declaration. */
function boundLiteral(d: Obj | undefined, an: Analysis): SyntaxNode | undefined {
  const v = onceBound(d, an);
  const inner = v?.type === 'unary_expression' && v.childForFieldName('operator')?.text === '&' ? v.childForFieldName('operand') : v;
  return inner?.type === 'composite_literal' ? v : undefined;
}

/** The statement of a block (`n` or an ancestor) that holds `n`. */
export function blockStatement(n: SyntaxNode): SyntaxNode | null {
  let s: SyntaxNode | null = n;
  while (s && s.parent?.type !== 'statement_list') s = s.parent;
  return s;
}

/** True when a statement of the block strictly between `from` and `to` names one of the identifiers of `of`. */
export function namedBetween(from: SyntaxNode, to: SyntaxNode, of: SyntaxNode): boolean {
  const names = new Set(of.descendantsOfType('identifier').map((i) => i?.text));
  return kids(from.parent).some((s) => s.startIndex > from.startIndex && s.startIndex < to.startIndex && s.descendantsOfType('identifier').some((i) => names.has(i?.text)));
}

/**
 * The literal's statement and the hand-off are in the same block, and nothing between them names
 * what the literal holds: a copy made at the literal then sees what the hand-off would have.
 */
function untouchedUntil(lit: SyntaxNode, use: SyntaxNode): boolean {
  const decl = blockStatement(lit);
  const stmt = blockStatement(use);
  return !!decl?.parent && !!stmt && sameNode(decl.parent, stmt.parent) && !namedBetween(decl, stmt, lit);
}

/** The element values of the composite literal a local is bound to just before `stmt`. */
export function literalParts(ident: SyntaxNode, stmt: SyntaxNode, an: Analysis): SyntaxNode[] | undefined {
  const lit = boundLiteral(objOf(an, ident), an);
  return lit && untouchedUntil(lit, stmt) ? handedParts(lit, an, 1) : undefined;
}

/**
 * What a go argument or a sent value hands over: the value itself, or, for a composite literal
 * (`Packet{Data: buf[:n]}`, `&Msg{…}`, `[]any{buf[:n]}`), each element value, nested literals
 * included: the copy then wraps the element.
 */
export function handedParts(expr: SyntaxNode, an: Analysis, depth = 0): SyntaxNode[] {
  let e = unparen(expr);
  // `p := packet{Data: buf[:n]}` … `go handle(p)`: the literal a once-assigned local holds.
  const lit = e.type === 'identifier' && depth === 0 ? boundLiteral(objOf(an, e), an) : undefined;
  if (lit && untouchedUntil(lit, expr)) return handedParts(lit, an, depth + 1);
  if (e.type === 'unary_expression' && e.childForFieldName('operator')?.text === '&') e = e.childForFieldName('operand') ?? e;
  const body = e.type === 'composite_literal' ? e.childForFieldName('body') : e.type === 'literal_value' ? e : null;
  if (!body) return [expr];
  const out: SyntaxNode[] = [];
  for (const el of kids(body)) {
    let v: SyntaxNode | undefined = el.type === 'keyed_element' ? kids(el).filter((k) => k.type !== 'comment').pop() : el;
    if (v?.type === 'literal_element') v = kids(v)[0];
    if (v) out.push(...(v.type === 'literal_value' || v.type === 'composite_literal' || v.type === 'unary_expression' ? handedParts(v, an, depth + 1) : [v]));
  }
  return out;
}

