/**
 * Evidence from existing locks. When some uses of a map hold a mutex of its struct (or a
 * package-level mutex) and others do not, the author meant the map to be guarded by that mutex,
 * and the uses without it are the finding, goroutine or not (as RacerD reasons about Java
 * classes). "Holding" is precise: the use follows `x.mu.Lock()` / `x.mu.RLock()` in its own block
 * before a matching unlock statement (a deferred unlock holds to the block's end), or its function
 * is only ever called with the mutex held (its callers hold it, or its name ends in `Locked`, or
 * its doc comment speaks of the lock being held).
 */
import { enclosingFunc, kids } from '../../src/go/syntax.js';
import type { MapCandidate } from './candidates.js';
import type { Goroutines } from './goroutines.js';
import { declOf, docComment, FUNC_WORDS } from './guards.js';
import type { GuardModel } from './guards.js';
import { heldAround, heldAt, heldRegions, mutexesFor, mutexOf, recvNames } from './held.js';
import type { Held, Mutex } from './held.js';
import { funcOf } from './model.js';
import type { Func, PackageIndex } from './model.js';
import type { Site } from './sites.js';
import { freshLocal, operandRoot } from './sites.js';
import { calleeName, callArgs, descendants, isExported, lineOf, outerExpr } from './syntax.js';

/** How a use stands with respect to the mutex. */
type Standing = 'held' | 'free' | 'skip' | 'unsure' | 'mixed';

/** What the existing locks say about a map. */
export interface LockEvidence {
  mutex: Mutex;
  /** Uses that do not hold the mutex and need it. */
  free: Site[];
  /** Writes under a read lock: the regions to turn into write locks. */
  readWrites: { site: Site; held: Held }[];
  /** Why no fix can be given although uses are unguarded (a real hazard). */
  problem?: string;
  /** Why gomend stays silent (nothing to do, or unsure). */
  silent?: string;
}

type Callers = 'all' | 'none' | 'some' | 'unknown';

/** Whether a declaration runs with the mutex held: by every caller, none, some, or unknown. */
function runsHeld(index: PackageIndex, g: Goroutines, gm: GuardModel, mutex: Mutex, f: Func, memo: Map<string, Callers | 'busy'>, why: { at?: string }): Callers {
  const m = memo.get(f.key);
  if (m === 'busy') return 'none';
  if (m) return m;
  memo.set(f.key, 'busy');
  let result: Callers;
  // `…Locked`, `…NoLock`, "the caller holds mu": the convention that the caller takes the lock.
  if (/locked|nolock/i.test(f.name) || FUNC_WORDS.test(docComment(f.file.source, f.node))) result = 'all';
  else {
    let held = 0;
    let free = 0;
    // Used as a value or deferred: run later, where the lock may or may not be held.
    let unknown = g.funcValues.has(f.key) || (g.valueRefs.has(f.key) && !g.entries.has(f.key));
    if (g.entries.has(f.key)) free++;
    const recvExported = f.isMethod ? isExported(f.recvType) : true;
    // Called from other packages, which cannot hold an unexported mutex, but may hold an exported one.
    if (isExported(f.name) && recvExported) {
      if (isExported(mutex.name)) unknown = true;
      else free++;
    }
    for (const c of g.callers.get(f.key) ?? []) {
      if (c.file.isTest) continue; // tests call internals directly, one goroutine at a time
      if (f.isMethod && c.targets.length !== 1) {
        unknown = true;
        continue;
      }
      const inner = enclosingFunc(c.call);
      if (!inner) continue;
      if (heldRegions(gm, c.file).some((h) => h.fn?.equals(inner) && recvNames(h.recv, mutex) && c.call.startIndex >= h.start && c.call.startIndex < h.end)) {
        held++;
        why.at ??= `${c.file.path}:${lineOf(c.file.source, c.call.startIndex)}`;
        continue;
      }
      if (inner.type === 'func_literal') {
        if (g.spawned.has(funcOf(index, c.file, inner).key)) free++;
        // A callback inside a held region (`lset.Range(func(…) { p.addFor(…) })`) runs there.
        else if (heldAround(gm, c.file, inner, mutex)) held++;
        else unknown = true;
        continue;
      }
      const caller = funcOf(index, c.file, inner);
      if (caller.name === 'init' || /^[Nn]ew/.test(caller.name) || g.once.has(caller.key)) continue; // setting up, before it is shared
      const r = runsHeld(index, g, gm, mutex, caller, memo, why);
      if (r === 'all') held++;
      else if (r === 'none') free++;
      else if (r === 'some') {
        held++;
        free++;
      } else unknown = true;
    }
    if (held > 0 && free > 0) result = 'some';
    else if (unknown) result = 'unknown';
    else if (held > 0) result = 'all';
    else if (free > 0) result = 'none';
    else result = 'unknown'; // never called: dead code, or called in ways gomend cannot see
  }
  memo.set(f.key, result);
  return result;
}

