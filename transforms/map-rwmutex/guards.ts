/**
 * Is a map already guarded, or could it be by a convention gomend cannot see?
 *
 * Precision comes first: the standard library guards many maps with a mutex held by the caller
 * ("must hold mu"), by helpers named `…Locked`, or by a lock taken a few calls up. A map is treated
 * as guarded, and left alone, when any of its uses sits after a `Lock`/`RLock` (or a `lock()`
 * helper) in its block, when a function using it is called from such a place (transitively), when
 * such a function's name or doc comment speaks of locking, or when the map's own comments do.
 */
import type { Edit } from '../../src/types.js';
import type { GoFile, Node } from './tree.js';
import type { MapCandidate } from './candidates.js';
import type { Goroutines } from './goroutines.js';
import { funcOf } from './model.js';
import type { Func, PackageIndex } from './model.js';
import type { Site } from './sites.js';
import { freshLocal, operandRoot } from './sites.js';
import { calleeName, callArgs, descendants, FUNCTION_TYPES, innerExpr, isExported, lineEnd, lineOf, lineStart, namedKids, outerExpr } from './syntax.js';

const LOCK = /^(R|Try|TryR)?Lock$|^(r|try)?lock$|[a-z]R?Lock$|^lock[A-Z_]/;
const UNLOCK = /unlock/i;
/** Doc comment words that say a function runs with a lock held. */
const FUNC_WORDS = /\b(lock|locks|locked|locking|mutex|mu)\b|\bheld\b|must hold|\bholds? (the |a )?\w*(lock|mu)\b/i;
/** Comment words that say a map is synchronised, or owned by one goroutine. */
const MAP_WORDS = /\b(lock|locks|locked|locking|mutex|mu)\b|\bheld\b|guard|protected|synchroni[sz]|atomic|owned by|only (used|accessed|touched)|one goroutine|single goroutine/i;
/** A type's doc saying it must not be shared between goroutines. */
const NOT_SHARED = /\bnot (?:safe|thread-safe|goroutine-safe)\b|\bunsafe for concurrent\b|\bmust not be (?:used|called|shared) (?:concurrently|from (?:several|multiple) goroutines)/i;

/** The receiver text of a lock-ish call statement, or undefined. */
function lockCall(stmt: Node, unlock: boolean): string | undefined {
  let s = stmt;
  if (s.type === 'defer_statement') s = namedKids(s)[0] ?? s;
  else if (s.type === 'expression_statement') s = namedKids(s)[0] ?? s;
  else return undefined;
  const call = innerExpr(s);
  if (call?.type !== 'call_expression' || callArgs(call).length !== 0) return undefined;
  const name = calleeName(call);
  if (!name) return undefined;
  if (unlock ? !UNLOCK.test(name) : !LOCK.test(name) || UNLOCK.test(name)) return undefined;
  const fn = innerExpr(call.childForFieldName('function'));
  return fn?.type === 'selector_expression' ? fn.childForFieldName('operand')?.text ?? '' : '';
}

/** Ranges of a file that run with some lock held, as far as the syntax shows. */
export function lockRegions(file: GoFile): [number, number][] {
  const out: [number, number][] = [];
  for (const list of descendants(file.root, 'statement_list')) {
    const stmts = namedKids(list);
    for (let i = 0; i < stmts.length; i++) {
      if (stmts[i].type === 'defer_statement') continue;
      const recv = lockCall(stmts[i], false);
      if (recv === undefined) continue;
      let end = list.endIndex;
      for (let j = i + 1; j < stmts.length; j++) {
        if (stmts[j].type === 'defer_statement') continue;
        const u = lockCall(stmts[j], true);
        if (u !== undefined && (u === recv || recv === '')) {
          end = stmts[j].startIndex;
          break;
        }
      }
      out.push([stmts[i].endIndex, end]);
    }
  }
  // `withLock(func() { … })`: the literal runs under the lock.
  for (const call of descendants(file.root, 'call_expression')) {
    const name = calleeName(call);
    if (!/lock/i.test(name) || UNLOCK.test(name)) continue;
    for (const arg of callArgs(call)) if (arg.type === 'func_literal') out.push([arg.startIndex, arg.endIndex]);
  }
  return out;
}

