/**
 * Does a goroutine share the struct values it is handed? A struct field is per value: a goroutine
 * started on a value built for it alone (`c := newConn(…); go c.serve()` in an accept loop) owns
 * that value, and its maps need no lock. A value is shared when the goroutine gets it from a
 * package variable, from a parameter or receiver of the function starting it (the caller keeps
 * it), when the starting function uses the variable elsewhere, or, many times over, when it is
 * started in a loop on a variable declared outside that loop. HTTP handlers share their receiver
 * across requests.
 */
import type { Node } from './tree.js';
import type { Entry, Goroutines, Spawn } from './goroutines.js';
import { funcOf, resolveCallee } from './model.js';
import { receiverCalls, targetsOf } from './receivers.js';
import type { Func, PackageIndex } from './model.js';
import type { Site } from './sites.js';
import { declarationOf } from './resolve.js';
import { callArgs, descendants, enclosingFunction, FUNCTION_TYPES, innerExpr, isExported, namedKids, within } from './syntax.js';

/** How widely a goroutine shares the struct values it is handed. */
export type Share = 'none' | 'shared' | 'many';

function max(a: Share, b: Share): Share {
  if (a === 'many' || b === 'many') return 'many';
  return a === 'shared' || b === 'shared' ? 'shared' : 'none';
}

/** Memo of `handed`, per spawn. */
const handedMemo = new WeakMap<Spawn, Node[]>();

/** The variables a spawn hands to its goroutine: captures used as `v.x`, the receiver and arguments. */
function handed(spawn: Spawn): Node[] {
  let out = handedMemo.get(spawn);
  if (!out) {
    out = findHanded(spawn);
    handedMemo.set(spawn, out);
  }
  return out;
}

function findHanded(spawn: Spawn): Node[] {
  const arg = spawn.arg;
  const out: Node[] = [];
  if (arg?.type === 'func_literal') {
    for (const sel of descendants(arg, 'selector_expression')) {
      const v = innerExpr(sel.childForFieldName('operand'));
      if (v?.type !== 'identifier') continue;
      const decl = declarationOf(v);
      if (!decl || !within(decl, arg) || decl.equals(arg)) out.push(v);
    }
  } else if (arg?.type === 'selector_expression') {
    const v = innerExpr(arg.childForFieldName('operand'));
    if (v?.type === 'identifier') out.push(v);
  }
  if (spawn.node.type === 'go_statement') {
    const call = innerExpr(namedKids(spawn.node)[0] ?? null);
    if (call?.type === 'call_expression') for (const a of callArgs(call)) if (innerExpr(a)?.type === 'identifier') out.push(innerExpr(a)!);
  }
  return out;
}

/** The `sync` types whose values hold no struct of the package: a goroutine calling `wg.Done()` hands it nothing with a map. */
const SYNC_TYPES = new Set(['WaitGroup', 'Mutex', 'RWMutex', 'Once', 'Cond']);

/** True when `decl` declares its variable as a `sync` primitive: `var wg sync.WaitGroup`, `wg := &sync.WaitGroup{}`, `new(sync.WaitGroup)`. */
function syncPrimitive(decl: Node, name: string): boolean {
  let t: Node | null = null;
  if (decl.type === 'var_declaration') {
    const spec = descendants(decl, 'var_spec').find((sp) => namedKids(sp).some((n) => n.type === 'identifier' && n.text === name));
    return !!spec && syncPrimitive(spec, name);
  }
  if (decl.type === 'var_spec') {
    if (namedKids(decl).filter((n) => n.type === 'identifier').length !== 1) return false;
    t = decl.childForFieldName('type');
    if (!t) t = innerExpr(decl.childForFieldName('value')?.namedChildren[0] ?? null);
  } else if (decl.type === 'short_var_declaration') {
    const left = decl.childForFieldName('left');
    const right = decl.childForFieldName('right');
    if (left?.namedChildCount !== 1 || right?.namedChildCount !== 1) return false;
    t = innerExpr(right.namedChildren[0] ?? null);
  }
  while (t) {
    if (t.type === 'pointer_type') t = t.namedChildren[0] ?? null;
    else if (t.type === 'unary_expression' && t.childForFieldName('operator')?.text === '&') t = innerExpr(t.childForFieldName('operand'));
    else if (t.type === 'composite_literal') t = t.childForFieldName('type');
    else if (t.type === 'call_expression' && t.childForFieldName('function')?.text === 'new') t = callArgs(t)[0] ?? null;
    else break;
  }
  if (t?.type === 'qualified_type') return t.childForFieldName('package')?.text === 'sync' && SYNC_TYPES.has(t.childForFieldName('name')?.text ?? '');
  if (t?.type === 'selector_expression') return t.childForFieldName('operand')?.text === 'sync' && SYNC_TYPES.has(t.childForFieldName('field')?.text ?? '');
  return false;
}

