/**
 * Who holds a named mutex where, as the syntax shows: the statements after `x.mu.Lock()` up to its
 * unlock (`Held`), the mutexes that may guard a map (`Mutex`), the functions that take one, and
 * the edits turning a read lock into a write lock.
 */
import type { Edit } from '../../src/types.js';
import { enclosingFunc, kids } from '../../src/go/syntax.js';
import type { GoFile, Node } from './tree.js';
import type { MapCandidate } from './candidates.js';
import type { LockEvidence } from './evidence.js';
import type { Goroutines } from './goroutines.js';
import type { GuardModel } from './guards.js';
import { funcOf } from './model.js';
import type { PackageIndex } from './model.js';
import { callArgs, descendants, innerExpr, lineOf, outerExpr } from './syntax.js';

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
export function mutexCall(stmt: Node, names: RegExp): { recv: string; method: Node; call: Node } | undefined {
  let s = stmt;
  if (s.type === 'defer_statement' || s.type === 'expression_statement') s = kids(s)[0] ?? s;
  else return undefined;
  const call = innerExpr(s);
  if (call?.type !== 'call_expression' || callArgs(call).length !== 0) return undefined;
  const fn = innerExpr(call.childForFieldName('function'));
  if (fn?.type !== 'selector_expression') return undefined;
  const method = fn.childForFieldName('field');
  if (!method || !names.test(method.text)) return undefined;
  return { recv: fn.childForFieldName('operand')?.text ?? '', method, call };
}

/** Regions holding a mutex through `Lock`/`RLock`, per file (memoised on the guard model). */
export function heldRegions(gm: GuardModel, file: GoFile): Held[] {
  let out = gm.held.get(file.path);
  if (out) return out;
  out = [];
  for (const list of descendants(file.root, 'statement_list')) {
    const stmts = kids(list);
    for (let i = 0; i < stmts.length; i++) {
      if (stmts[i].type !== 'expression_statement') continue;
      const lock = mutexCall(stmts[i], /^R?Lock$/);
      if (!lock) continue;
      const read = lock.method.text === 'RLock';
      // Not unlocked in its own block (`if c { mu.Lock(); defer mu.Unlock() }`): it may be held
      // to the end of the function.
      const fn = enclosingFunc(stmts[i]) ?? null;
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
  gm.held.set(file.path, out);
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

/** Package-level mutex variables, per package index (the same for every candidate). */
const packageMutexMemo = new WeakMap<PackageIndex, Mutex[]>();

function packageMutexes(index: PackageIndex): Mutex[] {
  let out = packageMutexMemo.get(index);
  if (out) return out;
  out = [];
  for (const file of index.pkg.files) {
    for (const top of kids(file.root)) {
      if (top.type !== 'var_declaration') continue;
      for (const spec of descendants(top, 'var_spec')) {
        const names = kids(spec).filter((k) => k.type === 'identifier');
        const t = spec.childForFieldName('type')?.text ?? '';
        if (names.length === 1 && !spec.childForFieldName('value') && MUTEX_TYPE.test(t) && !t.startsWith('*')) out.push({ name: names[0].text, rw: t.includes('RW'), field: false });
        // `var mu = &sync.Mutex{}` (or `sync.Mutex{}`, `new(sync.Mutex)`) never assigned again: one mutex as well.
        const value = spec.childForFieldName('value')?.text.replace(/\s+/g, '') ?? '';
        const made = /^(?:&?sync\.(RW)?Mutex\{\}|new\(sync\.(RW)?Mutex\))$/.exec(value);
        if (names.length === 1 && !t && made && !reassigned(index, names[0].text, spec, file)) out.push({ name: names[0].text, rw: !!(made[1] || made[2]), field: false });
      }
    }
  }
  packageMutexMemo.set(index, out);
  return out;
}

/** True when some file of the package assigns `name` (`name = …`, text only) outside its declaration `spec`. */
function reassigned(index: PackageIndex, name: string, spec: Node, file: GoFile): boolean {
  const re = new RegExp(`(?<![\\p{L}\\p{N}_.])${name}\\s*=[^=]`, 'u');
  return index.pkg.files.some((f) => re.test(f === file ? f.source.slice(0, spec.startIndex) + f.source.slice(spec.endIndex) : f.source));
}

/** Named mutex fields of a struct, and package-level mutex variables. */
export function mutexesFor(index: PackageIndex, c: MapCandidate): Mutex[] {
  const out: Mutex[] = [];
  for (const f of c.struct?.fields ?? []) {
    const names = kids(f).filter((k) => k.type === 'field_identifier');
    const t = f.childForFieldName('type')?.text ?? '';
    if (names.length === 1 && MUTEX_TYPE.test(t)) out.push({ name: names[0].text, rw: t.includes('RW'), field: true });
    else if (names.length === 0 && MUTEX_TYPE.test(t) && !t.startsWith('*')) out.push({ name: t.includes('RW') ? 'RWMutex' : 'Mutex', rw: t.includes('RW'), field: true, embedded: true });
  }
  for (const m of packageMutexes(index)) out.push({ ...m });
  return out;
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
export function recvNames(recv: string, mutex: Mutex): boolean {
  if (mutex.embedded) return /^[\p{L}_][\p{L}\p{N}_.]*$/u.test(recv); // any value: its type is not known here
  return mutex.field ? recv.endsWith(`.${mutex.name}`) : recv === mutex.name;
}

/** The receiver text locking `mutex` of the struct value `operand`. */
export function mutexOf(mutex: Mutex, operand?: string): string {
  if (!mutex.field) return mutex.name;
  return mutex.embedded ? `${operand}` : `${operand}.${mutex.name}`;
}

/** The held region of `mutex` around `node` in its own function, if any. */
export function heldAt(gm: GuardModel, file: GoFile, node: Node, mutex: Mutex, operand?: string): Held | undefined {
  const fn = enclosingFunc(node);
  return heldRegions(gm, file).find((h) => {
    if (node.startIndex < h.start || node.startIndex >= h.end) return false;
    if (mutex.field ? operand === undefined || h.recv !== mutexOf(mutex, operand) : h.recv !== mutex.name) return false;
    return !!fn && !!h.fn && fn.equals(h.fn);
  });
}

/** The region of any candidate mutex around `node`, through a literal (for `unsure`), if any. */
export function heldAround(gm: GuardModel, file: GoFile, node: Node, mutex: Mutex): boolean {
  return heldRegions(gm, file).some((h) => node.startIndex >= h.start && node.startIndex < h.end && recvNames(h.recv, mutex));
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
      const fn = enclosingFunc(f.node);
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
      for (const stmt of kids(list)) {
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
