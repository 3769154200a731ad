/**
 * goroutine-subslice: subslices handed to another goroutine while the parent keeps writing the
 * array behind them.
 *
 * A `go` statement (or a channel send) copies a slice header, not the elements: the goroutine and
 * its parent share the backing array. When the parent writes that array again before it waits for
 * the goroutine (a read loop reusing `buf`, a batch marked "processing" right after a validator was
 * launched over a prefix), the goroutine reads while the parent writes: a data race, and garbage in
 * the goroutine's hands.
 *
 *   Have                                        Want
 *   for {                                       for {
 *       n, _ := r.Read(buf)                         n, _ := r.Read(buf)
 *       go handle(buf[:n])                          go handle(slices.Clone(buf[:n]))
 *   }                                           }
 *
 *   preview := items[:limit]                    preview := items[:limit]
 *   go func() { check(preview) }()              go func(preview []Item) { check(preview) }(slices.Clone(preview))
 *   for i := range items { items[i].x = 1 }     for i := range items { items[i].x = 1 }
 *
 * The copy happens in the `go` statement's arguments, which the parent evaluates before the
 * goroutine starts. A file that already imports `bytes` copies a `[]byte` with `bytes.Clone`;
 * below Go 1.21 (or when the name `slices` is taken) the copy is `append(buf[:0:0], buf[:n]...)`,
 * written only for operands without side effects.
 *
 * Declines, with a finding that says why: when the operand's type cannot be read from the source
 * (strings never need a copy, and `slices.Clone` of a string does not compile); when the goroutine
 * writes through the slice (a parallel in-place sort of `xs[:mid]` shares memory on purpose) or
 * gomend cannot see what it does with it; when a captured variable is assigned by the closure.
 * Leaves alone, without a finding: buffers allocated fresh in each iteration, parents that never
 * write the array again or wait (`wg.Wait()`, a receive, a lock) before writing, and parents that
 * signal a waiting goroutine after writing (it may mean to see the new data).
 *
 * What is handed over, besides `buf[:n]` and a local bound to it: views of memory their owner
 * reuses (`sc.Bytes()`, `b.Bytes()`, `r.Peek(n)`, `r.ReadSlice('\n')`, cloned when the owner scans,
 * reads or writes again before a join); the whole buffer of a read loop (`go handle(buf, n)` after
 * `conn.ReadFromUDP(buf)`); the elements of composite literals (`ch <- Packet{Data: buf[:n]}`, or a
 * local bound to one just before), where the clone wraps the element. Sends in select cases count
 * like any other. A `Write(p []byte)`-like method that hands p to a goroutine or a channel and
 * returns without waiting is reported, not fixed: io.Writer's contract lets the caller reuse p.
 *
 * Closures run on another goroutine (`go func() {…}()`, and func literals given to `wg.Go`,
 * errgroup's `Go`, `time.AfterFunc` or a pool's `Submit`) are closure.ts's: a view-bound local they
 * read is cloned where it is bound, a read buffer they slice themselves is copied into a fresh
 * variable just before the hand-off.
 * TODO: the receiver of a channel send is not analysed; a receiver that writes into what it gets
 * would make the copy wrong, as for goroutines that write through their parameter. For now only a
 * parent that reads the buffer again after a join is taken as a sign of that, and refused.
 */
import { fileContext } from '../../src/contract.js';
import type { Context, Finding, Fix, GoFile, Node, Package, PackageTransform, Pass, Tree } from '../../src/types.js';
import { boundSlice, capturedSubslices } from './bound.js';
import { calleeVerdict, callVerdict, closureVerdict, entryOf, waitsInside } from './callee.js';
import { sliceRoot } from './targets.js';
import type { Verdict } from './goroutine.js';
import { parentWrite } from './parent.js';
import type { ParentWrite } from './parent.js';
import { targetOf } from './targets.js';
import type { Target } from './targets.js';
import { cloneForm, cloneText, parameterEdits, spellSliceType } from './rewrite.js';
import type { CloneForm } from './rewrite.js';
import { kids, sameNode } from '../../src/go/syntax.js';
import type { Model } from '../../src/go/model.js';
import type { SyntaxNode } from '../../src/mirror.js';
import { pkgIndex } from './pkgindex.js';
import type { PkgIndex } from './pkgindex.js';
import { declKey, paramDecls, resolve } from './scope.js';
import { closureFindings, closureStarts } from './closure.js';
import type { HandoffApi } from './closure.js';
import { mayHandOff } from './gate.js';
import type { Decl } from './scope.js';
import { holdsBytes, isSliceLike, typeOfExpr } from './types.js';
import { isReassigned } from './bound.js';
import { enclosingFunc } from '../../src/go/syntax.js';
import type { Ty } from './types.js';

