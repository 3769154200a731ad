/**
 * Goroutines of other packages of the module that run the package's code: a `main` that starts
 * one goroutine per plugin calling `p.Gather()`, a server whose handlers call
 * `s.store.RecordWin(name)` on an interface whose implementation lives in the package. Each such
 * goroutine start becomes one entry of the package, reaching the package's functions its call
 * graph reaches (directly, through other packages of the module, or through interface calls to
 * the package's types).
 *
 * Bounded: the module's import index is read once per process (src/go/module.ts), only the
 * packages that import this one (or reach it through an interface) and whose text shows a
 * goroutine start are loaded, at most MAX_IMPORTERS of them (module-gate.ts), and each start's
 * call graph is walked over at most MAX_VISITS functions. What a call made while its caller holds
 * a lock of its own (`mu.Lock()` earlier in the same function, not yet unlocked) reaches is no
 * entry: the caller serialises it. An interface call runs only the package's types that may reach
 * an interface (module-exposed.ts); what a start reaches through a package-level variable is
 * shared by all its goroutines (an entry of its own).
 */
import { implementations } from '../../src/go/calls.js';
import type { Callee } from '../../src/go/calls.js';
import type { Model } from '../../src/go/model.js';
import { receiverBase } from '../../src/go/decls.js';
import { enclosingFunc, field, unparen } from '../../src/go/syntax.js';
import { namedOf, underlying } from '../../src/go/types.js';
import type { SyntaxNode } from '../../src/mirror.js';
import type { Entry, Goroutines } from './goroutines.js';
import type { Func, PackageIndex } from './model.js';
import type { MapCandidate } from './candidates.js';
import { instanceReach } from './sharing.js';
import { sitesFor } from './sites.js';
import { initialising } from './concurrency.js';
import { guardedBy, newGuardModel } from './guards.js';
import { freshReceiver, packageReceiver, receiverRooted, shareOf } from './module-share.js';
import { inLoop } from './spawns.js';
import { startsOf } from './module-starts.js';
import type { Start } from './module-starts.js';
import { exportedNames, importersOf } from './module-gate.js';
import { readHeader } from '../../src/source.js';
import { importPathsOf } from '../../src/go/module.js';
import { exposedType } from './module-exposed.js';

/** Functions of the module walked from one goroutine start at most. */
const MAX_VISITS = 300;
/** Functions of the module whose calls are resolved for one package's analysis at most, over all starts. */
const MAX_RESOLVED = 600;

/** True when `call` runs while its function holds a lock it took earlier (`x.Lock()` with no `x.Unlock()` between). */
function underLock(call: SyntaxNode): boolean {
  const fn = enclosingFunc(call);
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

/** The selector of a call of a method of one of the module's interfaces, with the interface type, or undefined. */
function interfaceCall(m: Model, call: SyntaxNode): { type: ReturnType<Model['typeOf']>; name: string } | undefined {
  const fn = unparen(field(call, 'function') ?? call);
  if (fn.type !== 'selector_expression') return undefined;
  const op = field(fn, 'operand');
  if (!op) return undefined;
  const t = m.typeOf(op);
  if (underlying(t).kind !== 'interface') return undefined;
  // Only the module's own interfaces: `w.Write(…)` on an io.Writer or `err.Error()` says nothing of which type runs.
  const n = namedOf(t);
  const mod = m.module?.path;
  if (!n || !mod || !(n.pkg === '' || n.pkg === m.path || n.pkg === mod || n.pkg.startsWith(`${mod}/`))) return undefined;
  return { type: t, name: field(fn, 'field')?.text ?? '' };
}

/** A call of a function of the module, with what it may run and, for an interface call, the interface. */
interface CallOut {
  call: SyntaxNode;
  callees: Callee[];
  iface?: { type: ReturnType<Model['typeOf']>; name: string };
}

/** Per model: the calls out of each of its functions, resolved once per process (models are cached by the module view). */
const callsMemo = new WeakMap<Model, Map<string, Map<SyntaxNode, CallOut[]>>>();

/** Per model: the names of the functions and methods its own files declare (text only). */
const declaredMemo = new WeakMap<Model, Set<string>>();

function declaredNames(m: Model): Set<string> {
  let out = declaredMemo.get(m);
  if (!out) {
    out = new Set();
    for (const f of m.pkg.files) for (const x of f.source.matchAll(/^func\s*(?:\([^)]*\)\s*)?([\p{L}_][\p{L}\p{N}_]*)/gmu)) out.add(x[1]);
    declaredMemo.set(m, out);
  }
  return out;
}

/** Per model: the names it declares and the exported names the module's packages it imports declare (text only). */
const callableMemo = new WeakMap<Model, Set<string>>();

