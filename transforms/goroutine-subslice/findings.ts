/**
 * Findings for go statements and sends: each hand-off the parent writes again before a join is
 * reported, and fixed by a copy where the other side only reads and the copy can be written.
 */
import type { Context, Finding, Fix, GoFile } from '../../src/types.js';
import { short } from '../../src/text.js';
import type { SyntaxNode } from '../../src/mirror.js';
import { enclosingFunc, kids } from '../../src/go/syntax.js';
import { paramsOf } from '../../src/go/locals.js';
import { capturedSubslices } from './bound.js';
import { calleeVerdict, closureVerdict, entryOf, waitsInside } from './callee.js';
import { objOf } from './goroutine.js';
import type { Analysis, Verdict } from './goroutine.js';
import { handedParts, handoffFor, handoffOf } from './handoff.js';
import type { Handoff } from './handoff.js';
import { sliceRoot } from './parent.js';
import { cloneAt, cloneForm, cloneText, holdsBytes, isSliceLike, parameterEdits, spellSliceType } from './rewrite.js';
import type { CloneForm } from './rewrite.js';

export function describeWrite(h: Pick<Handoff, 'stmt' | 'write'>): string {
  const w = h.write.write;
  const when = w.node.startIndex < h.stmt.startIndex ? ', next iteration' : '';
  const verb = w.target.reuses ? `${w.target.text} reuses that memory` : `${w.target.text} is written again`;
  return `${verb} (line ${w.node.startPosition.row + 1}${when}: ${w.what}) before any join`;
}

/** Why the goroutine's side forbids a copy, or undefined when it only reads. */
export function refusal(v: Verdict, who: 'goroutine' | 'receiver' = 'goroutine'): string | undefined {
  if (v.kind === 'writes') return `the goroutine writes through ${v.name} (${v.what}): sharing looks intended`;
  if (v.kind === 'unknown') return `cannot tell whether the ${who} writes through ${v.name}: ${v.why}`;
  return v.kind === 'assigns' ? `the closure assigns to ${v.name}` : undefined;
}

/** Why the operand's type forbids a copy (it is not known to be a slice or an array), if it does. */
export function typeRefusal(h: Pick<Handoff, 'operand' | 'operandType'>): string | undefined {
  return isSliceLike(h.operandType) ? undefined : `cannot tell the type of ${short(h.operand.text)}`;
}

/** A go call argument or a sent value: wrap it in place. */
export function inPlace(file: GoFile, ctx: Context, an: Analysis, expr: SyntaxNode, h: Handoff, base: string, verdict: Verdict, who?: 'receiver'): Finding {
  const finding = (message: string, fix?: Fix): Finding => ({ start: expr.startIndex, end: expr.endIndex, message, fix });
  const no = typeRefusal(h) ?? refusal(verdict, who);
  const c = no ? { why: no } : cloneAt(file, ctx, an, expr, holdsBytes(h.operandType), expr, expr.type === 'identifier' ? expr : h.operand);
  if ('why' in c) return finding(`${base}; no fix: ${c.why}`);
  return finding(base, { message: `Clone ${short(expr.text)} before handing it over`, edits: [{ start: expr.startIndex, end: expr.endIndex, text: c.text }, ...c.imports] });
}

export function goFindings(file: GoFile, ctx: Context, an: Analysis, stmt: SyntaxNode): Finding[] {
  const call = kids(stmt)[0];
  if (call?.type !== 'call_expression') return [];
  const out: Finding[] = [];
  const fn = call.childForFieldName('function');
  kids(call.childForFieldName('arguments')).forEach((arg, pos) => {
    for (const part of handedParts(arg, an)) {
      const h = handoffFor(stmt, part, an);
      if (!h) {
        const kept = retainedWriteArg(stmt, part, an);
        if (kept) out.push({ start: part.startIndex, end: part.endIndex, message: `${short(part.text)} is handed to a goroutine ${kept}` });
        continue;
      }
      if (h.write.signals && waitsInside(entryOf(call, an))) continue;
      const base = `${short(part.text)} is handed to a goroutine${part === arg ? '' : ` inside ${short(arg.text)}`}, but ${describeWrite(h)}`;
      out.push(inPlace(file, ctx, an, part, h, base, calleeVerdict(call, pos, arg.text, an)));
    }
  });
  if (fn?.type === 'func_literal') out.push(...captureFindings(file, ctx, an, stmt, call, fn));
  return out;
}

