/**
 * How a goroutine start of another package of the module shares what it works on: a method
 * called on a value the goroutine made for itself reaches no shared fields, and a start in a loop
 * shares nothing when every value it is handed is declared in that loop.
 */
import type { Model } from '../../src/go/model.js';
import { enclosingFunc, field, kids, unparen } from '../../src/go/syntax.js';
import { enclosingLoop } from './spawns.js';
import type { Obj } from '../../src/go/objects.js';
import type { SyntaxNode } from '../../src/mirror.js';
import type { Start } from './module-starts.js';
import { underlying } from '../../src/go/types.js';
import { receiverBase } from '../../src/go/decls.js';

/**
 * True for `v.M(…)` where `v` is a local variable of the calling function (no parameter, receiver
 * or capture) set from a call or a composite literal, or declared with its zero value: a value the goroutine made for itself
 * (`rd := pkg.NewReader(…); rd.Read()`), whose fields no other goroutine reaches through this call.
 */
export function freshReceiver(m: Model, call: SyntaxNode): boolean {
  const fn = unparen(field(call, 'function') ?? call);
  if (fn.type !== 'selector_expression') return false;
  const op = unparen(field(fn, 'operand') ?? fn);
  if (op.type !== 'identifier') return false;
  const o = m.objectOf(op);
  if (!o || o.kind !== 'var' || o.param || o.pkgLevel || !o.decl || !o.ident) return false;
  const f = enclosingFunc(call);
  if (!f || o.ident.startIndex < f.startIndex || o.ident.endIndex > f.endIndex) return false;
  let value: SyntaxNode | undefined;
  const values = o.decl.type === 'short_var_declaration' ? kids(field(o.decl, 'right')) : o.decl.type === 'var_spec' ? kids(field(o.decl, 'value')) : [];
  // `r, err := f()`: one call gives every variable.
  value = values.length === 1 ? values[0] : values[o.index];
  // `var g T`: a zero value of its own.
  if (!value && o.decl.type === 'var_spec' && values.length === 0) return true;
  const v = value && unparen(value);
  if (!v) return false;
  if (v.type === 'call_expression' || v.type === 'composite_literal') return true;
  return v.type === 'unary_expression' && unparen(field(v, 'operand') ?? v).type === 'composite_literal';
}

/** Packages whose types hold no state of the module's own: a goroutine handed one shares nothing through it. */
const STATELESS_PACKAGES = new Set(['sync', 'sync/atomic', 'context', 'time', 'testing', 'log', 'log/slog', 'errors']);

/**
 * False for a variable whose type carries none of the module's state: a channel, a function, a
 * basic value, a `sync.WaitGroup` or `context.Context` (`wg.Done()` in every goroutine of a loop
 * does not make the values they work on shared). Unknown types carry state.
 */
function carriesState(m: Model, ident: SyntaxNode): boolean {
  let t = m.typeOf(ident);
  while (t.kind === 'pointer') t = t.elem;
  if (t.kind === 'named' && STATELESS_PACKAGES.has(t.pkg)) return false;
  const u = underlying(t);
  return u.kind !== 'chan' && u.kind !== 'func' && u.kind !== 'basic';
}

/** The identifier at the root of a selector chain (`v` of `v.f.g`, parentheses ignored), if any. */
function rootIdent(e: SyntaxNode | undefined): SyntaxNode | undefined {
  let x = e && unparen(e);
  while (x?.type === 'selector_expression') x = unparen(field(x, 'operand') ?? x);
  return x?.type === 'identifier' ? x : undefined;
}

/** The variable a method call is made on (`v` of `v.M(…)` or `v.f.M(…)`), if any. */
function callReceiver(m: Model, call: SyntaxNode): Obj | undefined {
  const fn = unparen(field(call, 'function') ?? call);
  const r = fn.type === 'selector_expression' ? rootIdent(field(fn, 'operand')) : undefined;
  const o = r && m.objectOf(r);
  return o?.kind === 'var' ? o : undefined;
}

/** True for `v.M(…)` (or `v.f.M(…)`) where `v` is a package-level variable: one value for every goroutine. */
export function packageReceiver(m: Model, call: SyntaxNode): boolean {
  return !!callReceiver(m, call)?.pkgLevel;
}

/**
 * True for `r.M(…)` or `r.f.M(…)` where `r` is the receiver of a method of `typeName` (the
 * handler's type) that the call sits in: a handler reaches the package on its own receiver, one
 * value for every request.
 */
export function receiverRooted(m: Model, call: SyntaxNode, typeName: string): boolean {
  const o = callReceiver(m, call);
  const method = o?.decl?.parent?.parent;
  return o?.param === 'receiver' && method?.type === 'method_declaration' && receiverBase(method) === typeName;
}

/**
 * How widely a start shares the values it works on: per request for a handler; in a loop, 'none'
 * when every variable it is handed (receiver, arguments, captures used as `v.x`) is declared in
 * the loop (each goroutine has its own), else 'many'; otherwise 'shared'.
 */
export function shareOf(start: Start): 'none' | 'shared' | 'many' {
  if (start.handler) return 'many';
  const loop = enclosingLoop(start.site);
  if (!loop) return 'shared';
  const m = start.model;
  const handed: SyntaxNode[] = [];
  const fn = unparen(start.fn);
  if (fn.type === 'func_literal') {
    for (const sel of fn.descendantsOfType('selector_expression')) {
      const r = rootIdent(sel);
      const o = r && m.objectOf(r);
      if (r && o?.ident && (o.ident.startIndex < fn.startIndex || o.ident.startIndex >= fn.endIndex) && o.kind === 'var' && carriesState(m, r)) handed.push(o.ident);
    }
  } else {
    const r = rootIdent(fn);
    const o = r && m.objectOf(r);
    if (o?.ident && o.kind === 'var') handed.push(o.ident);
  }
  const call = start.site.type === 'go_statement' ? kids(start.site)[0] : undefined;
  for (const a of call?.type === 'call_expression' ? kids(field(call, 'arguments') ?? call) : []) {
    const r = rootIdent(a);
    const o = r && m.objectOf(r);
    if (r && o?.ident && o.kind === 'var' && carriesState(m, r)) handed.push(o.ident);
  }
  return handed.every((d) => d.startIndex >= loop.startIndex && d.endIndex <= loop.endIndex) ? 'none' : 'many';
}