/** Memo of `shareOf`, per spawn and handed variable (a spawn's entry is asked about once per use of a map). */
const shareMemo = new WeakMap<Spawn, Map<Node, Share>>();

/** How a variable handed to a goroutine is shared with other code (asked once the goroutine model is complete). */
function shareOf(index: PackageIndex, g: Goroutines, spawn: Spawn, v: Node): Share {
  let memo = shareMemo.get(spawn);
  if (!memo) {
    memo = new Map();
    shareMemo.set(spawn, memo);
  }
  let share = memo.get(v);
  if (share === undefined) {
    share = findShare(index, g, spawn, v);
    memo.set(v, share);
  }
  return share;
}

function findShare(index: PackageIndex, g: Goroutines, spawn: Spawn, v: Node): Share {
  const decl = declarationOf(v);
  if (!decl) return index.topNames.has(v.text) && !index.funcs.has(v.text) ? 'shared' : 'none';
  if (syncPrimitive(decl, v.text)) return 'none';
  const fn = enclosingFunction(spawn.node);
  // Declared outside a loop that starts the goroutine (a parameter or receiver too): every
  // goroutine of the loop holds the same value.
  for (let p = spawn.node.parent; p && fn && !p.equals(fn); p = p.parent) {
    if (p.type === 'for_statement' && !within(decl, p)) return 'many';
  }
  if (FUNCTION_TYPES.has(decl.type) && !ownedParam(index, g, spawn, decl, v.text)) return 'shared';
  if (!fn) return 'none';
  let join: number | undefined | null = null;
  const params = FUNCTION_TYPES.has(decl.type) ? decl.childForFieldName('parameters') : null;
  for (const id of descendants(fn, 'identifier')) {
    if (id.text !== v.text || within(id, spawn.node) || within(id, decl) && isDeclaring(id, decl) || params && within(id, params)) continue;
    if (!declarationOf(id)?.equals(decl)) continue;
    // A use before the goroutine starts, or after the function waits for it, is ordered apart.
    if (!inLiteral(id, fn)) {
      if (id.endIndex <= spawn.node.startIndex && fieldAccess(id)) continue;
      if (join === null) join = joinAfter(spawn, fn);
      if (join !== undefined && id.startIndex >= join) continue;
    }
    return 'shared';
  }
  return 'none';
}

/** True for `x` of `x.f` that is not called (`x.m()` may hand x on): the value itself stays put. */
function fieldAccess(id: Node): boolean {
  const sel = id.parent;
  if (sel?.type !== 'selector_expression' || !sel.childForFieldName('operand')?.equals(id)) return false;
  let e: Node = sel;
  while (e.parent?.type === 'parenthesized_expression') e = e.parent;
  return !(e.parent?.type === 'call_expression' && e.parent.childForFieldName('function')?.equals(e));
}

/** True when `id` sits in a function literal inside `fn` (which may run at any time). */
function inLiteral(id: Node, fn: Node): boolean {
  for (let p = id.parent; p && !p.equals(fn); p = p.parent) if (p.type === 'func_literal') return true;
  return false;
}

