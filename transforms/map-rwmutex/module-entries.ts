/**
 * Goroutines of other packages of the module that run the package's code: a `main` that starts
 * one goroutine per plugin calling `p.Gather()`, a server whose handlers call
 * `s.store.RecordWin(name)` on an interface whose implementation lives in the package. Each such
 * goroutine start becomes one entry of the package, reaching the package's functions its call
 * graph reaches (directly, through other packages of the module, or through interface calls to
 * the package's types).
 *
 * Bounded: the module's import index is read once per process (src/go/module.ts), only the
 * packages that import this one and whose text shows a goroutine start are loaded, at most
 * MAX_IMPORTERS of them, and each start's call graph is walked over at most MAX_VISITS functions.
 * A call into the package made while the caller holds a lock of its own (`mu.Lock()` earlier in
 * the same function, not yet unlocked) is no entry: the caller serialises it.
 */
import { calleesOfValue, implementations } from '../../src/go/calls.js';
import type { Callee } from '../../src/go/calls.js';
import { newModel } from '../../src/go/model.js';
import type { Model } from '../../src/go/model.js';
import { receiverBase } from '../../src/go/decls.js';
import { STD_FUNCS } from '../../src/go/stdlib.js';
import { field, kids, unparen } from '../../src/go/syntax.js';
import { underlying } from '../../src/go/types.js';
import type { SyntaxNode } from '../../src/mirror.js';
import type { Entry, Goroutines } from './goroutines.js';
import type { Func, PackageIndex } from './model.js';
import { instanceReach } from './sharing.js';
import { SPAWNERS } from './spawns.js';

/** Importing packages loaded for one package at most: a package imported more widely is a utility whose importers are left out. */
const MAX_IMPORTERS = 24;
/** Functions of the module walked from one goroutine start at most. */
const MAX_VISITS = 300;

/** Spawner names: the facts table's spawners and handler registrations, and the ones map-rwmutex knows by name. */
function spawnerNames(): string[] {
  const names = new Set(Object.keys(SPAWNERS));
  for (const [key, fact] of Object.entries(STD_FUNCS)) {
    if (fact.spawns === undefined && fact.handler === undefined) continue;
    names.add(key.slice(key.lastIndexOf('.') + 1));
  }
  return [...names].sort();
}

let hint: RegExp | undefined;

/** Text that may start a goroutine: a `go` statement, a spawner call, a handler method or a gRPC registration. */
export function spawnHint(): RegExp {
  return (hint ??= new RegExp(`\\bgo\\s+[\\w(]|[.\\s](?:${spawnerNames().join('|')})\\s*\\(|\\bServeHTTP\\s*\\(|\\bRegister\\w*Server\\s*\\(`));
}

/** The packages of the module that import the package and may start goroutines (none past MAX_IMPORTERS). */
export function importersOf(model: Model): string[] {
  const view = model.module;
  if (!view || !model.path || view.path === 'std') return [];
  if (model.pkg.name === 'main') return [];
  const list = view.importers(model.path, spawnHint());
  return list.length > MAX_IMPORTERS ? [] : list;
}

/**
 * True when another package of the module may run this one's code on goroutines of its own: the
 * text gate's answer for a package with no goroutine start of its own (`dir` is its directory).
 */
export function moduleMayEnter(dir: string | undefined): boolean {
  if (!dir) return false;
  const view = newModel({ dir, name: '', files: [] }).module;
  const path = view?.importPathOf(dir);
  if (!view || !path || view.path === 'std') return false;
  const n = view.importers(path, spawnHint()).length;
  return n > 0 && n <= MAX_IMPORTERS;
}

/** One goroutine start of another package: where, and how widely its work is shared. */
interface Start {
  model: Model;
  site: SyntaxNode;
  fn: SyntaxNode;
  callees: Callee[];
  handler: boolean;
}