/** The comment lines directly above a node (its doc comment), joined. */
export function docComment(source: string, node: Node): string {
  const lines: string[] = [];
  let at = lineStart(source, node.startIndex);
  while (at > 0) {
    const prevStart = lineStart(source, at - 1);
    const text = source.slice(prevStart, at - 1).trim();
    if (!text.startsWith('//') && !text.startsWith('/*') && !text.endsWith('*/')) break;
    lines.unshift(text);
    at = prevStart;
  }
  return lines.join('\n');
}

/** The comment after a node on its own line. */
export function trailingComment(source: string, node: Node): string {
  const rest = source.slice(node.endIndex, lineEnd(source, node.endIndex));
  const i = rest.indexOf('//');
  return i >= 0 ? rest.slice(i) : '';
}

/** Lock regions per file, and which functions may run with a lock held. */
export interface GuardModel {
  regions: Map<string, [number, number][]>;
  /** Memo: function key → may run with a lock held. */
  underLock: Map<string, boolean>;
}

/** Finds the lock regions of every file of the package. */
export function newGuardModel(index: PackageIndex): GuardModel {
  const regions = new Map<string, [number, number][]>();
  for (const f of index.pkg.files) regions.set(f.path, lockRegions(f));
  return { regions, underLock: new Map() };
}

/** True when `node` lies in a lock region of its file. */
export function inRegion(gm: GuardModel, file: GoFile, node: Node): boolean {
  return (gm.regions.get(file.path) ?? []).some(([a, b]) => node.startIndex >= a && node.startIndex < b);
}

/** The declaration around a function (a literal's enclosing declaration). */
function declOf(index: PackageIndex, f: Func): Func | null {
  let n: Node | null = f.node;
  while (n && n.type !== 'function_declaration' && n.type !== 'method_declaration') n = n.parent;
  return n ? funcOf(index, f.file, n) : null;
}

/** True when a function may run with a lock held: by name, doc, or a caller that holds one. */
export function mayRunUnderLock(index: PackageIndex, g: Goroutines, gm: GuardModel, f: Func, depth = 0): boolean {
  const decl = declOf(index, f);
  if (!decl) return false;
  const memo = gm.underLock.get(decl.key);
  if (memo !== undefined) return memo;
  gm.underLock.set(decl.key, false); // cycles: assume not, the other paths decide
  let result = /locked/i.test(decl.name) || FUNC_WORDS.test(docComment(decl.file.source, decl.node));
  if (!result && depth < 40) {
    for (const c of g.callers.get(decl.key) ?? []) {
      if (inRegion(gm, c.file, c.call)) result = true;
      else if (c.owner && mayRunUnderLock(index, g, gm, c.owner, depth + 1)) result = true;
      if (result) break;
    }
  }
  gm.underLock.set(decl.key, result);
  return result;
}

/** Why the map counts as guarded already, or undefined when nothing suggests it. */
export function guardedBy(index: PackageIndex, g: Goroutines, gm: GuardModel, c: MapCandidate, sites: Site[]): string | undefined {
  const src = c.file.source;
  const docNode = c.decl && !namedKids(c.decl).some((k) => k.type === 'var_spec_list') ? c.decl : c.spec;
  if (MAP_WORDS.test(docComment(src, docNode)) || MAP_WORDS.test(trailingComment(src, c.spec))) {
    return 'its comment speaks of locking';
  }
  if (c.struct) {
    const doc = docComment(c.struct.file.source, c.struct.typeSpec.parent?.type === 'type_declaration' ? c.struct.typeSpec.parent : c.struct.typeSpec);
    // A doc saying the type is safe for concurrent use is a claim, not a guard; one saying it is
    // not leaves the serialising to its callers.
    if (NOT_SHARED.test(doc)) return 'its doc says it is not safe for concurrent use, so callers serialise its use';
    const lockField = c.struct.fields.find((f) => /^[A-Z]/.test(f.childForFieldName('name')?.text ?? '') && /Mutex|Lock/.test(f.childForFieldName('type')?.text ?? ''));
    if (lockField) return 'its struct exports a lock that callers may hold';
  }
  for (const s of sites) {
    if (inRegion(gm, s.file, s.expr)) return 'a use sits under a lock';
    const fn = s.body ? funcOf(index, s.file, s.body) : null;
    if (fn && mayRunUnderLock(index, g, gm, fn)) return 'a use runs in a function that may be called with a lock held';
  }
  return undefined;
}