/** Captured subslice variables of `go func() {…}()`: pass each as a parameter, copied. */
function captureFindings(file: GoFile, ctx: Context, an: Analysis, stmt: SyntaxNode, call: SyntaxNode, lit: SyntaxNode): Finding[] {
  const found: { finding: Finding; param?: { name: string; type: string; clone: string } }[] = [];
  let form: CloneForm | undefined;
  for (const cap of capturedSubslices(lit, an)) {
    const h = handoffOf(stmt, cap.slice, cap.decl, an);
    if (!h || (h.write.signals && waitsInside(lit))) continue;
    const name = cap.decl.name;
    const base = `the goroutine captures ${name} (${short(cap.slice.text)}), but ${describeWrite(h)}`;
    const finding: Finding = { start: stmt.startIndex, end: cap.firstUse.endIndex, message: base };
    const tracked = h.targets.map((t) => t.root).filter((d) => !d.pkgLevel);
    const type = spellSliceType(an, h.operand, stmt);
    form ??= cloneForm(file, ctx, stmt, an, holdsBytes(h.operandType));
    const ident = cap.decl.ident;
    const text = cloneText(form, file.source, ident!, ident!);
    const no =
      typeRefusal(h) ??
      refusal(closureVerdict(lit, tracked, an)) ??
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

export function sendFindings(file: GoFile, ctx: Context, an: Analysis, stmt: SyntaxNode): Finding[] {
  const value = stmt.childForFieldName('value');
  const channel = stmt.childForFieldName('channel');
  if (!value || !channel) return [];
  const out: Finding[] = [];
  for (const part of handedParts(value, an)) {
    const h = handoffFor(stmt, part, an, channel.text);
    if (!h) {
      const kept = retainedWriteArg(stmt, part, an);
      if (kept) out.push({ start: part.startIndex, end: part.endIndex, message: `${short(part.text)} is sent on ${short(channel.text)} ${kept}` });
      continue;
    }
    if (h.write.signals) continue;
    const base = `${short(part.text)} is sent on ${short(channel.text)}${part === value ? '' : ` inside ${short(value.text)}`}, but ${describeWrite(h)}`;
    const receiver: Verdict = h.write.usedAfterJoin
      ? { kind: 'unknown', name: short(part.text), why: `the parent uses ${h.write.write.target.text} again after a join, so the receiver may be meant to write into it` }
      : { kind: 'reads' };
    out.push(inPlace(file, ctx, an, part, h, base, receiver, 'receiver'));
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
function retainedWriteArg(stmt: SyntaxNode, part: SyntaxNode, an: Analysis): string | undefined {
  const root = sliceRoot(part);
  if (root.type !== 'identifier') return undefined;
  const method = enclosingFunc(stmt);
  if (method?.type !== 'method_declaration') return undefined;
  const name = method.childForFieldName('name')?.text ?? '';
  if (!WRITE_CONTRACT.test(name)) return undefined;
  const first = paramsOf(an.model, method).find((p) => p.obj)?.obj;
  if (!first || objOf(an, root) !== first || first.decl?.childForFieldName('type')?.text !== '[]byte') return undefined;
  // Waiting for the goroutine before returning keeps the contract.
  const body = method.childForFieldName('body');
  const after = body ? body.text.slice(stmt.endIndex - body.startIndex) : '';
  if (/\.Wait\(|<-\s*[\p{L}_]/u.test(after)) return undefined;
  return `and ${name} returns without waiting for it, although its contract lets the caller reuse ${first.name} once it returns (io.Writer: "must not retain p"); copy ${first.name} or wait`;
}
