/**
 * Where the locks go: each use of the map, or a call of a helper that uses it.
 *
 * Every function using the map takes the lock itself, unless "never lock twice on one path" says
 * otherwise: when an accessor is called where its caller already holds the lock, it becomes
 * *transparent* if it can (unexported, only ever called directly, uniquely named, its uses all
 * directly in its body and, for a field, through its receiver). A transparent helper takes no lock
 * and each call of it counts as a use of the map in its caller. `Summaries` then finds what must
 * not run under the lock: calls of functions that lock the map themselves, blocking operations,
 * and calls of unknown functions.
 */
import type { GoFile, Node } from './tree.js';
import type { MapCandidate } from './candidates.js';
import type { Goroutines } from './goroutines.js';
import { funcOf, nameShared } from './model.js';
import type { Func, PackageIndex } from './model.js';
import type { Kind, Site } from './sites.js';
import { pureOperand } from './sites.js';
import { FUNCTION_TYPE_LIST, innerExpr, isExported } from './syntax.js';

/** One place that needs the lock: a use of the map, or a call of a transparent helper. */
export interface Access {
  file: GoFile;
  /** The map expression, or the helper call. */
  node: Node;
  /** The innermost function node: the lock goes in its body. */
  body: Node;
  kind: Kind;
  /** Text of the struct value whose lock guards it (fields only). */
  operand?: string;
  operandNode?: Node;
  key?: string;
  range?: Node;
  /** Name of the transparent helper called. */
  via?: string;
}

/** The accesses to lock, with the helpers left to their callers and the functions that will lock. */
export interface AccessPlan {
  accesses: Access[];
  /** Keys of transparent helpers. */
  transparent: Set<string>;
  /** Keys of function nodes (declarations and literals) that will take the lock. */
  locking: Set<string>;
}

function maxKind(a: Kind, b: Kind): Kind {
  return a === 'write' || b === 'write' ? 'write' : 'read';
}

/** The innermost function node around `node`. */
function innermostFunction(node: Node): Node | null {
  return node.closest(FUNCTION_TYPE_LIST);
}

/** True when `f` may be made transparent: unexported, called only directly, uniquely named. */
function eligibleName(index: PackageIndex, g: Goroutines, f: Func): boolean {
  if (f.node.type === 'func_literal' || isExported(f.name) || f.name === 'main' || f.name === 'init' || f.name === '_') return false;
  if (g.entries.has(f.key) || g.valueRefs.has(f.key)) return false;
  if ((g.callers.get(f.key) ?? []).length === 0) return false;
  if (f.isMethod) {
    if (nameShared(index, f.name)) return false;
  } else if ((index.funcs.get(f.name) ?? []).length !== 1) return false;
  return true;
}

/**
 * True when the accessor `f` can leave locking to its callers: its name qualifies, all its
 * accesses sit directly in its body (not in literals), and for a field they go through its
 * receiver while every call names the receiver again (`x.add(…)`, `x` free of side effects).
 */
export function canBeTransparent(index: PackageIndex, g: Goroutines, c: MapCandidate, plan: AccessPlan, f: Func): boolean {
  if (!eligibleName(index, g, f)) return false;
  const mine = plan.accesses.filter((a) => a.file === f.file && a.body.startIndex >= f.node.startIndex && a.body.endIndex <= f.node.endIndex);
  if (mine.some((a) => !a.body.equals(f.node))) return false;
  if (c.kind === 'field') {
    if (!f.isMethod || mine.some((a) => a.operand !== f.recvName)) return false;
    return (g.callers.get(f.key) ?? []).every((cs) => {
      const fn = innerExpr(cs.call.childForFieldName('function'));
      return fn?.type === 'selector_expression' && pureOperand(fn.childForFieldName('operand')!);
    });
  }
  return true;
}

/**
 * True when a read of the map feeds a write into one of its values: `m[k][j] = v`,
 * `delete(m[k], j)`, `m[k].n++`. Readers of that value hold only `RLock`, so the writer needs `Lock`.
 */
export function writesInPlace(expr: Node): boolean {
  let n: Node = expr;
  let depth = 0;
  for (let p = n.parent; p; n = p, p = p.parent) {
    if (p.type === 'parenthesized_expression') continue;
    if ((p.type === 'index_expression' && p.childForFieldName('operand')?.equals(n)) || (p.type === 'selector_expression' && p.childForFieldName('operand')?.equals(n))) {
      depth++;
      continue;
    }
    break;
  }
  if (depth < 2) return false;
  const p = n.parent;
  if (!p) return false;
  if (p.type === 'inc_statement' || p.type === 'dec_statement') return true;
  if (p.type === 'expression_list' && p.parent?.type === 'assignment_statement' && p.parent.childForFieldName('left')?.equals(p)) return true;
  if (p.type === 'argument_list' && p.namedChildren[0]?.equals(n)) {
    const call = p.parent;
    const fn = call ? innerExpr(call.childForFieldName('function')) : null;
    return fn?.type === 'identifier' && (fn.text === 'delete' || fn.text === 'clear');
  }
  return false;
}

/** The accesses to lock when the functions in `transparent` leave locking to their callers. */
export function computePlan(index: PackageIndex, g: Goroutines, sites: Site[], transparent: Set<string>): AccessPlan {
  const direct: Access[] = [];
  for (const s of sites) {
    if (s.initTime || !s.body) continue;
    direct.push({ file: s.file, node: s.expr, body: s.body, kind: s.kind === 'read' && writesInPlace(s.expr) ? 'write' : s.kind, operand: s.operand?.text, operandNode: s.operand, key: s.key, range: s.range });
  }
  const keyOf = (a: Access): string => funcOf(index, a.file, a.body).key;
  const kinds = new Map<string, Kind>();
  let all = direct;
  for (let i = 0; i < 100; i++) {
    let moved = false;
    for (const key of transparent) {
      const k = all.filter((a) => keyOf(a) === key).reduce<Kind>((acc, a) => maxKind(acc, a.kind), 'read');
      if (kinds.get(key) !== k) {
        kinds.set(key, k);
        moved = true;
      }
    }
    all = [...direct, ...helperCalls(index, g, transparent, kinds)];
    if (!moved) break;
  }
  const accesses = all.filter((a) => !transparent.has(keyOf(a)));
  return { accesses, transparent, locking: new Set(accesses.map(keyOf)) };
}

/** The calls of transparent helpers, as accesses in their callers. */
function helperCalls(index: PackageIndex, g: Goroutines, transparent: Set<string>, kinds: Map<string, Kind>): Access[] {
  const out: Access[] = [];
  for (const key of transparent) {
    const f = index.funcByKey.get(key)!;
    for (const cs of g.callers.get(key) ?? []) {
      const body = innermostFunction(cs.call);
      if (!body) continue;
      const fn = innerExpr(cs.call.childForFieldName('function'));
      const operandNode = fn?.type === 'selector_expression' ? fn.childForFieldName('operand') ?? undefined : undefined;
      out.push({ file: cs.file, node: cs.call, body, kind: kinds.get(key) ?? 'read', operand: f.isMethod ? operandNode?.text : undefined, operandNode: f.isMethod ? operandNode : undefined, via: f.name });
    }
  }
  return out;
}