/*
 * Evidence from existing locks. When some uses of a map hold a mutex of its struct (or a
 * package-level mutex) and others do not, the author meant the map to be guarded by that mutex,
 * and the uses without it are the finding, goroutine or not (as RacerD reasons about Java
 * classes). "Holding" is precise: the use follows `x.mu.Lock()` / `x.mu.RLock()` in its own block
 * before a matching unlock statement (a deferred unlock holds to the block's end), or its function
 * is only ever called with the mutex held (its callers hold it, or its name ends in `Locked`, or
 * its doc comment speaks of the lock being held).
 */

/** A region of a function that holds a named mutex. */
export interface Held {
  file: GoFile;
  /** The lock statement. */
  lock: Node;
  /** The lock call's method name node (`Lock` or `RLock`). */
  method: Node;
  /** The receiver text (`s.mu`, `mu`). */
  recv: string;
  read: boolean;
  start: number;
  end: number;
  /** The innermost function node holding the lock statement. */
  fn: Node | null;
}

/** The receiver and method node of a statement that is only `x.Lock()`-like (`names`), or undefined. */
function mutexCall(stmt: Node, names: RegExp): { recv: string; method: Node; call: Node } | undefined {
  let s = stmt;
  if (s.type === 'defer_statement' || s.type === 'expression_statement') s = namedKids(s)[0] ?? s;
  else return undefined;
  const call = innerExpr(s);
  if (call?.type !== 'call_expression' || callArgs(call).length !== 0) return undefined;
  const fn = innerExpr(call.childForFieldName('function'));
  if (fn?.type !== 'selector_expression') return undefined;
  const method = fn.childForFieldName('field');
  if (!method || !names.test(method.text)) return undefined;
  return { recv: fn.childForFieldName('operand')?.text ?? '', method, call };
}

function innermostFn(node: Node): Node | null {
  for (let p = node.parent; p; p = p.parent) if (FUNCTION_TYPES.has(p.type)) return p;
  return null;
}

/** Regions holding a mutex through `Lock`/`RLock`, per file (memoised on the guard model). */
export function heldRegions(gm: GuardModel, file: GoFile): Held[] {
  const memo = (gm as GuardModel & { held?: Map<string, Held[]> }).held ?? new Map<string, Held[]>();
  (gm as GuardModel & { held?: Map<string, Held[]> }).held = memo;
  let out = memo.get(file.path);
  if (out) return out;
  out = [];
  for (const list of descendants(file.root, 'statement_list')) {
    const stmts = namedKids(list);
    for (let i = 0; i < stmts.length; i++) {
      if (stmts[i].type !== 'expression_statement') continue;
      const lock = mutexCall(stmts[i], /^R?Lock$/);
      if (!lock) continue;
      const read = lock.method.text === 'RLock';
      // Not unlocked in its own block (`if c { mu.Lock(); defer mu.Unlock() }`): it may be held
      // to the end of the function.
      const fn = innermostFn(stmts[i]);
      let end = fn?.childForFieldName('body')?.endIndex ?? list.endIndex;
      for (let j = i + 1; j < stmts.length; j++) {
        if (stmts[j].type !== 'expression_statement') continue;
        const u = mutexCall(stmts[j], read ? /^RUnlock$/ : /^Unlock$/);
        if (u && u.recv === lock.recv) {
          end = stmts[j].startIndex;
          break;
        }
      }
      out.push({ file, lock: stmts[i], method: lock.method, recv: lock.recv, read, start: stmts[i].endIndex, end, fn });
    }
  }
  memo.set(file.path, out);
  return out;
}

/** A mutex that may guard a map: a field of its struct or a package variable. */
export interface Mutex {
  /** The field or variable name (`Mutex`/`RWMutex` for an embedded one). */
  name: string;
  rw: boolean;
  field: boolean;
  /** Embedded in the struct: locked as `x.Lock()`. */
  embedded?: boolean;
}

const MUTEX_TYPE = /^\*?sync\.(RW)?Mutex$/;