/** The functions and methods a call in `m` may reach inside the module, by name: its own and its module imports'. */
function callableNames(m: Model): Set<string> {
  let out = callableMemo.get(m);
  if (!out) {
    out = new Set(declaredNames(m));
    const imports = new Set(m.pkg.files.flatMap((f) => importPathsOf(f.source)));
    for (const ip of imports) {
      const dep = m.module?.dirOf(ip) !== undefined && ip !== m.path ? m.module!.model(ip) : undefined;
      if (dep) for (const n of declaredNames(dep)) if (/^\p{Lu}/u.test(n)) out.add(n);
    }
    callableMemo.set(m, out);
  }
  return out;
}

/** The walk of one package's analysis: the package, its module-view model, and how many more functions may be resolved. */
interface Walk {
  index: PackageIndex;
  target: Model;
  budget: number;
  /** The exported names the package declares: a method call `x.Name(…)` elsewhere can only reach it by one of them. */
  exported: Set<string>;
}

function callsOut(w: Walk, model: Model, decl: SyntaxNode): CallOut[] {
  let byTarget = callsMemo.get(model);
  if (!byTarget) callsMemo.set(model, (byTarget = new Map()));
  let memo = byTarget.get(w.target.path);
  if (!memo) byTarget.set(w.target.path, (memo = new Map()));
  let out = memo.get(decl);
  if (out) return out;
  if (w.budget-- <= 0) return [];
  out = [];
  memo.set(decl, out);
  const own = callableNames(model);
  for (const call of decl.descendantsOfType('call_expression')) {
    // The walk follows calls into the module only: a selector call naming none of the functions
    // or methods of its own package, the module's packages it imports, or the package
    // (`fmt.Sprintf`, `b.String()`) is not resolved.
    const fn = unparen(field(call, 'function') ?? call);
    const name = fn.type === 'selector_expression' ? field(fn, 'field')?.text : undefined;
    if (name !== undefined && !own.has(name) && !w.exported.has(name)) continue;
    try {
      const callees = model.callees(call).filter((c) => c.decl && c.model);
      const iface = interfaceCall(model, call);
      if (callees.length > 0 || iface) out.push({ call, callees, iface });
    } catch {
      continue;
    }
  }
  return out;
}

/**
 * The package's functions one start's goroutine reaches: calls from the start's function and the
 * functions of the module it calls (its own package's, and other packages' of the module: a
 * wrapper type in a third package whose method calls the plugin through an interface), into the
 * package directly or through interface calls that the package's types implement. Calls are not
 * followed into the package itself (its own analysis follows them).
 */
function reached(w: Walk, start: Start): { hits: Func[]; shared: Set<Func>; global: Set<Func>; viaReceiver: Set<Func> } {
  const out = new Set<Func>();
  const shared = new Set<Func>();
  const global = new Set<Func>();
  const viaReceiver = new Set<Func>();
  // The handler's type, when the start runs a method (`ServeHTTP`, a registered service's methods).
  const first = start.callees[0];
  const handlerType = first?.decl?.type === 'method_declaration' && first.model ? { model: first.model, name: receiverBase(first.decl) ?? '' } : undefined;
  const path = w.index.model.path;
  const visited = new Set<SyntaxNode>();
  const queue: { model: Model; decl: SyntaxNode }[] = [];
  const take = (c: Callee, at?: { model: Model; call: SyntaxNode }): void => {
    if (!c.decl || !c.model) return;
    // What a call made under a lock of its caller reaches, the lock serialises (in any package).
    if (at && underLock(at.call)) return;
    if (c.model.path === path) {
      const own = at !== undefined && freshReceiver(at.model, at.call);
      // `executor.Execute(…)` on a package-level variable: every goroutine of the start shares it.
      const onGlobal = at !== undefined && packageReceiver(at.model, at.call);
      // A handler's `s.store.RecordWin(…)`: reached on its receiver, shared by every request.
      const onReceiver = at === undefined || (handlerType !== undefined && at.model === handlerType.model && receiverRooted(at.model, at.call, handlerType.name));
      for (const f of packageFuncs(w.index, c)) {
        out.add(f);
        if (!own) shared.add(f);
        if (onGlobal) global.add(f);
        if (onReceiver && !own) viaReceiver.add(f);
      }
      return;
    }
    if (c.model.module !== start.model.module || visited.has(c.decl) || visited.size >= MAX_VISITS) return;
    visited.add(c.decl);
    queue.push({ model: c.model, decl: c.decl });
  };
  for (const c of start.callees) take(c);
  while (queue.length > 0) {
    const { model, decl } = queue.shift()!;
    for (const { call, callees, iface } of callsOut(w, model, decl)) {
      for (const c of callees) take(c, { model, call });
      if (!iface) continue;
      for (const c of implementations(w.target, iface.type, iface.name)) {
        // Only types whose values may reach an interface at all (module-exposed.ts).
        const recv = c.decl?.type === 'method_declaration' ? receiverBase(c.decl) : undefined;
        if (recv && exposedType(w.target, recv)) take(c, { model, call });
      }
    }
  }
  return { hits: [...out], shared, global, viaReceiver };
}

