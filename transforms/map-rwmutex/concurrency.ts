/**
 * Which goroutines run each use of a candidate map, and whether two of them can meet: a write in
 * one goroutine while another uses the map, apart from initialisation, from uses ordered by the
 * goroutine's start or its join, and from values each goroutine holds alone.
 */
import type { MapCandidate } from './candidates.js';
import type { Goroutines } from './goroutines.js';
import { funcOf } from './model.js';
import type { Func, PackageIndex } from './model.js';
import { boundIn, createsMap, entryShare, instanceReach, useShare } from './sharing.js';
import { joinedWindow } from './joined.js';
import { withoutOrdinary } from './module-entries.js';
import type { Share } from './sharing.js';
import { operandRoot } from './sites.js';
import type { Site } from './sites.js';
import { descendants, FUNCTION_TYPE_LIST } from './syntax.js';

/** What the questions below need of a package's analysis. */
export interface Concurrency {
  index: PackageIndex;
  g: Goroutines;
  /** Memo of `shareOf`, by entry key. */
  shares: Map<string, Share>;
  /** Leave out the entries of other packages' goroutines (module-entries.ts). */
  localOnly?: boolean;
}

/** How an entry shares the values it is handed, memoised. */
function shareOf(a: Concurrency, key: string): Share {
  let s = a.shares.get(key);
  if (s === undefined) {
    s = entryShare(a.index, a.g, a.g.entries.get(key)!);
    a.shares.set(key, s);
  }
  return s;
}

/** True when a write runs as initialisation: in `init`, through `sync.Once`, or on a value just built. */
export function initialising(a: Concurrency, s: Site): boolean {
  if (s.initTime || s.fresh) return true;
  const o = s.owner;
  if (!o) return true;
  if (o.node.type === 'function_declaration' && o.name === 'init') return true;
  const once = a.g.once;
  if (once.has(o.key) || (s.body && once.has(funcOf(a.index, s.file, s.body).key))) return true;
  const callers = a.g.callers.get(o.key) ?? [];
  return callers.length > 0 && callers.every((cs) => {
    const p = cs.call.closest(FUNCTION_TYPE_LIST);
    return !!p && once.has(funcOf(a.index, cs.file, p).key);
  });
}

/**
 * The goroutines (entry keys, and 'main') a use runs in. A field counts for a goroutine only when
 * it is reached on a struct value that goroutine was handed (see `instanceReach`).
 */
export function siteContexts(a: Concurrency, c: MapCandidate, s: Site): Set<string> {
  const out = new Set<string>();
  const o = s.owner;
  if (!o || s.initTime) return out;
  if (a.g.mainReach.has(o.key)) out.add('main');
  for (const k of a.g.reachedBy.get(o.key) ?? []) {
    if (a.localOnly && a.g.entries.get(k)?.external) continue;
    if (c.kind === 'var' || c.struct?.anonymous) {
      out.add(k);
      continue;
    }
    const entry = a.g.entries.get(k)!;
    if (shareOf(a, k) === 'none') continue;
    const root = s.operand ? operandRoot(s.operand) : null;
    if (root && instanceReach(a.index, a.g, entry.func).has(o.key) && boundIn(o, root, o.key === entry.func.key) && useShare(a.index, a.g, entry, o, root) !== 'none') out.add(k);
  }
  return out;
}

/**
 * True when the write `s`, run by goroutine entry `k`, runs in many goroutines at once on one
 * value: the entry runs many times (in a loop, per request) and, for a field, over a value they
 * share. The write then races with itself.
 */
export function writesMany(a: Concurrency, c: MapCandidate, s: Site, k: string): boolean {
  const e = a.g.entries.get(k)!;
  if (c.kind === 'var' || c.struct?.anonymous) return e.many;
  const root = s.operand ? operandRoot(s.operand) : null;
  return root && s.owner ? useShare(a.index, a.g, e, s.owner, root) === 'many' : shareOf(a, k) === 'many';
}

/**
 * True when a goroutine writes the map and another goroutine uses it: a write reached from a
 * goroutine entry, plus any use in another context, or a goroutine that runs many times.
 */
