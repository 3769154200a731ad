/**
 * Which code runs in which goroutine: spawn sites, call graphs, and reachability.
 *
 * A map needs a lock only when two goroutines can touch it. Entries are functions started by `go`,
 * by `errgroup.Group.Go` / `sync.WaitGroup.Go` (any `.Go(f)` or `.TryGo(f)`), `time.AfterFunc`,
 * finalizers, worker pools (`pool.Submit(f)`), HTTP handlers (`HandleFunc`, `http.HandlerFunc(f)`,
 * every `ServeHTTP` method outside tests), and every exported method of a type registered with a
 * gRPC server (`RegisterFooServer(s, impl)`). The
 * ordinary context is everything reachable from the package's roots (see roots.ts): exported
 * functions and methods (but those of an unexported type whose values stay in the package),
 * `main`, `init`, tests, and functions referenced as values at package level.
 *
 * Calls are resolved twice. For reachability (who runs a use) a method call resolves to what it
 * certainly may run: the only method of that name, or the one of its receiver's known type, so
 * that doubt means "not reached" and no finding. For safety (what runs under a lock, who may call
 * a function with a lock held) it resolves to every method of that name, so doubt means "may run".
 */
import type { MirrorTree } from '../../src/mirror.js';
import type { GoFile, Node } from './tree.js';
import { funcOf, isImportName, preciseMethods, resolveCallee, valueTargets } from './model.js';
import { inLoop, onceTarget, reachTargets, spawnTargets } from './spawns.js';
import { registeredCollectors, registeredServices } from './entries.js';
import { hiddenTypes, isRoot } from './roots.js';
import type { Func, PackageIndex } from './model.js';
import { declaredLocally } from './resolve.js';
import { descendants, FUNCTION_TYPE_LIST, innerExpr, isExported, outerExpr } from './syntax.js';

/** A call inside the package: who calls, where, and what it may run. */
export interface CallSite {
  file: GoFile;
  call: Node;
  /** The owner function the call runs in (declaration or spawned literal); null at package level. */
  owner: Func | null;
  targets: Func[];
  unknown: boolean;
  /** A function or method of another package (or of a type gomend cannot see). */
  external: boolean;
}

/** A function that starts a goroutine of its own. */
export interface Entry {
  func: Func;
  /** Started more than once (in a loop, from several places, or per request). */
  many: boolean;
  /** An HTTP handler: runs once per request, on the same receiver. */
  handler: boolean;
  /** Where it is started: the go statement or spawning call, and the function expression. */
  spawns: Spawn[];
  /** How widely it shares the struct values it works on, when known without its spawns (another package's goroutine). */
  share?: 'none' | 'shared' | 'many';
  /** Started in another package of the module (the import path): see module-entries.ts. */
  external?: string;
  /**
   * Another package's start whose goroutines surely share the values they reach here: an HTTP
   * handler or gRPC service (one receiver for every request), or calls through a package-level
   * variable. A start that shares only by capturing its caller's variables may still hand each
   * goroutine its own value further down.
   */
  sharesSurely?: boolean;
}

/** One place a goroutine is started. */
export interface Spawn {
  file: GoFile;
  node: Node;
  arg: Node | null;
}

/** The goroutine model of a package. */
export interface Goroutines {
  entries: Map<string, Entry>;
  /** Entry keys reaching each owner function key. */
  reachedBy: Map<string, Set<string>>;
  /** Owner function keys reachable from the ordinary roots. */
  mainReach: Set<string>;
  /**
   * Owner function keys the ordinary roots reach without entering function `avoid` (nor starting
   * from it): what ordinary code runs other than by calling a goroutine's entry itself.
   */
  mainReachAvoiding(avoid: string): Set<string>;
  /** Call sites by callee key (direct calls only). */
  callers: Map<string, CallSite[]>;
  /** Call sites by the key of the function (declaration or any literal) whose body holds them. */
  callsIn: Map<string, CallSite[]>;
  /** Keys of literals started as goroutines. */
  spawned: Set<string>;
  /** Keys of functions referenced other than by a direct, non-deferred call. */
  valueRefs: Set<string>;
  /** Keys of functions used as values (stored or passed), which any code may call later. */
  funcValues: Set<string>;
  /** Keys of functions run through `sync.Once` (initialisation). */
  once: Set<string>;
  /** Memo of `instanceReach`. */
  instance: Map<string, Set<string>>;
  /** Owner function keys reachable over calls from the given function keys (themselves included). */
  reachFrom(keys: string[]): Set<string>;
}