/** The goroutine starts of a package: the model's, spawners known by name, and ServeHTTP methods. */
function startsOf(m: Model): Start[] {
  const out: Start[] = [];
  for (const file of m.pkg.files) {
    const root = m.rootOf(file);
    const seen = new Set<SyntaxNode>();
    for (const s of m.goroutineStarts(root)) {
      seen.add(s.site);
      out.push({ model: m, site: s.site, fn: s.fn, callees: s.callees, handler: s.how === 'handler' });
    }
    // Spawners the facts table does not list (`pool.Submit(f)`), by name as map-rwmutex reads its own package.
    for (const call of root.descendantsOfType('call_expression')) {
      if (seen.has(call)) continue;
      const fn = unparen(field(call, 'function') ?? call);
      if (fn.type !== 'selector_expression') continue;
      const name = field(fn, 'field')?.text ?? '';
      if (!(name in SPAWNERS)) continue;
      const args = kids(field(call, 'arguments') ?? call);
      const arg = args[SPAWNERS[name] < 0 ? args.length - 1 : SPAWNERS[name]];
      if (!arg) continue;
      const a = unparen(arg);
      if (a.type !== 'func_literal' && a.type !== 'selector_expression' && a.type !== 'identifier') continue;
      let callees: Callee[];
      try {
        callees = m.isType(a) ? [] : calleesOfValue(m, a);
      } catch {
        continue;
      }
      out.push({ model: m, site: call, fn: a, callees, handler: name === 'HandleFunc' || name === 'HandlerFunc' });
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

/** True when `call` runs while its function holds a lock it took earlier (`x.Lock()` with no `x.Unlock()` between). */
function underLock(call: SyntaxNode): boolean {
  let fn: SyntaxNode | null = call.parent;
  while (fn && fn.type !== 'function_declaration' && fn.type !== 'method_declaration' && fn.type !== 'func_literal') fn = fn.parent;
  if (!fn) return false;
  const text = fn.text.slice(0, call.startIndex - fn.startIndex);
  let locked = false;
  for (const m of text.matchAll(/(defer\s+)?[\w.\]\)]+\.(R?Lock|R?Unlock)\(\)/g)) {
    if (m[1]) continue;
    locked = m[2] === 'Lock' || m[2] === 'RLock';
  }
  return locked;
}

/** The functions of the package (by the pass's index) that a callee in the module view's model of it names. */
function packageFuncs(index: PackageIndex, c: Callee): Func[] {
  if (!c.decl || !c.obj) return [];
  const recv = c.decl.type === 'method_declaration' ? receiverBase(c.decl) ?? '' : '';
  if (c.decl.type === 'func_literal') return [];
  return index.decls.filter((f) => !f.file.isTest && f.name === c.obj!.name && f.recvType === recv && f.isMethod === (c.decl!.type === 'method_declaration'));
}

/** The selector of an interface method call, with the interface type, or undefined. */
function interfaceCall(m: Model, call: SyntaxNode): { type: ReturnType<Model['typeOf']>; name: string } | undefined {
  const fn = unparen(field(call, 'function') ?? call);
  if (fn.type !== 'selector_expression') return undefined;
  const op = field(fn, 'operand');
  if (!op) return undefined;
  const t = m.typeOf(op);
  if (underlying(t).kind !== 'interface') return undefined;
  return { type: t, name: field(fn, 'field')?.text ?? '' };
}

/**
 * The package's functions one start's goroutine reaches, walking calls through the module (not
 * into the package itself: its own analysis follows calls from there).
 */
function reached(index: PackageIndex, target: Model, start: Start): Func[] {
  const view = target.module!;
  const out = new Set<Func>();
  const path = index.model.path;
  const visited = new Set<SyntaxNode>();
  const queue: { model: Model; decl: SyntaxNode }[] = [];
  const take = (c: Callee, at: SyntaxNode | undefined): void => {
    if (!c.decl || !c.model) return;
    if (c.model.path === path) {
      if (at && underLock(at)) return;
      for (const f of packageFuncs(index, c)) out.add(f);
      return;
    }
    if (c.model.module !== view || !c.model.path || visited.has(c.decl) || visited.size >= MAX_VISITS) return;
    visited.add(c.decl);
    queue.push({ model: c.model, decl: c.decl });
  };
  for (const c of start.callees) take(c, undefined);
  while (queue.length > 0) {
    const { model, decl } = queue.shift()!;
    for (const call of decl.descendantsOfType('call_expression')) {
      let callees: Callee[];
      try {
        callees = model.callees(call);
        const iface = interfaceCall(model, call);
        if (iface) callees = [...callees, ...implementations(target, iface.type, iface.name).filter((c) => c.decl)];
      } catch {
        continue;
      }
      for (const c of callees) take(c, call);
    }
  }
  return [...out];
}

/** True when `node` sits in a loop of its own function. */
function inLoop(node: SyntaxNode): SyntaxNode | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_declaration' || p.type === 'method_declaration' || p.type === 'func_literal') return undefined;
    if (p.type === 'for_statement') return p;
  }
  return undefined;
}