/**
 * Where the function starting a goroutine waits for it: the first statement after the spawn, in
 * its block or one around it, that is `wg.Wait()` on a WaitGroup the goroutine calls `wg.Done()`
 * on (or `g.Wait()` for `g.Go(f)`). Undefined when there is none, or when a loop around the spawn
 * is left first (the goroutines of later passes are not waited for there).
 */
function joinAfter(spawn: Spawn, fn: Node): number | undefined {
  const done = new Set<string>();
  if (spawn.arg?.type === 'func_literal') {
    for (const call of descendants(spawn.arg, 'call_expression')) {
      const f = innerExpr(call.childForFieldName('function'));
      if (f?.type === 'selector_expression' && f.childForFieldName('field')?.text === 'Done' && callArgs(call).length === 0) done.add(f.childForFieldName('operand')?.text ?? '');
    }
  }
  if (spawn.node.type === 'call_expression') {
    const f = innerExpr(spawn.node.childForFieldName('function'));
    if (f?.type === 'selector_expression') done.add(f.childForFieldName('operand')?.text ?? '');
  }
  done.delete('');
  if (done.size === 0) return undefined;
  for (let p: Node = spawn.node; p.parent && !p.equals(fn); p = p.parent) {
    if (p.type === 'for_statement' || p.type === 'func_literal') return undefined;
    const list = p.parent;
    if (list.type !== 'block' && list.type !== 'statement_list') continue;
    for (let sib = p.nextSibling; sib; sib = sib.nextSibling) {
      const call = sib.type === 'expression_statement' ? innerExpr(sib.namedChildren[0] ?? null) : null;
      const f = call?.type === 'call_expression' ? innerExpr(call.childForFieldName('function')) : null;
      if (f?.type === 'selector_expression' && f.childForFieldName('field')?.text === 'Wait' && done.has(f.childForFieldName('operand')?.text ?? '')) return sib.endIndex;
    }
  }
  return undefined;
}

/**
 * True when `name` is a parameter of `fn`, the function declaration starting the goroutine, that
 * every caller hands a value of its own: `runSTM(mkSTM(c, opts), apply)`, where `mkSTM` builds a
 * new value each call. Nobody else then holds the value (its uses in `fn` are checked apart). Only
 * for an unexported function called directly: any other may be called by code that keeps what it
 * passes.
 */
function ownedParam(index: PackageIndex, g: Goroutines, spawn: Spawn, fn: Node, name: string): boolean {
  if (fn.type !== 'function_declaration' || isExported(fn.childForFieldName('name')?.text ?? '')) return false;
  let at = -1;
  let i = 0;
  for (const p of namedKids(fn.childForFieldName('parameters'))) {
    if (p.type !== 'parameter_declaration') return false; // variadic
    const names = p.childrenForFieldName('name');
    for (const n of names.length > 0 ? names : [p]) {
      if (n.text === name && names.length > 0) at = i;
      i++;
    }
  }
  const f = funcOf(index, spawn.file, fn);
  const calls = g.callers.get(f.key) ?? [];
  if (at < 0 || g.valueRefs.has(f.key) || calls.length === 0) return false;
  return calls.every((c) => c.targets.length === 1 && fresh(index, callArgs(c.call)[at] ?? null, 0));
}

/** True when `e` is a value nobody else holds: `T{…}`, `&T{…}`, `new(T)`, `make(…)`, or a call of a package function returning one. */
function fresh(index: PackageIndex, expr: Node | null, depth: number): boolean {
  let e = innerExpr(expr);
  if (e?.type === 'unary_expression' && e.childForFieldName('operator')?.text === '&') e = innerExpr(e.childForFieldName('operand'));
  if (!e) return false;
  if (e.type === 'composite_literal') return true;
  if (e.type !== 'call_expression' || depth > 2) return false;
  const callee = innerExpr(e.childForFieldName('function'));
  if (callee?.type === 'identifier' && (callee.text === 'new' || callee.text === 'make') && !declarationOf(callee) && !index.topNames.has(callee.text)) return true;
  const file = index.pkg.files.find((x) => x.root.tree === e!.tree);
  if (!file) return false;
  const t = resolveCallee(index, file, e.childForFieldName('function'));
  if (t.unknown || t.external || t.funcs.length !== 1 || t.funcs[0].node.type === 'func_literal') return false;
  return freshResult(index, t.funcs[0], depth + 1);
}