/** The goroutine contexts of a declaration: entries reaching it, and 'main'. */
function contextsOf(g: Goroutines, key: string): string[] {
  const out = [...(g.reachedBy.get(key) ?? [])];
  if (g.mainReach.has(key)) out.push('main');
  return out;
}

/** True when a use runs while its value is built or before the goroutines using it start. */
function setupUse(index: PackageIndex, g: Goroutines, s: Site, decl: Func, mutex?: Mutex): boolean {
  if (s.initTime || s.file.isTest) return true;
  if (s.operand) {
    const root = operandRoot(s.operand);
    if (root && freshLocal(root)) return true;
  }
  if (decl.name === 'init' || /^[Nn]ew/.test(decl.name) || g.once.has(decl.key)) return true;
  // `x.m = make(…)` without the lock: most often setting the value up before it is shared.
  if (s.kind === 'write' && !s.index && outerExpr(s.expr).parent?.type === 'expression_list') return true;
  // A function that assigns the mutex itself (`x.mu = new(sync.RWMutex)`) is setting the value up.
  const body0 = decl.node.childForFieldName('body');
  if (mutex && body0 && descendants(body0, 'assignment_statement').some((a) => kids(a.childForFieldName('left')).some((l) => l.text === mutexOf(mutex, s.operand?.text) || l.text.endsWith(`.${mutex.name}`)))) return true;
  // A use before the function starts a goroutine: setting up what the goroutine will use.
  const body = decl.node.childForFieldName('body');
  return !!body && descendants(body, 'go_statement').some((go) => go.startIndex > s.expr.startIndex);
}

/**
 * True when a read runs after every write has finished: all writes sit in goroutines its own
 * function started, and a `….Wait()` of that function (not inside a literal) lies between them
 * and the read (`wg.Wait()` joining the writers before the readers start).
 */
function afterWritesJoined(read: { s: Site; decl?: Func }, writers: { s: Site; decl?: Func }[]): boolean {
  const d = read.decl;
  if (!d || writers.length === 0) return false;
  if (!writers.every((w) => w.decl?.key === d.key && w.s.body?.type === 'func_literal' && w.s.owner?.node.equals(w.s.body))) return false;
  const last = Math.max(...writers.map((w) => w.s.body!.endIndex));
  const body = d.node.childForFieldName('body');
  if (!body) return false;
  return descendants(body, 'call_expression').some((call) => {
    if (calleeName(call) !== 'Wait' || callArgs(call).length !== 0) return false;
    if (call.startIndex < last || call.startIndex > read.s.expr.startIndex) return false;
    return enclosingFunc(call)?.equals(d.node) ?? false;
  });
}

/**
 * What the existing locks say about a map: undefined when no use holds a mutex of its struct or
 * of the package (no evidence either way).
 */
