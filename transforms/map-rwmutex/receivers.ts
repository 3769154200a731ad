/**
 * The calls a function makes on a value through a variable (`b.m()`, `b.f.m()`), and the methods
 * they may run: what sharing.ts follows to find the functions a goroutine reaches on the values it
 * was handed. Both are computed once per function.
 */
import type { Node } from './tree.js';
import { ownerOf } from './goroutines.js';
import type { Goroutines } from './goroutines.js';
import { preciseMethods } from './model.js';
import type { Func, PackageIndex } from './model.js';
import { typedTargets } from './entries.js';
import { descendants, innerExpr } from './syntax.js';

/** The variable `b` of `b`, `b.f` or `b.f.g`; null for any other operand. */
function fieldChainRoot(n: Node): Node | null {
  const e = innerExpr(n);
  if (e?.type === 'identifier') return e;
  if (e?.type === 'selector_expression') return fieldChainRoot(e.childForFieldName('operand')!);
  return null;
}

/** A call `b.m()` or `b.f.m()` a function makes in its own body (not in a literal started apart). */
export interface ReceiverCall {
  /** The callee `b.m`. */
  fn: Node;
  /** The variable `b` at the root of the operand. */
  root: Node;
  /** The operand is the variable itself (`b.m()`, not `b.f.m()`). */
  plain: boolean;
  /** `methodTargets` of the callee, once asked. */
  targets?: Func[];
}

/** Per function: its receiver calls, the same for every entry reaching it (the spawned literals are fixed by then). */
const receiverCallMemo = new WeakMap<Func, ReceiverCall[]>();

/** The calls of `f` on a value through a variable, in document order: what `instanceReach` and `rootsReaching` follow. */
export function receiverCalls(index: PackageIndex, g: Goroutines, f: Func): ReceiverCall[] {
  let out = receiverCallMemo.get(f);
  if (out) return out;
  out = [];
  for (const call of descendants(f.node, 'call_expression')) {
    if (ownerOf(index, g, f.file, call)?.key !== f.key) continue;
    const fn = innerExpr(call.childForFieldName('function'));
    if (fn?.type !== 'selector_expression') continue;
    const operand = innerExpr(fn.childForFieldName('operand'));
    const root = operand && fieldChainRoot(operand);
    if (root) out.push({ fn, root, plain: root.equals(operand) });
  }
  receiverCallMemo.set(f, out);
  return out;
}

export function targetsOf(index: PackageIndex, f: Func, rc: ReceiverCall): Func[] {
  return (rc.targets ??= methodTargets(index, f, rc.fn, rc.plain));
}

/** The methods `x.m` may run, as `instanceReach` resolves them. */
function methodTargets(index: PackageIndex, f: Func, fn: Node, plain: boolean): Func[] {
  let targets = preciseMethods(index, f.file, fn);
  if (targets.length === 0 && index.methods.has(fn.childForFieldName('field')?.text ?? '')) targets = typedTargets(index, fn);
  if (targets.length === 0 && plain) targets = index.methods.get(fn.childForFieldName('field')?.text ?? '') ?? [];
  return targets;
}