/**
 * True when function `f` has one result and every `return` of it gives a fresh value: a fresh
 * expression, or a local initialised with one that the function otherwise only reads fields of
 * or sets fields on.
 */
function freshResult(index: PackageIndex, f: Func, depth: number): boolean {
  const result = f.node.childForFieldName('result');
  if (!result || (result.type === 'parameter_list' && namedKids(result).length !== 1)) return false;
  const body = f.node.childForFieldName('body');
  const returns = body ? descendants(body, 'return_statement').filter((r) => enclosingFunction(r)?.equals(f.node)) : [];
  if (returns.length === 0) return false;
  return returns.every((r) => {
    const values = namedKids(namedKids(r)[0]?.type === 'expression_list' ? namedKids(r)[0] : r);
    if (values.length !== 1) return false;
    const v = innerExpr(values[0]);
    if (v?.type !== 'identifier') return fresh(index, v, depth);
    const decl = declarationOf(v);
    if (decl?.type !== 'short_var_declaration' || namedKids(decl.childForFieldName('left')).length !== 1) return false;
    if (!fresh(index, namedKids(decl.childForFieldName('right'))[0] ?? null, depth)) return false;
    // Every other use of the local reads or sets a field of it: the value stays with the function.
    return descendants(f.node, 'identifier').every((id) => id.text !== v.text || id.equals(v) || within(id, decl) || !declarationOf(id)?.equals(decl) || fieldAccess(id));
  });
}

/** True when `id` is the name a declaration introduces (not a use). */
function isDeclaring(id: Node, decl: Node): boolean {
  const left = decl.childForFieldName('left') ?? null;
  if (left && within(id, left)) return true;
  return decl.type === 'var_spec' && !!namedKids(decl).find((n) => n.equals(id));
}

/** How the values an entry works on are shared: per spawn site, the most shared. */
export function entryShare(index: PackageIndex, g: Goroutines, entry: Entry): Share {
  if (entry.handler) return 'many';
  if (entry.share) return entry.share;
  let out: Share = 'none';
  for (const s of entry.spawns) for (const v of handed(s)) out = max(out, shareOf(index, g, s, v));
  return out;
}

/** True when `ident`, used in function `f`, names a value `f` was handed: its receiver, a parameter, or a capture. */
export function boundIn(f: Func, ident: Node, entry: boolean): boolean {
  const decl = declarationOf(ident);
  if (f.node.type === 'func_literal') return !decl || decl.equals(f.node) || decl.startIndex < f.node.startIndex || decl.endIndex > f.node.endIndex;
  if (!decl || !decl.equals(f.node)) return false;
  return entry || ident.text === f.recvName;
}

/**
 * True when `b` is a handler's `http.ResponseWriter` or `*http.Request` parameter: a server hands
 * each request its own, so what a handler does through them is not shared across requests.
 */
function perRequest(f: Func, b: Node): boolean {
  for (const p of namedKids(f.node.childForFieldName('parameters'))) {
    if (!namedKids(p).some((n) => n.type === 'identifier' && n.text === b.text)) continue;
    const t = p.childForFieldName('type')?.text.replace(/\s+/g, '') ?? '';
    return /(?:^|\.)ResponseWriter$/.test(t) || /^\*(?:\w+\.)?Request$/.test(t);
  }
  return false;
}

/**
 * Functions a goroutine entry reaches on the same struct values it was handed: calls `b.m()` on
 * its receiver, parameters or captured variables, then on the receivers of the methods reached.
 * A struct field is shared by goroutines only through such values; one a goroutine builds itself
 * is its own.
 */