import { modelOf, setModel } from './modelref.js';

/** Long expressions are cut in messages. */
function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 37)}...` : flat;
}

/** A subslice reaching another goroutine: what it is, where its array comes from, who writes it. */
interface Handoff {
  /** The go or send statement. */
  stmt: Node;
  /** The slice expression whose array is shared. */
  slice: Node;
  /** The operand of `slice` (the array's owner). */
  operand: Node;
  operandType: Ty;
  targets: Target[];
  write: ParentWrite;
}

/** Follows `p := buf[4:]` chains back so writes through `buf` count too. */
function targetsFor(slice: Node, bound: Decl | undefined, idx: PkgIndex): Target[] | undefined {
  const out: Target[] = [];
  if (bound) out.push({ root: bound, path: [], text: bound.name.text, isArray: false });
  let operand: Node | null = slice.childForFieldName('operand');
  for (let i = 0; operand && i < 5; i++) {
    const t = targetOf(operand, idx);
    if (!t) return i === 0 ? undefined : out;
    if (out.some((o) => o.text === t.text && o.root.name.id === t.root.name.id)) break;
    out.push({ ...t, isArray: typeOfExpr(operand, idx).kind === 'array' });
    const next = t.path.length === 0 ? boundSlice(t.root, idx) : undefined;
    operand = next ? next.childForFieldName('operand') : null;
  }
  return out;
}

/** A hand-off worth deciding about: the array is written by the parent after it, before a join. */
function handoffOf(stmt: Node, slice: Node, bound: Decl | undefined, idx: PkgIndex, sendChannel?: string): Handoff | undefined {
  const operand = slice.childForFieldName('operand');
  if (!operand) return undefined;
  const end = slice.childForFieldName('end');
  if (end?.type === 'int_literal' && Number(end.text) === 0) return undefined; // x[:0] hands over capacity on purpose
  const operandType = typeOfExpr(operand, idx);
  if (operandType.kind === 'string') return undefined;
  const targets = targetsFor(slice, bound, idx);
  if (!targets || targets.length === 0) return undefined;
  const write = parentWrite(stmt, targets, idx, sendChannel);
  return write ? { stmt, slice, operand, operandType, targets, write } : undefined;
}

/** Methods that reuse the memory a view points into: the next scan, read or write on the owner. */
const REUSES = /^(Scan|Buffer|Read\w*|Peek|Discard|Reset|Write\w*|Next|Truncate|Grow|Unread\w*)$/;

/** A stand-in for the type of a view (`[]byte`): what the clone forms need to know. */
const BYTE_SLICE: Ty = { kind: 'slice', elem: { type: 'type_identifier', text: 'byte' } as unknown as Node, src: undefined };

/** The view call (`sc.Bytes()`, `r.ReadSlice('\n')`) an expression is, or a once-bound local holds. */
function viewCall(expr: Node, bound: Decl | undefined, idx: PkgIndex): Node | undefined {
  let call: Node | undefined = expr.type === 'call_expression' ? expr : undefined;
  if (!call && bound && (bound.kind === 'short' || bound.kind === 'var')) {
    const values = kids(bound.stmt.childForFieldName(bound.kind === 'short' ? 'right' : 'value'));
    const left = bound.kind === 'short' ? kids(bound.stmt.childForFieldName('left')) : bound.stmt.childrenForFieldName('name');
    // `line := sc.Bytes()`, or the first of `line, err := r.ReadSlice('\n')`.
    const v = values.length === left.length ? values[bound.index] : values.length === 1 && bound.index === 0 ? values[0] : undefined;
    const fn = enclosingFunc(bound.stmt);
    if (v?.type === 'call_expression' && fn && !isReassigned(bound, fn, idx)) call = v;
  }
  if (!call) return undefined;
  const model = modelOf(idx.pkg);
  if (!model) return undefined;
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'selector_expression') return undefined;
  const cs = model.callees(call as unknown as SyntaxNode);
  return cs.length === 1 && cs[0].kind === 'std' && cs[0].fact?.view ? call : undefined;
}

/** A view of reused memory handed over: the owner (`sc`, `s.buf`) is tracked through its methods. */
function viewHandoffOf(stmt: Node, expr: Node, call: Node, idx: PkgIndex, sendChannel?: string): Handoff | undefined {
  const owner = call.childForFieldName('function')?.childForFieldName('operand');
  const t = owner ? targetOf(owner, idx) : undefined;
  if (!owner || !t) return undefined;
  const targets: Target[] = [{ ...t, isArray: false, reuses: REUSES }];
  const write = parentWrite(stmt, targets, idx, sendChannel);
  return write ? { stmt, slice: call, operand: expr, operandType: BYTE_SLICE, targets, write } : undefined;
}

/**
 * The whole buffer of a read loop (`go handle(buf, addr)` after `conn.ReadFromUDP(buf)`): a local
 * slice handed over as it is, which a call fills again in the next iteration before any join.
 * Other writes into a whole slice are left to the code's intent (workers over a shared result).
 */
function wholeHandoffOf(stmt: Node, expr: Node, bound: Decl | undefined, idx: PkgIndex, sendChannel?: string): Handoff | undefined {
  if (expr.type !== 'identifier' || !bound || (bound.kind !== 'short' && bound.kind !== 'var')) return undefined;
  const operandType = typeOfExpr(expr, idx);
  if (operandType.kind !== 'slice') return undefined;
  const targets: Target[] = [{ root: bound, path: [], text: expr.text, isArray: false }];
  if (!filledInLoop(stmt, bound, idx)) return undefined;
  const write = parentWrite(stmt, targets, idx, sendChannel);
  return write ? { stmt, slice: expr, operand: expr, operandType, targets, write } : undefined;
}

/** A read loop: a call before `stmt` in the body of a loop around it fills the buffer (`r.Read(buf)`). */
function filledInLoop(stmt: Node, buf: Decl, idx: PkgIndex): boolean {
  let loop: Node | null = stmt.parent;
  while (loop && loop.type !== 'for_statement' && loop.type !== 'func_literal' && loop.type !== 'function_declaration' && loop.type !== 'method_declaration') loop = loop.parent;
  if (loop?.type !== 'for_statement') return false;
  for (const call of loop.descendantsOfType('call_expression')) {
    if (!call || call.startIndex >= stmt.startIndex) continue;
    const args = kids(call.childForFieldName('arguments'));
    for (const [pos, arg] of args.entries()) {
      const root = sliceRoot(arg);
      if (root.type !== 'identifier' || root.text !== buf.name.text) continue;
      const d = resolve(root, idx);
      if (d && declKey(d) === declKey(buf) && callVerdict(call, pos, false, root.text, idx).kind === 'writes') return true;
    }
  }
  return false;
}

function describeWrite(h: Handoff): string {
  const w = h.write.write;
  const when = w.node.startIndex < h.stmt.startIndex ? ', next iteration' : '';
  const verb = w.target.reuses ? `${w.target.text} reuses that memory` : `${w.target.text} is written again`;
  return `${verb} (line ${w.node.startPosition.row + 1}${when}: ${w.what}) before any join`;
}

/** Why the goroutine's side forbids a copy, or undefined when it only reads. */
function refusal(v: Verdict, who: 'goroutine' | 'receiver' = 'goroutine'): string | undefined {
  switch (v.kind) {
    case 'writes':
      return `the goroutine writes through ${v.name} (${v.what}): sharing looks intended`;
    case 'unknown':
      return `cannot tell whether the ${who} writes through ${v.name}: ${v.why}`;
    case 'assigns':
      return `the closure assigns to ${v.name}`;
    default:
      return undefined;
  }
}

function typeRefusal(h: Handoff): string | undefined {
  return isSliceLike(h.operandType) ? undefined : `cannot tell the type of ${short(h.operand.text)}`;
}

/** A go call argument or a sent value: wrap it in place. */
function inPlace(file: GoFile, ctx: Context, idx: PkgIndex, expr: Node, h: Handoff, base: string, verdict: Verdict, who?: 'receiver'): Finding {
  const finding = (message: string, fix?: Fix): Finding => ({ start: expr.startIndex, end: expr.endIndex, message, fix });
  const no = typeRefusal(h) ?? refusal(verdict, who);
  if (no) return finding(`${base}; no fix: ${no}`);
  const form = cloneForm(file, ctx, expr, idx, holdsBytes(h.operandType, idx));
  const operand = expr.type === 'identifier' ? expr : h.operand;
  const text = cloneText(form, file.source, expr, operand);
  if ('why' in text) return finding(`${base}; no fix: ${text.why}`);
  const edits = [{ start: expr.startIndex, end: expr.endIndex, text: text.text }];
  if (form.kind === 'call' && form.importEdit) edits.push(form.importEdit);
  return finding(base, { message: `Clone ${short(expr.text)} before handing it over`, edits });
}

function goFindings(file: GoFile, ctx: Context, idx: PkgIndex, stmt: Node): Finding[] {
  const call = kids(stmt)[0];
  if (call?.type !== 'call_expression') return [];
  const out: Finding[] = [];
  const fn = call.childForFieldName('function');
  kids(call.childForFieldName('arguments')).forEach((arg, pos) => {
    for (const part of handedParts(arg, idx)) {
      const h = handoffFor(stmt, part, idx);
      if (!h) {
        const kept = retainedWriteArg(stmt, part, idx);
        if (kept) out.push({ start: part.startIndex, end: part.endIndex, message: `${short(part.text)} is handed to a goroutine ${kept}` });
        continue;
      }
      if (h.write.signals && waitsInside(entryOf(call, idx))) continue;
      const base = `${short(part.text)} is handed to a goroutine${part === arg ? '' : ` inside ${short(arg.text)}`}, but ${describeWrite(h)}`;
      out.push(inPlace(file, ctx, idx, part, h, base, calleeVerdict(call, pos, arg.text, idx)));
    }
  });
  if (fn?.type === 'func_literal') out.push(...captureFindings(file, ctx, idx, stmt, call, fn));
  return out;
}

/** Captured subslice variables of `go func() {…}()`: pass each as a parameter, copied. */
function captureFindings(file: GoFile, ctx: Context, idx: PkgIndex, stmt: Node, call: Node, lit: Node): Finding[] {
  const found: { finding: Finding; param?: { name: string; type: string; clone: string } }[] = [];
  let form: CloneForm | undefined;
  for (const cap of capturedSubslices(lit, idx)) {
    const h = handoffOf(stmt, cap.slice, cap.decl, idx);
    if (!h) continue;
    if (h.write.signals && waitsInside(lit)) continue;
    const name = cap.decl.name.text;
    const base = `the goroutine captures ${name} (${short(cap.slice.text)}), but ${describeWrite(h)}`;
    const finding: Finding = { start: stmt.startIndex, end: cap.firstUse.endIndex, message: base };
    const tracked = h.targets.map((t) => t.root).filter((d) => d.kind !== 'package-var');
    const type = spellSliceType(h.operandType, stmt);
    form ??= cloneForm(file, ctx, stmt, idx, holdsBytes(h.operandType, idx));
    const text = cloneText(form, file.source, cap.decl.name, cap.decl.name);
    const no =
      typeRefusal(h) ??
      refusal(closureVerdict(lit, tracked, idx)) ??
      ('why' in text ? text.why : undefined) ??
      (type ? undefined : `cannot spell the type of ${name} for a parameter`);
    if (no || !type || 'why' in text) finding.message = `${base}; no fix: ${no}`;
    found.push({ finding, param: no || !type || 'why' in text ? undefined : { name, type, clone: text.text } });
  }
  const params = found.flatMap((f) => (f.param ? [f.param] : []));
  if (params.length === 0) return found.map((f) => f.finding);
  const edits = parameterEdits(call, lit, params);
  if (typeof edits === 'string') {
    for (const f of found) if (f.param) f.finding.message += `; no fix: ${edits}`;
    return found.map((f) => f.finding);
  }
  if (form?.kind === 'call' && form.importEdit) edits.push(form.importEdit);
  const fix: Fix = { message: `Pass the goroutine its own copy of ${params.map((p) => p.name).join(', ')}`, edits };
  for (const f of found) if (f.param) f.finding.fix = fix;
  return found.map((f) => f.finding);
}

function sendFindings(file: GoFile, ctx: Context, idx: PkgIndex, stmt: Node): Finding[] {
  const value = stmt.childForFieldName('value');
  const channel = stmt.childForFieldName('channel');
  if (!value || !channel) return [];
  const out: Finding[] = [];
  for (const part of handedParts(value, idx)) {
    const h = handoffFor(stmt, part, idx, channel.text);
    if (!h) {
      const kept = retainedWriteArg(stmt, part, idx);
      if (kept) out.push({ start: part.startIndex, end: part.endIndex, message: `${short(part.text)} is sent on ${short(channel.text)} ${kept}` });
      continue;
    }
    if (h.write.signals) continue;
    const base = `${short(part.text)} is sent on ${short(channel.text)}${part === value ? '' : ` inside ${short(value.text)}`}, but ${describeWrite(h)}`;
    const receiver: Verdict = h.write.usedAfterJoin
      ? { kind: 'unknown', name: short(part.text), why: `the parent uses ${h.write.write.target.text} again after a join, so the receiver may be meant to write into it` }
      : { kind: 'reads' };
    out.push(inPlace(file, ctx, idx, part, h, base, receiver, 'receiver'));
  }
  return out;
}

/** Methods whose contract (io.Writer, net.PacketConn.WriteTo and kin) says: do not retain p. */
const WRITE_CONTRACT = /^(Write|WriteAt|WriteTo|WriteToUDP|WriteToUDPAddrPort|WriteToUnix|WriteMsgUDP|WriteMsgUnix)$/;

/**
 * A method such as `Write(p []byte)` hands its slice parameter (or a subslice of it) to another
 * goroutine and returns without waiting: the caller may reuse p as soon as Write returns, which
 * its contract allows. Only reported: the fix (a copy, or waiting) is the author's choice.
 */
function retainedWriteArg(stmt: Node, part: Node, idx: PkgIndex): string | undefined {
  const root = sliceRoot(part);
  if (root.type !== 'identifier') return undefined;
  const method = enclosingFunc(stmt);
  if (method?.type !== 'method_declaration') return undefined;
  const name = method.childForFieldName('name')?.text ?? '';
  if (!WRITE_CONTRACT.test(name)) return undefined;
  const first = paramDecls(method.childForFieldName('parameters'), 'param')[0];
  const d = resolve(root, idx);
  if (!first || !d || declKey(d) !== declKey(first) || first.stmt.childForFieldName('type')?.text !== '[]byte') return undefined;
  // Waiting for the goroutine before returning keeps the contract.
  const body = method.childForFieldName('body');
  const after = body ? body.text.slice(stmt.endIndex - body.startIndex) : '';
  if (/\.Wait\(|<-\s*[\p{L}_]/u.test(after)) return undefined;
  return `and ${name} returns without waiting for it, although its contract lets the caller reuse ${first.name.text} once it returns (io.Writer: "must not retain p"); copy ${first.name.text} or wait`;
}

/** The composite literal (or `&T{…}`) a local is bound to, when it is assigned only at its declaration. */
function boundLiteral(d: Decl | undefined, idx: PkgIndex): Node | undefined {
  if (!d || (d.kind !== 'short' && d.kind !== 'var')) return undefined;
  const values = kids(d.stmt.childForFieldName(d.kind === 'short' ? 'right' : 'value'));
  const left = d.kind === 'short' ? kids(d.stmt.childForFieldName('left')) : d.stmt.childrenForFieldName('name');
  const v = values.length === left.length ? values[d.index] : undefined;
  const inner = v?.type === 'unary_expression' && v.childForFieldName('operator')?.text === '&' ? v.childForFieldName('operand') : v;
  const fn = enclosingFunc(d.stmt);
  return inner?.type === 'composite_literal' && fn && !isReassigned(d, fn, idx) ? v : undefined;
}

/**
 * The literal's statement and the hand-off are in the same block, and nothing between them names
 * what the literal holds: a copy made at the literal then sees what the hand-off would have.
 */
function untouchedUntil(lit: Node, use: Node): boolean {
  let decl: Node | null = lit;
  while (decl && decl.parent?.type !== 'statement_list') decl = decl.parent;
  let stmt: Node | null = use;
  while (stmt && stmt.parent?.type !== 'statement_list') stmt = stmt.parent;
  if (!decl || !stmt || !decl.parent || !sameNode(decl.parent, stmt.parent)) return false;
  const names = new Set(lit.descendantsOfType('identifier').map((i) => i?.text));
  for (const between of kids(decl.parent)) {
    if (between.startIndex <= decl.startIndex || between.startIndex >= stmt.startIndex) continue;
    if (between.descendantsOfType('identifier').some((i) => names.has(i?.text))) return false;
  }
  return true;
}

/** The hand-off an expression makes: a subslice, a local bound to one, a view, a whole read buffer. */
function handoffFor(stmt: Node, expr: Node, idx: PkgIndex, sendChannel?: string): Handoff | undefined {
  const bound = expr.type === 'identifier' ? resolve(expr, idx) : undefined;
  const slice = expr.type === 'slice_expression' ? expr : boundSlice(bound, idx);
  if (slice) return handoffOf(stmt, slice, expr.type === 'identifier' ? bound : undefined, idx, sendChannel);
  const view = viewCall(expr, bound, idx);
  if (view) return viewHandoffOf(stmt, expr, view, idx, sendChannel);
  return wholeHandoffOf(stmt, expr, bound, idx, sendChannel);
}

/**
 * What a go argument or a sent value hands over: the value itself, or, for a composite literal
 * (`Packet{Data: buf[:n]}`, `&Msg{…}`, `[]any{buf[:n]}`), each element value, nested literals
 * included: the copy then wraps the element.
 */
function handedParts(expr: Node, idx: PkgIndex, depth = 0): Node[] {
  let e = expr;
  while (e.type === 'parenthesized_expression' && kids(e)[0]) e = kids(e)[0];
  // `p := packet{Data: buf[:n]}` … `go handle(p)`: the literal a once-assigned local holds.
  const lit = e.type === 'identifier' && depth === 0 ? boundLiteral(resolve(e, idx), idx) : undefined;
  if (lit && untouchedUntil(lit, expr)) return handedParts(lit, idx, depth + 1);
  if (e.type === 'unary_expression' && e.childForFieldName('operator')?.text === '&') e = e.childForFieldName('operand') ?? e;
  const body = e.type === 'composite_literal' ? e.childForFieldName('body') : e.type === 'literal_value' ? e : null;
  if (!body) return [expr];
  const out: Node[] = [];
  for (const el of kids(body)) {
    let v: Node | undefined = el.type === 'keyed_element' ? kids(el).filter((k) => k.type !== 'comment').pop() : el;
    if (v?.type === 'literal_element') v = kids(v)[0];
    if (v) out.push(...(v.type === 'literal_value' || v.type === 'composite_literal' || v.type === 'unary_expression' ? handedParts(v, idx, depth + 1) : [v]));
  }
  return out;
}

/**
 * The go and send statements of a file in document order, found from where their `go` and `<-`
 * tokens are in the text: asking the tree at those few places is much cheaper than walking all of
 * it, and every go statement starts with its `go` token, every send holds its `<-`.
 */
function handoffStatements(file: GoFile): Node[] {
  const out: Node[] = [];
  const root = file.root;
  const at = (i: number, token: string, parent: string) => {
    const node = root.descendantForIndex(i, i + token.length);
    const p = node?.type === token ? node.parent : null;
    if (p?.type === parent) out.push(p);
  };
  for (const m of file.source.matchAll(/\bgo\b/g)) at(m.index, 'go', 'go_statement');
  for (let i = file.source.indexOf('<-'); i >= 0; i = file.source.indexOf('<-', i + 2)) at(i, '<-', 'send_statement');
  return out.sort((a, b) => a.startIndex - b.startIndex);
}

/** What closure.ts needs of this module. */
const closureApi: HandoffApi = {
  handoffFor: (stmt, expr, idx) => handoffFor(stmt, expr, idx),
  describeWrite: (h) => describeWrite(h as unknown as Handoff),
  refusal: (v) => refusal(v),
  viewCallOf: (d, idx) => (d ? viewCall(d.name, d, idx) : undefined),
  literalParts: (ident, stmt, idx) => {
    const lit = boundLiteral(resolve(ident, idx), idx);
    return lit && untouchedUntil(lit, stmt) ? handedParts(lit, idx, 1) : undefined;
  },
  inPlace: (file, ctx, idx, expr, h, base, verdict) => inPlace(file, ctx, idx, expr, h as unknown as Handoff, base, verdict),
  model: (idx) => modelOf(idx.pkg),
};

/** One file: its go and send statements and its closures run elsewhere, judged against the package index (`ctx.pkg`). */
export function subsliceFindings(file: GoFile, ctx: Context): Finding[] {
  const stmts = handoffStatements(file);
  const model = modelOf(ctx.pkg);
  const starts = model && /\bfunc\s*\(/.test(file.source) ? closureStarts(file, model) : [];
  if (stmts.length === 0 && starts.length === 0) return [];
  // The package index parses other files only for the names a hand-off makes it look up.
  const idx = pkgIndex(ctx.pkg);
  const out: Finding[] = [];
  for (const stmt of stmts) {
    if (stmt.type === 'go_statement') out.push(...goFindings(file, ctx, idx, stmt));
    else out.push(...sendFindings(file, ctx, idx, stmt));
  }
  for (const start of starts) out.push(...closureFindings(file, ctx, idx, start, closureApi));
  return out;
}

/**
 * The package's files as this analysis reads them: the same files, whose `root` is the model's
 * mirrored tree (plain JavaScript nodes, read many times over; the model shares them).
 */
function mirroredPackage(pass: Pass): Package {
  const files = pass.files.map((f) => {
    const view = { path: f.path, source: f.source, packageName: f.packageName, goVersion: f.goVersion, isTest: f.isTest } as GoFile;
    Object.defineProperty(view, 'root', { enumerable: true, get: () => pass.model.rootOf(f) as unknown as Node });
    Object.defineProperty(view, 'tree', { enumerable: true, get: () => pass.model.rootOf(f).tree as unknown as Tree });
    return view;
  });
  const pkg = { ...pass.pkg, files };
  setModel(pkg, pass.model);
  return pkg;
}

export const goroutineSubslice: PackageTransform = {
  name: 'goroutine-subslice',
  description: 'clone subslices handed to goroutines or sent on channels while the parent keeps writing their array',
  scope: 'package',
  mayMatch: (texts) => texts.some(mayHandOff),
  run(pass) {
    const pkg = mirroredPackage(pass);
    // The text test per file, unless it was taken away (the gate tests compare with and without it).
    const gated = this.mayMatch !== undefined;
    for (const file of pkg.files) {
      if (gated && !mayHandOff(file.source)) continue;
      let found: Finding[];
      try {
        found = subsliceFindings(file, fileContext(pkg, file));
      } catch (err) {
        pass.fail(file, err);
        continue;
      }
      for (const f of found) pass.report({ ...f, file: file.path });
    }
  },
};
