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
 * TODO: subslices inside composite literals (`go f(Msg{Data: buf[:n]})`) and whole buffers that a
 * closure slices itself (`go func() { use(buf[:n]) }()`) are not detected yet.
 * TODO: the receiver of a channel send is not analysed; a receiver that writes into what it gets
 * would make the copy wrong, as for goroutines that write through their parameter. For now only a
 * parent that uses the buffer again after a join is taken as a sign of that, and refused.
 */
import { fileContext } from '../../src/contract.js';
import type { Context, Finding, Fix, GoFile, Node, Package, PackageTransform, Pass, Tree } from '../../src/types.js';
import { boundSlice, capturedSubslices } from './bound.js';
import { calleeVerdict, closureVerdict, entryOf, waitsInside } from './callee.js';
import type { Verdict } from './goroutine.js';
import { parentWrite } from './parent.js';
import type { ParentWrite } from './parent.js';
import { targetOf } from './targets.js';
import type { Target } from './targets.js';
import { cloneForm, cloneText, parameterEdits, spellSliceType } from './rewrite.js';
import type { CloneForm } from './rewrite.js';
import { kids } from '../../src/go/syntax.js';
import { noteFile, pkgIndex } from './pkgindex.js';
import type { PkgIndex } from './pkgindex.js';
import { resolve } from './scope.js';
import { hasHandoffText, hasSliceExpr } from './gate.js';
import type { Decl } from './scope.js';
import { holdsBytes, isSliceLike, typeOfExpr } from './types.js';
import type { Ty } from './types.js';

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

function describeWrite(h: Handoff): string {
  const w = h.write.write;
  const when = w.node.startIndex < h.stmt.startIndex ? ', next iteration' : '';
  return `${w.target.text} is written again (line ${w.node.startPosition.row + 1}${when}: ${w.what}) before any join`;
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
    const bound = arg.type === 'identifier' ? resolve(arg, idx) : undefined;
    const slice = arg.type === 'slice_expression' ? arg : boundSlice(bound, idx);
    if (!slice) return;
    const h = handoffOf(stmt, slice, arg.type === 'identifier' ? bound : undefined, idx);
    if (!h) return;
    if (h.write.signals && waitsInside(entryOf(call, idx))) return;
    const base = `${short(arg.text)} is handed to a goroutine, but ${describeWrite(h)}`;
    out.push(inPlace(file, ctx, idx, arg, h, base, calleeVerdict(call, pos, arg.text, idx)));
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
  const bound = value.type === 'identifier' ? resolve(value, idx) : undefined;
  const slice = value.type === 'slice_expression' ? value : boundSlice(bound, idx);
  if (!slice) return [];
  const h = handoffOf(stmt, slice, value.type === 'identifier' ? bound : undefined, idx, channel.text);
  if (!h || h.write.signals) return [];
  const base = `${short(value.text)} is sent on ${short(channel.text)}, but ${describeWrite(h)}`;
  const receiver: Verdict = h.write.usedAfterJoin
    ? { kind: 'unknown', name: short(value.text), why: `the parent uses ${h.write.write.target.text} again after a join, so the receiver may be meant to write into it` }
    : { kind: 'reads' };
  return [inPlace(file, ctx, idx, value, h, base, receiver, 'receiver')];
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

/** One file: its go and send statements, judged against the package index (`ctx.pkg`). */
export function subsliceFindings(file: GoFile, ctx: Context): Finding[] {
  const stmts = handoffStatements(file);
  if (stmts.length === 0) return [];
  // The package index parses other files only for the names a hand-off makes it look up.
  const idx = pkgIndex(ctx.pkg);
  noteFile(idx, file);
  const out: Finding[] = [];
  for (const stmt of stmts) {
    if (stmt.type === 'go_statement') out.push(...goFindings(file, ctx, idx, stmt));
    else out.push(...sendFindings(file, ctx, idx, stmt));
  }
  return out;
}

const mayMatchFile = (source: string): boolean => hasSliceExpr(source) && hasHandoffText(source);

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
  return { ...pass.pkg, files };
}

export const goroutineSubslice: PackageTransform = {
  name: 'goroutine-subslice',
  description: 'clone subslices handed to goroutines or sent on channels while the parent keeps writing their array',
  scope: 'package',
  mayMatch: (texts) => texts.some(mayMatchFile),
  run(pass) {
    const pkg = mirroredPackage(pass);
    // The text test per file, unless it was taken away (the gate tests compare with and without it).
    const gated = this.mayMatch !== undefined;
    for (const file of pkg.files) {
      if (gated && !mayMatchFile(file.source)) continue;
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
