/**
 * Where goroutines start, and what they run: `go` statements, `.Go(f)` / `.TryGo(f)` (errgroup,
 * sync.WaitGroup), `AfterFunc`, HTTP handler registration, finalizers, worker pools' `Submit(f)`; and `sync.Once`-style calls,
 * whose function runs as initialisation.
 */
import type { GoFile, Node } from './tree.js';
import { isImportName, preciseMethods, resolveCallee } from './model.js';
import type { Func, PackageIndex } from './model.js';
import { typedTargets } from './entries.js';
import { callArgs, calleeName, FUNCTION_TYPES, innerExpr } from './syntax.js';

/** Spawning calls and the index of the argument holding the function they run (-1: the last). */
export const SPAWNERS: Record<string, number> = {
  Go: 0, TryGo: 0, AfterFunc: -1, HandleFunc: -1, HandlerFunc: 0, SetFinalizer: 1, AddCleanup: 1,
  // Worker pools (ants, workerpool, pond, …): `pool.Submit(func(){…})` runs the task on a worker.
  Submit: 0, SubmitWait: 0, TrySubmit: 0, NewPoolWithFunc: 1,
};

/** Spawners that take the function as their only argument. */
const ONE_ARG = new Set(['Go', 'TryGo', 'Submit', 'SubmitWait', 'TrySubmit']);

/** Functions a spawn site starts; `handler` for HTTP handlers. */
export function spawnTargets(index: PackageIndex, file: GoFile, node: Node): { funcs: Func[]; handler: boolean; arg: Node | null } | null {
  if (node.type === 'go_statement') {
    const call = innerExpr(node.namedChildren.find((c) => c?.type !== 'comment') ?? null);
    if (!call || call.type !== 'call_expression') return null;
    const fnExpr = call.childForFieldName('function');
    return { funcs: reachTargets(index, file, fnExpr), handler: false, arg: innerExpr(fnExpr) };
  }
  if (node.type !== 'call_expression') return null;
  const name = calleeName(node);
  if (!(name in SPAWNERS)) return null;
  const fn = innerExpr(node.childForFieldName('function'));
  if (fn?.type !== 'selector_expression') return null;
  const args = callArgs(node);
  if (ONE_ARG.has(name) && args.length !== 1) return null;
  if (args.length === 0) return null;
  const at = SPAWNERS[name] < 0 ? args.length - 1 : SPAWNERS[name];
  const arg = innerExpr(args[at] ?? null);
  if (!arg) return null;
  return { funcs: reachTargets(index, file, arg), handler: name === 'HandleFunc' || name === 'HandlerFunc', arg };
}

/** What a callee certainly may run, for reachability (methods resolved by type when ambiguous). */
export function reachTargets(index: PackageIndex, file: GoFile, expr: Node | null): Func[] {
  const fn = innerExpr(expr);
  if (fn?.type === 'selector_expression') {
    const operand = innerExpr(fn.childForFieldName('operand'));
    if (operand?.type === 'identifier' && isImportName(index, file, operand)) return [];
    const precise = preciseMethods(index, file, fn);
    if (precise.length > 0 || !index.methods.has(fn.childForFieldName('field')?.text ?? '')) return precise;
    return typedTargets(index, fn);
  }
  return resolveCallee(index, file, expr).funcs;
}

/** `once.Do(f)`, `sync.OnceFunc(f)`, `sync.OnceValue(f)`: the function run once, as initialisation. */
export function onceTarget(index: PackageIndex, file: GoFile, call: Node): Func[] {
  const name = calleeName(call);
  const fn = innerExpr(call.childForFieldName('function'));
  if (fn?.type !== 'selector_expression' || !['Do', 'OnceFunc', 'OnceValue', 'OnceValues'].includes(name)) return [];
  const args = callArgs(call);
  if (args.length !== 1) return [];
  return resolveCallee(index, file, args[0]).funcs;
}

const LOOP_OR_FUNCTION: readonly string[] = Object.freeze(['for_statement', ...FUNCTION_TYPES]);

/** The loop of its own function that `node` sits in, if any. */
export function enclosingLoop(node: Node): Node | undefined {
  const n = node.closest(LOOP_OR_FUNCTION);
  return n?.type === 'for_statement' ? n : undefined;
}

/** True when `node` sits in a loop of its own function. */
export function inLoop(node: Node): boolean {
  return !!enclosingLoop(node);
}