export function shared(a: Concurrency, c: MapCandidate, sites: Site[]): boolean {
  let all = new Set<string>();
  let writer = false;
  let many = false;
  const byMain: Site[] = [];
  for (const s of sites) {
    const contexts = siteContexts(a, c, s);
    if (contexts.has('main') && !createsMap(s)) byMain.push(s);
    for (const k of contexts) if (k !== 'main' || !createsMap(s)) all.add(k);
    if (s.kind !== 'write' || initialising(a, s)) continue;
    for (const k of contexts) {
      if (k === 'main') continue;
      writer = true;
      if (writesMany(a, c, s, k)) many = true;
    }
  }
  if (!writer) return false;
  if (many) return true;
  all = withoutOrdinary(a.g, all);
  if (all.size === 2 && all.has('main')) {
    // One goroutine and ordinary code: when ordinary code reaches the map only by calling that
    // goroutine's own entry (an exported `Run` loop started with `go h.Run(ctx)`), the only
    // concurrency is a second call of the entry, which the owner-loop design rules out.
    const k = [...all].find((x) => x !== 'main')!;
    const entry = a.g.entries.get(k)!.func.key;
    const ordinary = a.g.mainReachAvoiding(entry);
    if (!sites.some((s) => s.owner && !s.initTime && ordinary.has(s.owner.key))) return false;
    // A goroutine its starter waits for meets ordinary code only between the spawn and the join.
    const window = joinedWindow(a.index, a.g, a.g.entries.get(k)!);
    if (window && !byMain.some((s) => inWindow(a, window, s))) return false;
  }
  return all.size >= 2;
}

/**
 * True when ordinary code may run use `s` inside `w`: the use lies between the spawn and the join
 * of its starting function, or in a function the calls there may reach.
 */
function inWindow(a: Concurrency, w: { fn: Func; start: number; end: number }, s: Site): boolean {
  if (s.file === w.fn.file && s.expr.startIndex >= w.start && s.expr.startIndex < w.end) return true;
  const reached = new Set<string>();
  const queue: Func[] = [];
  const follow = (f: Func, from = 0, to = Infinity): void => {
    const lits = descendants(f.node, 'func_literal').map((l) => funcOf(a.index, f.file, l).key);
    for (const key of [f.key, ...lits]) {
      for (const cs of a.g.callsIn.get(key) ?? []) {
        if (cs.owner?.key !== f.key || cs.call.startIndex < from || cs.call.startIndex >= to) continue;
        for (const t of cs.targets) {
          if (t.node.type === 'func_literal' || reached.has(t.key)) continue;
          reached.add(t.key);
          queue.push(t);
        }
      }
    }
  };
  follow(w.fn, w.start, w.end);
  while (queue.length > 0) follow(queue.pop()!);
  return !!s.owner && reached.has(s.owner.key);
}

/**
 * True when only goroutines of other packages of the module (see module-entries.ts) make the map
 * shared: without their entries the package's own goroutines do not.
 */
export function externalOnly(a: Concurrency, c: MapCandidate, sites: Site[]): boolean {
  if (![...a.g.entries.values()].some((e) => e.external)) return false;
  return !shared({ ...a, localOnly: true }, c, sites);
}

/**
 * True when a goroutine start of another package writes the map from many goroutines at once on
 * one value (a loop of starts over a shared executor): the write races with itself, whatever the
 * order of phases across the packages, so the finding is no guess. For a field, the start must
 * share its values surely (a handler's receiver, a package-level variable): a loop of starts that
 * captures its caller's variables may still hand each goroutine its own plugin further down.
 */
export function selfRacing(a: Concurrency, c: MapCandidate, sites: Site[]): boolean {
  const racing = (s: Site, k: string): boolean => {
    const e = a.g.entries.get(k);
    return !!e?.external && (c.kind === 'var' || !!c.struct?.anonymous || !!e.sharesSurely) && writesMany(a, c, s, k);
  };
  return sites.some((s) => s.kind === 'write' && !initialising(a, s) && [...siteContexts(a, c, s)].some((k) => racing(s, k)));
}
