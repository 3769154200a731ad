/**
 * The goroutine starts of a package of the module, for module-entries.ts: `go` statements,
 * spawners (the facts table's, and by name), gRPC registrations and ServeHTTP methods, each with
 * what it may run.
 */
import { calleesOfValue } from '../../src/go/calls.js';
import type { Callee } from '../../src/go/calls.js';
import type { Model } from '../../src/go/model.js';
import { field, kids, unparen } from '../../src/go/syntax.js';
import { deref, namedOf } from '../../src/go/types.js';
import type { Obj } from '../../src/go/objects.js';
import type { SyntaxNode } from '../../src/mirror.js';
import { SPAWNERS } from './spawns.js';
import { mayRegisterCollector, REGISTER } from './entries.js';
import { spawnerNames } from './gate.js';
import { spawnHint } from './module-gate.js';

/** One goroutine start of another package: where, and how widely its work is shared. */
export interface Start {
  model: Model;
  site: SyntaxNode;
  fn: SyntaxNode;
  callees: Callee[];
  handler: boolean;
}

/** The goroutine starts of a package: `go` statements, spawners (the facts table's, and by name), gRPC registrations and ServeHTTP methods. */
export function startsOf(m: Model): Start[] {
  let out = startsMemo.get(m);
  if (!out) startsMemo.set(m, (out = listStarts(m)));
  return out;
}

/** Per model (cached by the module view): its goroutine starts. */
const startsMemo = new WeakMap<Model, Start[]>();

function listStarts(m: Model): Start[] {
  const out: Start[] = [];
  const names = new Set(spawnerNames());
  for (const file of m.pkg.files) {
    // Only files whose text may start a goroutine are read (a call is resolved only when its name is a spawner's).
    if (!spawnHint().test(file.source)) continue;
    const root = m.rootOf(file);
    for (const n of root.descendantsOfType(['go_statement', 'call_expression'])) {
      try {
        if (n.type === 'go_statement') {
          const call = kids(n)[0];
          const fn = call?.type === 'call_expression' ? field(call, 'function') : undefined;
          if (fn) out.push({ model: m, site: n, fn, callees: calleesOfValue(m, fn), handler: false });
          continue;
        }
        const fn = unparen(field(n, 'function') ?? n);
        const name = fn.type === 'selector_expression' ? field(fn, 'field')?.text ?? '' : fn.text;
        if (!names.has(name)) continue;
        const args = kids(field(n, 'arguments') ?? n);
        // The facts table's spawners and handler registrations, at the position it gives.
        const std = calleesOfValue(m, fn).find((c) => c.kind === 'std' && c.fact && (c.fact.spawns !== undefined || c.fact.handler !== undefined));
        let arg: SyntaxNode | undefined;
        let handler = false;
        if (std) {
          arg = args[std.fact!.spawns ?? std.fact!.handler!];
          handler = std.fact!.spawns === undefined;
        } else if (fn.type === 'selector_expression' && name in SPAWNERS) {
          // Spawners the facts table does not list (`pool.Submit(f)`), by name as map-rwmutex reads its own package.
          arg = args[SPAWNERS[name] < 0 ? args.length - 1 : SPAWNERS[name]];
          handler = name === 'HandleFunc' || name === 'HandlerFunc';
        }
        const a = arg && unparen(arg);
        if (!a || (a.type !== 'func_literal' && a.type !== 'selector_expression' && a.type !== 'identifier') || m.isType(a)) continue;
        out.push({ model: m, site: n, fn: a, callees: calleesOfValue(m, a), handler });
      } catch {
        continue;
      }
    }
  }
  for (const file of m.pkg.files) {
    const grpc = /\bRegister\w*Server\s*\(/.test(file.source);
    // A Prometheus collector registered here: its Collect runs once per scrape, concurrently.
    const collectors = mayRegisterCollector(file.source);
    if (!grpc && !collectors) continue;
    for (const call of m.rootOf(file).descendantsOfType('call_expression')) {
      const fn = unparen(field(call, 'function') ?? call);
      const name = fn.type === 'selector_expression' ? field(fn, 'field')?.text : fn.text;
      const args = kids(field(call, 'arguments') ?? call);
      let methods: { obj: Obj; decl: SyntaxNode; model: Model }[] = [];
      if (grpc && name && REGISTER.test(name) && args.length >= 2) methods = registeredMethods(m, args[args.length - 1]);
      else if (collectors && (name === 'MustRegister' || name === 'Register')) methods = args.flatMap((a) => registeredMethods(m, a).filter((x) => x.obj.name === 'Collect'));
      for (const meth of methods) {
        out.push({ model: meth.model, site: call, fn: meth.decl, callees: [{ kind: 'method', obj: meth.obj, decl: meth.decl, model: meth.model }], handler: true });
      }
    }
  }
  for (const t of m.namedTypes()) {
    for (const meth of m.methodsOf(t as never)) {
      if (meth.name !== 'ServeHTTP' || !meth.decl) continue;
      out.push({ model: m, site: meth.decl, fn: meth.decl, callees: [{ kind: 'method', obj: meth, decl: meth.decl, model: m }], handler: true });
    }
  }
  return out;
}

/** The exported methods of a registered service implementation's type, with the model declaring them. */
function registeredMethods(m: Model, arg: SyntaxNode): { obj: Obj; decl: SyntaxNode; model: Model }[] {
  const n = namedOf(deref(m.typeOf(arg)));
  if (!n) return [];
  const owner = !n.pkg || n.pkg === m.path ? m : m.module?.model(n.pkg);
  if (!owner) return [];
  return owner
    .methodsOf(n.name)
    .filter((o) => o.decl && /^\p{Lu}/u.test(o.name))
    .map((o) => ({ obj: o, decl: o.decl!, model: owner }));
}