/** Named mutex fields of a struct, and package-level mutex variables. */
export function mutexesFor(index: PackageIndex, c: MapCandidate): Mutex[] {
  const out: Mutex[] = [];
  for (const f of c.struct?.fields ?? []) {
    const names = namedKids(f).filter((k) => k.type === 'field_identifier');
    const t = f.childForFieldName('type')?.text ?? '';
    if (names.length === 1 && MUTEX_TYPE.test(t)) out.push({ name: names[0].text, rw: t.includes('RW'), field: true });
    else if (names.length === 0 && MUTEX_TYPE.test(t) && !t.startsWith('*')) out.push({ name: t.includes('RW') ? 'RWMutex' : 'Mutex', rw: t.includes('RW'), field: true, embedded: true });
  }
  for (const file of index.pkg.files) {
    for (const top of namedKids(file.root)) {
      if (top.type !== 'var_declaration') continue;
      for (const spec of descendants(top, 'var_spec')) {
        const names = namedKids(spec).filter((k) => k.type === 'identifier');
        const t = spec.childForFieldName('type')?.text ?? '';
        if (names.length === 1 && !spec.childForFieldName('value') && MUTEX_TYPE.test(t) && !t.startsWith('*')) out.push({ name: names[0].text, rw: t.includes('RW'), field: false });
      }
    }
  }
  return out;
}

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

/** Function keys (declarations) that take the mutex: they hold a region of it. */
export function mutexTakers(index: PackageIndex, gm: GuardModel, mutex: Mutex): Set<string> {
  const out = new Set<string>();
  for (const file of index.pkg.files) {
    for (const h of heldRegions(gm, file)) if (h.fn && recvNames(h.recv, mutex)) out.add(funcOf(index, file, h.fn).key);
  }
  return out;
}

/** True when a lock receiver text names the mutex (`x.mu` for a field, `mu` for a variable). */
function recvNames(recv: string, mutex: Mutex): boolean {
  if (mutex.embedded) return /^[\p{L}_][\p{L}\p{N}_.]*$/u.test(recv); // any value: its type is not known here
  return mutex.field ? recv.endsWith(`.${mutex.name}`) : recv === mutex.name;
}

/** The receiver text locking `mutex` of the struct value `operand`. */
export function mutexOf(mutex: Mutex, operand?: string): string {
  if (!mutex.field) return mutex.name;
  return mutex.embedded ? `${operand}` : `${operand}.${mutex.name}`;
}

/** The held region of `mutex` around `node` in its own function, if any. */
function heldAt(gm: GuardModel, file: GoFile, node: Node, mutex: Mutex, operand?: string): Held | undefined {
  const fn = innermostFn(node);
  return heldRegions(gm, file).find((h) => {
    if (node.startIndex < h.start || node.startIndex >= h.end) return false;
    if (mutex.field ? operand === undefined || h.recv !== mutexOf(mutex, operand) : h.recv !== mutex.name) return false;
    return !!fn && !!h.fn && fn.equals(h.fn);
  });
}

/** The region of any candidate mutex around `node`, through a literal (for `unsure`), if any. */
function heldAround(gm: GuardModel, file: GoFile, node: Node, mutex: Mutex): boolean {
  return heldRegions(gm, file).some((h) => node.startIndex >= h.start && node.startIndex < h.end && recvNames(h.recv, mutex));
}

/** Words of a doc comment saying the caller holds the lock. */
const HELD_WORDS = /\b(lock|locks|locked|locking|mutex|mu)\b|\bheld\b|must hold|\bholds? (the |a )?\w*(lock|mu)\b/i;

type Callers = 'all' | 'none' | 'some' | 'unknown';