/**
 * How widely a start shares the values it works on: per request for a handler; in a loop, 'none'
 * when every variable it is handed (receiver, arguments, captures used as `v.x`) is declared in
 * the loop (each goroutine has its own), else 'many'; otherwise 'shared'.
 */
function shareOf(start: Start): 'none' | 'shared' | 'many' {
  if (start.handler) return 'many';
  const loop = inLoop(start.site);
  if (!loop) return 'shared';
  const m = start.model;
  const handed: SyntaxNode[] = [];
  const fn = unparen(start.fn);
  const rootOf = (e: SyntaxNode | undefined): SyntaxNode | undefined => {
    let x = e && unparen(e);
    while (x?.type === 'selector_expression') x = unparen(field(x, 'operand') ?? x);
    return x?.type === 'identifier' ? x : undefined;
  };
  if (fn.type === 'func_literal') {
    for (const sel of fn.descendantsOfType('selector_expression')) {
      const r = rootOf(sel);
      const o = r && m.objectOf(r);
      if (r && o?.ident && (o.ident.startIndex < fn.startIndex || o.ident.startIndex >= fn.endIndex) && o.kind === 'var') handed.push(o.ident);
    }
  } else {
    const r = rootOf(fn);
    const o = r && m.objectOf(r);
    if (o?.ident && o.kind === 'var') handed.push(o.ident);
  }
  const call = start.site.type === 'go_statement' ? kids(start.site)[0] : undefined;
  for (const a of call?.type === 'call_expression' ? kids(field(call, 'arguments') ?? call) : []) {
    const r = rootOf(a);
    const o = r && m.objectOf(r);
    if (o?.ident && o.kind === 'var') handed.push(o.ident);
  }
  return handed.every((d) => d.startIndex >= loop.startIndex && d.endIndex <= loop.endIndex) ? 'none' : 'many';
}

/**
 * Adds the entries of other packages' goroutines to the package's goroutine model: one per start
 * whose call graph reaches the package, running what those calls reach.
 */
export function addModuleEntries(index: PackageIndex, g: Goroutines): void {
  const model = index.model;
  if (index.pkg.files.some((f) => f.hasError)) return;
  const importers = importersOf(model);
  if (importers.length === 0) return;
  // The package as the module view loads it (non-test files): interface calls elsewhere resolve to its types.
  const target = model.module!.model(model.path);
  if (!target) return;
  for (const q of importers) {
    const m = model.module!.model(q);
    if (!m) continue;
    let starts: Start[];
    try {
      starts = startsOf(m);
    } catch {
      continue;
    }
    for (const s of starts) {
      let hits: Func[];
      try {
        hits = reached(index, target, s);
      } catch {
        continue;
      }
      if (hits.length === 0) continue;
      const first = hits[0];
      const key = `module:${q}:${m.fileOf(s.site)?.file.path ?? ''}#${s.site.startIndex}`;
      const func: Func = { ...first, key };
      const share = shareOf(s);
      const entry: Entry = { func, many: s.handler || !!inLoop(s.site), handler: false, spawns: [], share, external: q };
      g.entries.set(key, entry);
      for (const k of g.reachFrom(hits.map((h) => h.key))) {
        const set = g.reachedBy.get(k) ?? new Set();
        set.add(key);
        g.reachedBy.set(k, set);
      }
      const inst = new Set<string>([key]);
      for (const h of hits) for (const k of instanceReach(index, g, h)) inst.add(k);
      g.instance.set(key, inst);
    }
  }
}

/**
 * The contexts of a map's uses without 'main' when every other context is a goroutine of another
 * package: those goroutines call the package's exported functions, which is what 'main' stands
 * for, so one such goroutine beside 'main' is one goroutine, not two.
 */
export function withoutOrdinary(g: Goroutines, contexts: Set<string>): Set<string> {
  if (!contexts.has('main')) return contexts;
  const others = [...contexts].filter((k) => k !== 'main');
  if (others.length === 0 || !others.every((k) => g.entries.get(k)?.external)) return contexts;
  return new Set(others);
}