export function lockEvidence(index: PackageIndex, g: Goroutines, gm: GuardModel, c: MapCandidate, sites: Site[]): LockEvidence | undefined {
  const mutexes = mutexesFor(index, c);
  if (mutexes.length === 0) return undefined;
  const holding = new Map<Mutex, Set<Site>>();
  for (const s of sites) {
    for (const mu of mutexes) if (heldAt(gm, s.file, s.expr, mu, s.operand?.text)) holding.set(mu, (holding.get(mu) ?? new Set()).add(s));
  }
  if (holding.size === 0) return undefined;
  // The guard is the mutex held wherever any is (an outer lock may be held as well at some uses).
  const held = new Set([...holding.values()].flatMap((set) => [...set]));
  const guard = [...holding.entries()].find(([, set]) => set.size === held.size);
  const ev: LockEvidence = { mutex: (guard ?? [...holding.entries()][0])[0], free: [], readWrites: [] };
  if (!guard) return { ...ev, silent: 'its uses hold different mutexes' };
  const mutex = ev.mutex;
  const memo = new Map<string, Callers | 'busy'>();
  const standings: { s: Site; st: Standing; decl?: Func }[] = [];
  let mixed: string | undefined;
  for (const s of sites) {
    const held = heldAt(gm, s.file, s.expr, mutex, s.operand?.text);
    if (held) {
      // A write under a read lock, unless some write lock (of any mutex) serialises it as well.
      const writeLocked = heldRegions(gm, s.file).some((h) => !h.read && s.expr.startIndex >= h.start && s.expr.startIndex < h.end);
      if (held.read && (s.kind === 'write' || s.inPlace) && !writeLocked) ev.readWrites.push({ site: s, held });
      standings.push({ s, st: 'held', decl: (s.body && declOf(index, funcOf(index, s.file, s.body))) ?? undefined });
      continue;
    }
    const decl = s.body ? declOf(index, funcOf(index, s.file, s.body)) : null;
    if (!decl || !s.body) {
      standings.push({ s, st: 'skip' });
      continue;
    }
    if (setupUse(index, g, s, decl, mutex)) {
      standings.push({ s, st: 'skip', decl });
      continue;
    }
    if (s.body.type === 'func_literal') {
      // A literal run later (stored, deferred, passed) may or may not run with the lock held.
      const spawned = s.owner?.node.equals(s.body) ?? false;
      standings.push({ s, st: spawned && !heldAround(gm, s.file, s.expr, mutex) ? 'free' : 'unsure', decl });
      continue;
    }
    const why: { at?: string } = {};
    const r = runsHeld(index, g, gm, mutex, decl, memo, why);
    if (r === 'some') mixed ??= `${decl.name}, which uses it, is called both with ${mutex.name} held${why.at ? ` (at ${why.at})` : ''} and without it, so the lock can go neither in it nor around every call`;
    standings.push({ s, st: r === 'all' ? 'held' : r === 'none' ? 'free' : r === 'some' ? 'mixed' : 'unsure', decl });
  }
  if (standings.some((x) => x.st === 'unsure' && x.s.kind === 'write')) return { ...ev, silent: 'a write runs where gomend cannot tell whether the lock is held' };
  // A read by the one goroutine that does every write needs no lock (the owner pattern).
  const live = standings.filter((x) => x.st !== 'skip');
  const writers = live.filter((x) => x.s.kind === 'write' || x.s.inPlace);
  const ownerOnly = (x: { s: Site; decl?: Func }): string | undefined => {
    const key = x.s.owner?.key ?? x.decl?.key;
    const ctx = key ? contextsOf(g, key) : [];
    return ctx.length === 1 && ctx[0] !== 'main' && !g.entries.get(ctx[0])?.many ? ctx[0] : undefined;
  };
  const writerOwner = writers.length > 0 ? ownerOnly(writers[0]) : undefined;
  const singleOwner = writerOwner !== undefined && writers.every((x) => ownerOnly(x) === writerOwner);
  for (const x of live) {
    if (x.st !== 'free' && x.st !== 'mixed') continue;
    if (x.s.kind === 'read' && !x.s.inPlace && singleOwner && ownerOnly(x) === writerOwner) continue;
    if (x.s.kind === 'read' && !x.s.inPlace && afterWritesJoined(x, writers)) continue;
    if (x.s.problem) return { ...ev, problem: x.s.problem };
    ev.free.push(x.s);
  }
  // With another mutex at hand, the writers and an unlocked read may all hold that one instead
  // (prometheus's scrapePool: `mtx` around everything, `targetMtx` for readers): reads alone are
  // no sure race then.
  if (mutexes.length > 1 && ev.free.length > 0 && ev.free.every((f) => f.kind === 'read' && !f.inPlace) && ev.readWrites.length === 0) {
    return { ...ev, free: [], silent: 'its unlocked uses are reads, which another mutex may order with the writes' };
  }
  if (mixed) return { ...ev, problem: mixed };
  if (ev.free.length === 0 && ev.readWrites.length === 0) return { ...ev, silent: `every use holds ${mutex.name}` };
  if (standings.some((x) => x.st === 'unsure') && ev.free.length > 0) return { ...ev, silent: 'a use runs where gomend cannot tell whether the lock is held' };
  return ev;
}
