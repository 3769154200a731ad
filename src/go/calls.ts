/**
 * What a call may run: `callees(call)` answers with the functions and methods of the package (or
 * of the module, through the module view) a call reaches: static calls, methods by the receiver's
 * type, interface calls to every implementation among the package's types, function values bound
 * once to a known function, function literals; standard-library calls by their facts-table key.
 * Anything else is an `unknown` callee, so a transform can tell "calls nothing of interest" from
 * "cannot tell". `goroutineStarts(root)` lists where goroutines start and what they run.
 */
import type { SyntaxNode } from '../mirror.js';
import type { Model } from './model.js';
import type { Obj } from './objects.js';
import { STD_FUNCS } from './stdlib.js';
import type { StdFunc } from './stdlib.js';
import { exprList, field, kids, unparen } from './syntax.js';
import { hasUnknown, namedOf, typeString, underlying } from './types.js';
import type { Type } from './types.js';

export interface Callee {
  kind: 'func' | 'method' | 'interface' | 'literal' | 'builtin' | 'std' | 'unknown';
  /** The function or method object (in `model`, which may be another package's). */
  obj?: Obj;
  /** The declaration or literal to analyse: function_declaration, method_declaration, func_literal. */
  decl?: SyntaxNode;
  /** The model that declares `decl` (another package's for calls across the module). */
  model?: Model;
  /** For standard-library calls, the facts-table key and its facts (when listed). */
  std?: string;
  fact?: StdFunc;
  /** Why the callee is unknown. */
  why?: string;
}

function objCallee(model: Model, o: Obj, kind: Callee['kind']): Callee {
  return { kind, obj: o, decl: o.decl, model };
}

/** The function a never-reassigned local or package variable is bound to, if a known one. */
function boundFunction(model: Model, o: Obj): SyntaxNode | undefined {
  if (o.kind !== 'var' || !o.decl || o.param) return undefined;
  let value: SyntaxNode | undefined;
  if (o.decl.type === 'short_var_declaration') value = exprList(field(o.decl, 'right'))[o.index];
  else if (o.decl.type === 'var_spec') value = exprList(field(o.decl, 'value'))[o.index];
  if (!value) return undefined;
  for (const u of model.usesOf(o)) {
    const p = u.parent;
    const target = p?.type === 'expression_list' ? p.parent : p;
    if ((target?.type === 'assignment_statement' && p?.type === 'expression_list' && field(target, 'left') === p) || p?.type === 'unary_expression') return undefined;
  }
  return unparen(value);
}

/** The callees of a function-valued expression (the callee position of a call, or a `go` target). */
export function calleesOfValue(model: Model, fnExpr: SyntaxNode, depth = 0): Callee[] {
  let f = unparen(fnExpr);
  if (f.type === 'index_expression' || f.type === 'generic_type') f = field(f, f.type === 'index_expression' ? 'operand' : 'type') ?? f; // F[T]
  if (f.type === 'func_literal') return [{ kind: 'literal', decl: f, model }];
  if (f.type === 'identifier') {
    const o = model.objectOf(f);
    if (!o) return [{ kind: 'unknown', why: `unresolved ${f.text}` }];
    if (o.kind === 'builtin') return [{ kind: 'builtin', obj: o }];
    if (o.kind === 'func') return [objCallee(model, o, 'func')];
    const bound = depth < 3 ? boundFunction(model, o) : undefined;
    if (bound) return calleesOfValue(model, bound, depth + 1);
    return [{ kind: 'unknown', why: `function value ${f.text}` }];
  }
  if (f.type !== 'selector_expression') return [{ kind: 'unknown', why: `callee ${f.type}` }];
  const op = field(f, 'operand');
  const name = field(f, 'field')?.text ?? '';
  const uop = op && unparen(op);
  const po = uop?.type === 'identifier' ? model.objectOf(uop) : undefined;
  if (po?.kind === 'pkgname') {
    const other = model.externalObject(po.pkg!, name);
    if (other?.obj.kind === 'func') return [objCallee(other.model, other.obj, 'func')];
    const key = `${po.pkg}.${name}`;
    return [{ kind: 'std', std: key, fact: STD_FUNCS[key] }];
  }
  if (!op) return [{ kind: 'unknown', why: 'selector' }];
  const recvType = model.isType(op) ? model.typeFromSyntax(op) : model.typeOf(op);
  const sel = model.selection(recvType, name);
  if (!sel || sel.kind !== 'method') return sel?.kind === 'field' ? [{ kind: 'unknown', why: `function-valued field ${name}` }] : [{ kind: 'unknown', why: `method ${name} of ${recvType.kind}` }];
  if (sel.std) return [{ kind: 'std', std: sel.std, fact: STD_FUNCS[sel.std] }];
  if (sel.method) return [objCallee(ownerModel(model, sel.owner?.pkg) ?? model, sel.method, 'method')];
  // An interface method: every type of the package that implements the interface.
  const iface = sel.path.length ? sel.path[sel.path.length - 1].type : recvType;
  return implementations(model, iface, name);
}