/**
 * The names of the exported functions and methods from which, over the package's direct calls, a
 * write to a candidate map is reached that is no initialisation, lies in no generated file, and
 * whose map has no guard (guards.ts): only a package calling one of them can make a map shared
 * from its goroutines.
 */
function writerNames(index: PackageIndex, g: Goroutines, candidates: MapCandidate[]): Set<string> {
  const seen = new Set<string>();
  const queue: string[] = [];
  const a = { index, g, shares: new Map() };
  const gm = newGuardModel(index);
  const generated = new Map<string, boolean>();
  const isGenerated = (f: { path: string; source: string }): boolean => {
    let v = generated.get(f.path);
    if (v === undefined) generated.set(f.path, (v = readHeader(f.source).generated));
    return v;
  };
  for (const c of candidates) {
    const sites = sitesFor(index, g, c);
    const writes = sites.filter((s) => s.kind === 'write' && s.owner && !s.file.isTest && !isGenerated(s.file) && !initialising(a, s));
    if (writes.length === 0 || guardedBy(index, g, gm, c, sites)) continue;
    for (const s of writes) {
      if (!seen.has(s.owner!.key)) {
        seen.add(s.owner!.key);
        queue.push(s.owner!.key);
      }
    }
  }
  while (queue.length > 0) {
    for (const site of g.callers.get(queue.pop()!) ?? []) {
      const o = site.owner;
      if (o && !seen.has(o.key)) {
        seen.add(o.key);
        queue.push(o.key);
      }
    }
  }
  const out = new Set<string>();
  for (const f of index.decls) if (seen.has(f.key) && !f.file.isTest && /^\p{Lu}/u.test(f.name)) out.add(f.name);
  return out;
}

/**
 * Adds the entries of other packages' goroutines to the package's goroutine model: one per start
 * whose call graph reaches the package, running what those calls reach.
 */
export function addModuleEntries(index: PackageIndex, g: Goroutines, candidates: MapCandidate[]): void {
  const model = index.model;
  if (index.pkg.files.some((f) => f.hasError)) return;
  if (!model.module || !model.path) return;
  // Text first (module-gate.ts): an importer that may spawn and calls an exported name at all.
  if (importersOf(model.module, model.path, index.pkg.files, exportedNames(index.pkg.files), false).length === 0) return;
  // Then the model: only importers calling a name that reaches an unguarded candidate write are loaded.
  const importers = importersOf(model.module, model.path, index.pkg.files, writerNames(index, g, candidates));
  if (importers.length === 0) return;
  // The package as the module view loads it (non-test files): interface calls elsewhere resolve to its types.
  const target = model.module!.model(model.path);
  if (!target) return;
  const walk: Walk = { index, target, budget: MAX_RESOLVED, exported: exportedNames(index.pkg.files) };
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
      let shared: Set<Func>;
      let global: Set<Func>;
      let viaReceiver: Set<Func>;
      try {
        ({ hits, shared, global, viaReceiver } = reached(walk, s));
      } catch {
        continue;
      }
      const key = `module:${q}:${m.fileOf(s.site)?.file.path ?? ''}#${s.site.startIndex}#${s.fn.startIndex}`;
      // What the start reaches through a package-level variable is one value for all its
      // goroutines (`executor.Execute(…)`): an entry of its own, sharing it.
      // A handler's own values are shared surely only where it reaches the package on its receiver.
      const own = hits.filter((h) => !global.has(h));
      const sure = s.handler ? own.filter((h) => viaReceiver.has(h)) : [];
      const rest = own.filter((h) => !sure.includes(h));
      const share = shareOf(s);
      if (sure.length > 0) addEntry(index, g, { key: `${key}#receiver`, hits: sure, shared, share, start: s, importer: q, surely: true });
      if (rest.length > 0) addEntry(index, g, { key, hits: rest, shared, share, start: s, importer: q, surely: false });
      if (global.size > 0) addEntry(index, g, { key: `${key}#global`, hits: [...global], shared, share: 'many', start: s, importer: q, surely: true });
    }
  }
}

/** One entry of another package's goroutine start, reaching `hits` (see addModuleEntries). */
function addEntry(index: PackageIndex, g: Goroutines, e: { key: string; hits: Func[]; shared: Set<Func>; share: Entry['share']; start: Start; importer: string; surely: boolean }): void {
  const { key, hits, shared } = e;
  const func: Func = { ...hits[0], key };
  const entry: Entry = { func, many: e.start.handler || inLoop(e.start.site), handler: false, spawns: [], share: e.share, external: e.importer, sharesSurely: e.surely };
  g.entries.set(key, entry);
  for (const k of g.reachFrom(hits.map((h) => h.key))) {
    const set = g.reachedBy.get(k) ?? new Set();
    set.add(key);
    g.reachedBy.set(k, set);
  }
  const inst = new Set<string>([key]);
  // Struct values the goroutine reaches only on values it made itself are its own.
  for (const h of hits) if (shared.has(h)) for (const k of instanceReach(index, g, h)) inst.add(k);
  g.instance.set(key, inst);
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