/** The owner of a node: innermost function declaration, or spawned literal; null at package level. */
export function ownerOf(index: PackageIndex, g: { spawned: Set<string> }, file: GoFile, node: Node): Func | null {
  for (let p = node.closest(FUNCTION_TYPE_LIST); p; p = p.closest(FUNCTION_TYPE_LIST)) {
    const f = funcOf(index, file, p);
    if (p.type !== 'func_literal' || g.spawned.has(f.key)) return f;
  }
  return null;
}

function add<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Builds the goroutine model of a package; `mapNames`, when given, are the names of the maps asked about. */
export function analyseGoroutines(index: PackageIndex, mapNames?: Set<string>): Goroutines {
  const g: Goroutines = {
    entries: new Map(),
    reachedBy: new Map(),
    mainReach: new Set(),
    mainReachAvoiding: () => new Set(),
    callers: new Map(),
    callsIn: new Map(),
    spawned: new Set(),
    valueRefs: new Set(),
    funcValues: new Set(),
    once: new Set(),
    instance: new Map(),
    reachFrom: () => new Set(),
  };
  const spawnArgs = new Set<string>();
  const spawnCounts = new Map<string, { func: Func; sites: Spawn[]; handler: boolean }>();
  for (const file of index.pkg.files) {
    for (const node of descendants(file.root, ['go_statement', 'call_expression'])) {
      const s = spawnTargets(index, file, node);
      if (!s) continue;
      // A handler a test builds runs when the test calls it (concurrently only if the test says so).
      if (s.handler && file.isTest) continue;
      if (s.arg) spawnArgs.add(`${file.path}#${s.arg.startIndex}`);
      for (const f of s.funcs) {
        if (f.node.type === 'func_literal') g.spawned.add(f.key);
        const rec = spawnCounts.get(f.key) ?? { func: f, sites: [], handler: false };
        rec.sites.push({ file, node, arg: s.arg });
        rec.handler ||= s.handler;
        spawnCounts.set(f.key, rec);
      }
    }
  }
  // A handler type of a test serves requests concurrently only if its test does so, which a
  // plain method call, a spawn or a registration above shows: ServeHTTP alone is no entry there.
  for (const m of index.methods.get('ServeHTTP') ?? []) {
    if (m.file.isTest && !spawnCounts.has(m.key)) continue;
    const rec = spawnCounts.get(m.key) ?? { func: m, sites: [], handler: true };
    rec.handler = true;
    spawnCounts.set(m.key, rec);
  }
  // Every exported method of a type registered with a gRPC server runs per request, and a
  // registered Prometheus collector's Collect once per scrape: concurrently.
  const files = index.pkg.files;
  const registered = [...files.flatMap((f) => registeredServices(index, f).flatMap((r) => r.methods)), ...files.flatMap((f) => registeredCollectors(index, f))];
  for (const m of registered) {
    const rec = spawnCounts.get(m.key) ?? { func: m, sites: [], handler: true };
    rec.handler = true;
    spawnCounts.set(m.key, rec);
  }

  // Calls and value references, attributed to their owner.
  const roots: Func[] = [];
  const edges = new Map<string, Set<string>>();
  const link = (from: Func | null, to: Func): void => {
    if (!from) {
      roots.push(to);
      return;
    }
    const set = edges.get(from.key) ?? new Set();
    set.add(to.key);
    edges.set(from.key, set);
  };
  for (const file of index.pkg.files) {
    for (const call of descendants(file.root, 'call_expression')) {
      for (const f of onceTarget(index, file, call)) g.once.add(f.key);
      const t = resolveCallee(index, file, call.childForFieldName('function'));
      const reach = reachTargets(index, file, call.childForFieldName('function'));
      const owner = ownerOf(index, g, file, call);
      const site: CallSite = { file, call, owner, targets: t.funcs, unknown: t.unknown, external: t.external };
      const parentType = outerExpr(call).parent?.type;
      const direct = parentType !== 'go_statement' && parentType !== 'defer_statement';
      for (const f of t.funcs) {
        if (f.node.type !== 'func_literal') {
          if (direct) add(g.callers, f.key, site);
          else g.valueRefs.add(f.key);
        }
      }
      if (parentType !== 'go_statement') for (const f of reach) link(owner, f);
      const body = call.closest(FUNCTION_TYPE_LIST);
      if (body) add(g.callsIn, funcOf(index, file, body).key, site);
    }
    // Functions and methods used as values (not called): reachable from where they are used.
    // Most identifiers name no function of the package: decided on the text, before any node is made.
    // A name called directly (`f(…)`, `x.m(…)`, no parentheses around the callee) is skipped below
    // in any case: told from the tree's arrays, before its node is made.
    const tree = file.root.tree;
    const called = (i: number): boolean => {
      const p = tree.parent[i];
      if (p < 0) return false;
      const callee = tree.typeId[p] === syntax.selector && tree.fieldId[i] === syntax.field ? p : i;
      const q = tree.parent[callee];
      return q >= 0 && tree.typeId[q] === syntax.call && tree.fieldId[callee] === syntax.function;
    };
    const syntax = callSyntax(tree);
    const named = (type: string, text: string, i: number): boolean => (type === 'identifier' ? index.funcs : index.methods).has(text) && !called(i);
    for (const id of file.root.descendantsWhere(['identifier', 'field_identifier'], named)) {
      const parent = id.parent;
      if (!parent) continue;
      let targets: Func[] | undefined;
      let expr: Node = id;
      if (id.type === 'identifier') {
        if (parent.type === 'function_declaration' || !index.funcs.has(id.text) || declaredLocally(id)) continue;
        targets = index.funcs.get(id.text);
      } else {
        if (parent.type !== 'selector_expression' || !index.methods.has(id.text)) continue;
        const operand = innerExpr(parent.childForFieldName('operand'));
        if (operand?.type === 'identifier' && isImportName(index, file, operand)) continue;
        targets = valueTargets(index, file, parent);
        expr = parent;
      }
      const outer = outerExpr(expr);
      if (outer.parent?.type === 'call_expression' && outer.parent.childForFieldName('function')?.equals(outer)) continue;
      if (spawnArgs.has(`${file.path}#${innerExpr(outer)!.startIndex}`)) continue;
      const owner = ownerOf(index, g, file, id);
      for (const f of targets ?? []) {
        g.valueRefs.add(f.key);
        g.funcValues.add(f.key);
      }
      for (const f of expr === id ? targets ?? [] : preciseMethods(index, file, expr)) link(owner, f);
    }
  }

  for (const [key, rec] of spawnCounts) {
    const many = rec.handler || rec.sites.length > 1 || rec.sites.some((s) => inLoop(s.node));
    g.entries.set(key, { func: rec.func, many, handler: rec.handler, spawns: rec.sites });
  }
  for (const [key] of g.entries) {
    for (const k of closure(edges, [key])) {
      const set = g.reachedBy.get(k) ?? new Set();
      set.add(key);
      g.reachedBy.set(k, set);
    }
  }
  // A goroutine started from a goroutine that runs many times runs many times too.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [key, rec] of spawnCounts) {
      const entry = g.entries.get(key)!;
      if (entry.many) continue;
      for (const s of rec.sites) {
        const owner = ownerOf(index, g, s.file, s.node);
        const by = owner ? [...(g.reachedBy.get(owner.key) ?? [])] : [];
        if (by.some((k) => g.entries.get(k)?.many)) {
          entry.many = true;
          changed = true;
        }
      }
    }
  }
  // Which unexported types keep their values in the package is asked only of those whose exported
  // methods may reach a map of `mapNames` that a goroutine reaches too (by its name in the text of
  // the functions): the answer takes the types of much of the package.
  // Each function's text is searched once, for all the names at once (substrings, as `includes`).
  const inGoroutines = new Set<string>();
  if (mapNames) {
    const names = new Substrings(mapNames);
    for (const k of g.reachedBy.keys()) names.collect(index.funcByKey.get(k)?.node.text ?? '', inGoroutines);
  }
  const mentions = new Substrings(inGoroutines);
  const mentioning = new Map<string, boolean>();
  const mentionsMap = (k: string): boolean => {
    let m = mentioning.get(k);
    if (m === undefined) {
      m = mentions.any(index.funcByKey.get(k)?.node.text ?? '');
      mentioning.set(k, m);
    }
    return m;
  };
  const reaches = (type: string): boolean => {
    if (!mapNames) return true;
    const start = index.decls.filter((f) => f.isMethod && f.recvType === type && isExported(f.name)).map((f) => f.key);
    return [...closure(edges, start)].some(mentionsMap);
  };
  const hidden = hiddenTypes(index, reaches);
  roots.push(...index.decls.filter((f) => isRoot(f, hidden)));
  for (const k of closure(edges, roots.map((r) => r.key))) g.mainReach.add(k);
  g.reachFrom = (keys) => closure(edges, keys);
  const avoiding = new Map<string, Set<string>>();
  g.mainReachAvoiding = (avoid) => {
    let reach = avoiding.get(avoid);
    if (!reach) {
      const without = new Map([...edges].filter(([k]) => k !== avoid));
      reach = closure(without, roots.map((r) => r.key).filter((k) => k !== avoid));
      reach.delete(avoid);
      avoiding.set(avoid, reach);
    }
    return reach;
  };
  return g;
}