function ownerModel(model: Model, pkg: string | undefined): Model | undefined {
  if (pkg === undefined || pkg === model.path || pkg === '') return model;
  return model.module?.model(pkg);
}

/**
 * Per model, the answers of `implementations` by interface (its spelling) and method name: a large
 * package makes thousands of calls through a few interfaces, and each answer checks the method
 * set of every named type of the package.
 */
const implemented = new WeakMap<Model, Map<string, Callee[]>>();

/** The methods `name` of every named type of the package whose method set (value or pointer) has the interface's methods. */
export function implementations(model: Model, iface: Type, name: string): Callee[] {
  let memo = implemented.get(model);
  if (!memo) {
    memo = new Map();
    implemented.set(model, memo);
  }
  const key = `${typeString(iface)}\0${name}`;
  const known = memo.get(key);
  if (known) return known;
  const out: Callee[] = [];
  for (const t of model.namedTypes()) {
    if (underlying(t).kind === 'interface') continue;
    const ptr: Type = { kind: 'pointer', elem: t };
    if (!model.implements(ptr, iface)) continue;
    const m = model.selection(ptr, name);
    if (m?.method) out.push({ kind: 'interface', obj: m.method, decl: m.method.decl, model });
  }
  const result: Callee[] = out.length ? out : [{ kind: 'unknown', why: `no implementation of ${name} in the package` }];
  if (!hasUnknown(iface)) memo.set(key, result);
  return result;
}

/** See the module comment. */
export function callees(model: Model, call: SyntaxNode): Callee[] {
  const fn = field(call, 'function');
  if (!fn) return [{ kind: 'unknown', why: 'call' }];
  if (model.isType(fn)) return [];
  return calleesOfValue(model, fn);
}

export interface GoroutineStart {
  /** The `go` statement or the spawning call (`wg.Go(f)`, `time.AfterFunc(d, f)`, `http.HandleFunc(p, h)`). */
  site: SyntaxNode;
  /** The function value run on the new goroutine (the call's function for `go f(x)`). */
  fn: SyntaxNode;
  /** How: a `go` statement, a spawner from the facts table, or a handler registration. */
  how: 'go' | 'spawn' | 'handler';
  /** What it runs, when known. */
  callees: Callee[];
}

/** Where goroutines start under `root`: `go` statements and calls the facts table says spawn or register handlers. */
export function goroutineStarts(model: Model, root: SyntaxNode): GoroutineStart[] {
  const out: GoroutineStart[] = [];
  for (const n of root.descendantsOfType(['go_statement', 'call_expression'])) {
    if (n.type === 'go_statement') {
      const call = kids(n)[0];
      const fn = call?.type === 'call_expression' ? field(call, 'function') : undefined;
      if (fn) out.push({ site: n, fn, how: 'go', callees: calleesOfValue(model, fn) });
      continue;
    }
    const fn = field(n, 'function');
    if (!fn) continue;
    const std = calleesOfValue(model, fn).find((c) => c.kind === 'std' && c.fact && (c.fact.spawns !== undefined || c.fact.handler !== undefined));
    if (!std) continue;
    const pos = std.fact!.spawns ?? std.fact!.handler!;
    const arg = kids(field(n, 'arguments') ?? n)[pos];
    if (arg) out.push({ site: n, fn: arg, how: std.fact!.spawns !== undefined ? 'spawn' : 'handler', callees: model.isType(arg) ? [] : calleesOfValue(model, arg) });
  }
  return out;
}

/** Methods named ServeHTTP on the package's types: entry points run on the server's goroutines. */
export function serveHTTPMethods(model: Model): Obj[] {
  return model.namedTypes().flatMap((t) => {
    const n = namedOf(t);
    return n ? model.methodsOf(n).filter((m) => m.name === 'ServeHTTP') : [];
  });
}