/** Whether a declaration runs with the mutex held: by every caller, none, some, or unknown. */
function runsHeld(index: PackageIndex, g: Goroutines, gm: GuardModel, mutex: Mutex, f: Func, memo: Map<string, Callers | 'busy'>, why: { at?: string }): Callers {
  const m = memo.get(f.key);
  if (m === 'busy') return 'none';
  if (m) return m;
  memo.set(f.key, 'busy');
  let result: Callers;
  // `…Locked`, `…NoLock`, "the caller holds mu": the convention that the caller takes the lock.
  if (/locked|nolock/i.test(f.name) || HELD_WORDS.test(docComment(f.file.source, f.node))) result = 'all';
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
      const inner = innermostFn(c.call);
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
  if (mutex && body0 && descendants(body0, 'assignment_statement').some((a) => namedKids(a.childForFieldName('left')).some((l) => l.text === mutexOf(mutex, s.operand?.text) || l.text.endsWith(`.${mutex.name}`)))) return true;
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
    return innermostFn(call)?.equals(d.node) ?? false;
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

/** Keys of functions that may take the mutex when run: they lock it, or call one that does. */
export function mutexTakersClosure(index: PackageIndex, g: Goroutines, gm: GuardModel, mutex: Mutex): Set<string> {
  const out = mutexTakers(index, gm, mutex);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [key, calls] of g.callsIn) {
      if (out.has(key)) continue;
      if (g.spawned.has(key)) continue;
      if (calls.some((cs) => outerExpr(cs.call).parent?.type !== 'go_statement' && cs.targets.some((t) => out.has(t.key)))) {
        out.add(key);
        changed = true;
      }
    }
    // A declaration holding a (not spawned) literal that takes it takes it too.
    for (const key of [...out]) {
      const f = index.funcByKey.get(key);
      if (!f || f.node.type !== 'func_literal' || g.spawned.has(key)) continue;
      const fn = innermostFn(f.node);
      if (fn && !out.has(funcOf(index, f.file, fn).key)) {
        out.add(funcOf(index, f.file, fn).key);
        changed = true;
      }
    }
  }
  return out;
}

/**
 * Edits turning the read locks around writes into write locks (`RLock`/`RUnlock` become
 * `Lock`/`Unlock`), or why that could deadlock or miss an unlock.
 */
export function upgradeEdits(index: PackageIndex, g: Goroutines, gm: GuardModel, ev: LockEvidence, takers: Set<string>): Edit[] | string {
  const edits: Edit[] = [];
  const seen = new Set<Node>();
  for (const { held: h } of ev.readWrites) {
    if ([...seen].some((n) => n.equals(h.lock))) continue;
    seen.add(h.lock);
    const at = `${h.file.path}:${lineOf(h.file.source, h.lock.startIndex)}`;
    if (!h.fn) return `the read lock at ${at} is outside a function`;
    const calls: { kind: string; method: Node; stmt: Node }[] = [];
    for (const list of descendants(h.fn, 'statement_list')) {
      for (const stmt of namedKids(list)) {
        const m = mutexCall(stmt, /^R?(Lock|Unlock)$/);
        if (m && m.recv === h.recv) calls.push({ kind: m.method.text, method: m.method, stmt });
      }
    }
    // Lock calls in other forms (`if x.mu.TryLock()`, a method value) are not followed.
    const all = descendants(h.fn, 'selector_expression').filter((s) => s.childForFieldName('operand')?.text === h.recv && /Lock|Unlock/.test(s.childForFieldName('field')?.text ?? ''));
    if (all.length !== calls.length) return `the function holding the read lock at ${at} uses ${h.recv} in ways gomend does not follow`;
    const rlocks = calls.filter((k) => k.kind === 'RLock');
    if (rlocks.length !== 1 || calls.some((k) => k.kind === 'Lock' || k.kind === 'Unlock')) {
      return `the function holding the read lock at ${at} takes ${h.recv} more than once, so a write lock there could deadlock`;
    }
    const unlocks = calls.filter((k) => k.kind === 'RUnlock');
    if (unlocks.length === 0 || unlocks.some((k) => k.stmt.startIndex < h.lock.startIndex)) return `the read lock at ${at} has no unlock gomend can pair with it`;
    const fnKey = funcOf(index, h.file, h.fn).key;
    for (const cs of g.callsIn.get(fnKey) ?? []) {
      if (cs.call.startIndex < h.start || cs.call.startIndex >= h.end) continue;
      if (outerExpr(cs.call).parent?.type === 'go_statement') continue;
      const t = cs.targets.find((x) => x.node.type !== 'func_literal' && takers.has(x.key));
      if (t) return `the read lock at ${at} is held over a call of ${t.name} at line ${lineOf(h.file.source, cs.call.startIndex)}, which takes ${h.recv} itself, so a write lock there would deadlock`;
    }
    edits.push({ file: h.file.path, start: h.method.startIndex, end: h.method.endIndex, text: 'Lock' });
    for (const u of unlocks) edits.push({ file: h.file.path, start: u.method.startIndex, end: u.method.endIndex, text: 'Unlock' });
  }
  return edits;
}