/** Type and field ids of a tree's language for telling a direct call from its arrays (see the value references in `analyseGoroutines`). */
function callSyntax(tree: MirrorTree): { selector: number; call: number; field: number; function: number } {
  const id = (type: string): number => tree.types.maskOf(type).indexOf(1);
  return { selector: id('selector_expression'), call: id('call_expression'), field: tree.types.fieldIds.get('field') ?? -1, function: tree.types.fieldIds.get('function') ?? -1 };
}

/** A set of names to find in texts as substrings (what `text.includes(name)` answers), in one pass over a text. */
class Substrings {
  /** A trie of the names by character code; `end` marks where a name ends. */
  private readonly root: TrieNode = { next: new Map() };

  constructor(names: Iterable<string>) {
    for (const name of names) {
      let n = this.root;
      for (let i = 0; i < name.length; i++) {
        const c = name.charCodeAt(i);
        let next = n.next.get(c);
        if (!next) {
          next = { next: new Map() };
          n.next.set(c, next);
        }
        n = next;
      }
      n.end = name;
    }
  }

  /** Adds to `out` every name that occurs in `text`. */
  collect(text: string, out: Set<string>): void {
    this.scan(text, (name) => {
      out.add(name);
      return false;
    });
  }

  /** True when some name occurs in `text`. */
  any(text: string): boolean {
    return this.scan(text, () => true);
  }

  /** Calls `found` with each name matched at each position until it returns true; returns whether it did. */
  private scan(text: string, found: (name: string) => boolean): boolean {
    if (this.root.end !== undefined && found(this.root.end)) return true;
    if (this.root.next.size === 0) return false;
    for (let i = 0; i < text.length; i++) {
      let n: TrieNode | undefined = this.root;
      for (let j = i; j < text.length; j++) {
        n = n.next.get(text.charCodeAt(j));
        if (!n) break;
        if (n.end !== undefined && found(n.end)) return true;
      }
    }
    return false;
  }
}

interface TrieNode {
  next: Map<number, TrieNode>;
  end?: string;
}

/** Every key reachable from `start` over `edges`, `start` included. */
function closure(edges: Map<string, Set<string>>, start: string[]): Set<string> {
  const seen = new Set<string>(start);
  const queue = [...start];
  while (queue.length > 0) {
    const k = queue.pop()!;
    for (const n of edges.get(k) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return seen;
}