export function instanceReach(index: PackageIndex, g: Goroutines, entry: Func): Set<string> {
  const memo = g.instance.get(entry.key);
  if (memo) return memo;
  const out = new Set<string>([entry.key]);
  g.instance.set(entry.key, out);
  const queue: Func[] = [entry];
  const handler = !!g.entries.get(entry.key)?.handler;
  while (queue.length > 0) {
    const f = queue.pop()!;
    // `b.m()`, or `b.store.m()`: a value held by one the goroutine was handed is shared as widely.
    for (const rc of receiverCalls(index, g, f)) {
      const b = rc.root;
      if (!boundIn(f, b, f === entry)) continue;
      if (f === entry && handler && perRequest(f, b)) continue;
      for (const t of targetsOf(index, f, rc)) {
        if (out.has(t.key)) continue;
        out.add(t.key);
        queue.push(t);
      }
    }
  }
  return out;
}

/**
 * True for `x.m = make(map…)` or `x.m = map…{…}`: the map is created, not used. A goroutine that
 * writes the map needs it made first (a write to a nil map panics), so creation in the ordinary
 * context (a constructor, `Init`, setup before the goroutine starts) happens before the goroutine
 * and is no second context of the map.
 */
export function createsMap(s: Site): boolean {
  if (s.kind !== 'write' || s.index) return false;
  const e = outerExprOf(s.expr);
  const list = e.parent;
  const stmt = list?.parent;
  if (list?.type !== 'expression_list' || stmt?.type !== 'assignment_statement' || stmt.childForFieldName('operator')?.text !== '=') return false;
  if (!stmt.childForFieldName('left')?.equals(list)) return false;
  const i = namedKids(list).findIndex((n) => n.equals(e));
  const v = innerExpr(namedKids(stmt.childForFieldName('right'))[i] ?? null);
  if (v?.type === 'composite_literal') return true;
  return v?.type === 'call_expression' && v.childForFieldName('function')?.text === 'make';
}

function outerExprOf(n: Node): Node {
  let e = n;
  while (e.parent?.type === 'parenthesized_expression') e = e.parent;
  return e;
}

/**
 * How widely the struct value a use works on is shared, when the goroutine is a literal started
 * on several captured values: the share of the captured variables through which the goroutine
 * reaches the use (`go func(){ bridge.process(); _ = h.Timeout }()` in a loop over bridges shares
 * h, not bridge), rather than the most shared of all of them. Other entries: `entryShare`.
 */
export function useShare(index: PackageIndex, g: Goroutines, entry: Entry, owner: Func, root: Node): Share {
  let memo = useMemo.get(entry);
  if (!memo) {
    memo = { whole: entryShare(index, g, entry) };
    useMemo.set(entry, memo);
  }
  const whole = memo.whole;
  if (entry.handler || entry.func.node.type !== 'func_literal' || whole === 'none') return whole;
  const names = owner.key === entry.func.key ? new Set([root.text]) : (memo.roots ??= rootsReaching(index, g, entry.func)).get(owner.key);
  if (!names || names.size === 0) return whole;
  let out: Share = 'none';
  for (const s of entry.spawns) for (const v of handed(s)) if (names.has(v.text)) out = max(out, shareOf(index, g, s, v));
  return out;
}

/** Per entry: its share, and what `rootsReaching` found. */
const useMemo = new WeakMap<Entry, { whole: Share; roots?: Map<string, Set<string>> }>();

/** For each function a literal entry reaches on values it captured, the names of those captures. */
function rootsReaching(index: PackageIndex, g: Goroutines, entry: Func): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const queue: [Func, string][] = [];
  const add = (f: Func, root: string): void => {
    const set = out.get(f.key) ?? new Set();
    if (set.has(root)) return;
    set.add(root);
    out.set(f.key, set);
    queue.push([f, root]);
  };
  // In the entry each call names its own capture; further on, the capture that reached the caller.
  const visit = (f: Func, root: string | undefined): void => {
    for (const rc of receiverCalls(index, g, f)) {
      const b = rc.root;
      if (!boundIn(f, b, root === undefined)) continue;
      for (const t of targetsOf(index, f, rc)) add(t, root ?? b.text);
    }
  };
  visit(entry, undefined);
  while (queue.length > 0) {
    const [f, root] = queue.pop()!;
    visit(f, root);
  }
  return out;
}
