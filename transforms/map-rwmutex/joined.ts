/**
 * The joined window of a goroutine: where the function that starts it runs beside it, when it
 * waits for the goroutine before returning (WaitGroup `Done`/`Wait`, errgroup `Go`/`Wait`, a
 * channel closed or sent on last and received). Outside that window the goroutine's uses are
 * ordered with the starter's code and its callers' (concurrency.ts asks).
 */
import type { Node } from './tree.js';
import type { Entry, Goroutines, Spawn } from './goroutines.js';
import { funcOf } from './model.js';
import type { Func, PackageIndex } from './model.js';
import { declarationOf } from './resolve.js';
import { callArgs, descendants, enclosingFunction, FUNCTION_TYPES, innerExpr, namedKids, within } from './syntax.js';

/**
 * Where the function starting a goroutine runs beside it, when it waits for the goroutine before
 * returning: from the spawn to the join (`wg.Wait()` on the WaitGroup the goroutine's deferred or
 * last call marks done, `g.Wait()` for `g.Go(f)`, or a receive from a local channel the goroutine
 * closes or sends on last). Code of the function before the spawn and after the join, and code of
 * its callers, is ordered with the goroutine. Undefined when the goroutine may outlive the call:
 * no such join, a `return` before it, a goroutine started more than once, or a starting function
 * that is a literal or runs in a goroutine itself.
 */
export function joinedWindow(index: PackageIndex, g: Goroutines, entry: Entry): { fn: Func; start: number; end: number } | undefined {
  if (entry.many || entry.handler || entry.spawns.length !== 1) return undefined;
  const spawn = entry.spawns[0];
  const fnNode = enclosingFunction(spawn.node);
  if (!fnNode || fnNode.type === 'func_literal') return undefined;
  const fn = funcOf(index, spawn.file, fnNode);
  if ((g.reachedBy.get(fn.key)?.size ?? 0) > 0) return undefined;
  const signals = lastSignals(spawn);
  // A receive joins this goroutine only on a channel no other literal of the function touches.
  for (const sig of signals) {
    const ch = sig.startsWith('recv:') ? sig.slice(5) : undefined;
    if (!ch) continue;
    const use = descendants(spawn.arg!, 'identifier').find((id) => id.text === ch);
    const decl = use && declarationOf(use);
    const local = !!decl && within(decl, fnNode) && !FUNCTION_TYPES.has(decl.type) && !within(decl, spawn.arg!);
    if (!local || descendants(fnNode, 'func_literal').some((lit) => !lit.equals(spawn.arg!) && descendants(lit, 'identifier').some((id) => id.text === ch))) signals.delete(sig);
  }
  if (signals.size === 0) return undefined;
  let end: number | undefined;
  for (let p: Node = spawn.node; p.parent && !p.equals(fnNode) && end === undefined; p = p.parent) {
    if (p.type === 'for_statement' || p.type === 'func_literal') return undefined;
    if (p.parent.type !== 'block' && p.parent.type !== 'statement_list') continue;
    for (let sib = p.nextSibling; sib && end === undefined; sib = sib.nextSibling) if (joins(sib, signals)) end = sib.endIndex;
  }
  if (end === undefined) return undefined;
  const at = spawn.node.endIndex;
  const early = descendants(fnNode, 'return_statement').some((r) => r.startIndex > at && r.startIndex < end! && enclosingFunction(r)?.equals(fnNode));
  return early ? undefined : { fn, start: spawn.node.startIndex, end };
}

/**
 * What a goroutine does last that a join can wait on: `w.Done()` (as `Wait:w`) or `close(c)` /
 * `c <- v` (as `recv:c`), called last in its body or deferred at its top level; `Wait:g` for
 * `g.Go(f)`, whose function returning is the signal.
 */
function lastSignals(spawn: Spawn): Set<string> {
  const out = new Set<string>();
  if (spawn.node.type === 'call_expression') {
    const f = innerExpr(spawn.node.childForFieldName('function'));
    if (f?.type === 'selector_expression' && /^(?:Try)?Go$/.test(f.childForFieldName('field')?.text ?? '')) out.add(`Wait:${f.childForFieldName('operand')?.text}`);
    return out;
  }
  if (spawn.arg?.type !== 'func_literal') return out;
  const stmts = statements(spawn.arg.childForFieldName('body'));
  const signal = (n: Node): void => {
    if (n.type === 'send_statement') out.add(`recv:${n.childForFieldName('channel')?.text}`);
    const call = n.type === 'expression_statement' ? innerExpr(n.namedChildren[0] ?? null) : n.type === 'call_expression' ? n : null;
    if (call?.type !== 'call_expression') return;
    const f = innerExpr(call.childForFieldName('function'));
    if (f?.type === 'selector_expression' && f.childForFieldName('field')?.text === 'Done' && callArgs(call).length === 0) out.add(`Wait:${f.childForFieldName('operand')?.text}`);
    if (f?.type === 'identifier' && f.text === 'close' && callArgs(call).length === 1) out.add(`recv:${callArgs(call)[0].text}`);
  };
  for (const st of stmts) {
    if (st.type !== 'defer_statement') continue;
    const call = innerExpr(st.namedChildren[0] ?? null);
    const f = call?.type === 'call_expression' ? innerExpr(call.childForFieldName('function')) : null;
    if (f?.type === 'func_literal') for (const n of statements(f.childForFieldName('body'))) signal(n);
    else if (call) signal(call);
  }
  if (stmts.length > 0) signal(stmts[stmts.length - 1]);
  return out;
}

/** The statements of a block. */
function statements(block: Node | null): Node[] {
  const kids = namedKids(block);
  const list = kids.length === 1 && kids[0].type === 'statement_list' ? namedKids(kids[0]) : kids;
  return list.filter((n) => n.type !== 'comment');
}

/** True when statement `st` waits on one of `signals`: `w.Wait()`, or a receive `<-c` (alone, or assigned). */
function joins(st: Node, signals: Set<string>): boolean {
  let e: Node | null = null;
  if (st.type === 'expression_statement') e = innerExpr(st.namedChildren[0] ?? null);
  else if (st.type === 'short_var_declaration' || st.type === 'assignment_statement') {
    const right = namedKids(st.childForFieldName('right'));
    e = right.length === 1 ? innerExpr(right[0]) : null;
  }
  if (e?.type === 'unary_expression' && e.childForFieldName('operator')?.text === '<-') return signals.has(`recv:${innerExpr(e.childForFieldName('operand'))?.text}`);
  if (e?.type !== 'call_expression' || callArgs(e).length !== 0) return false;
  const f = innerExpr(e.childForFieldName('function'));
  return f?.type === 'selector_expression' && f.childForFieldName('field')?.text === 'Wait' && signals.has(`Wait:${f.childForFieldName('operand')?.text}`);
}
