/**
 * Is a map already guarded, or could it be by a convention gomend cannot see?
 *
 * Precision comes first: the standard library guards many maps with a mutex held by the caller
 * ("must hold mu"), by helpers named `…Locked`, or by a lock taken a few calls up. A map is treated
 * as guarded, and left alone, when any of its uses sits after a `Lock`/`RLock` (or a `lock()`
 * helper) in its block, when a function using it is called from such a place (transitively), when
 * such a function's name or doc comment speaks of locking, or when the map's own comments do.
 * What the locks of a named mutex say about a map is evidence.ts's; who holds them, held.ts's.
 */
import { kids, lineStart } from '../../src/go/syntax.js';
import type { GoFile, Node } from './tree.js';
import type { MapCandidate } from './candidates.js';
import type { Goroutines } from './goroutines.js';
import type { Held } from './held.js';
import { funcOf } from './model.js';
import type { Func, PackageIndex } from './model.js';
import type { Site } from './sites.js';
import { calleeName, callArgs, descendants, innerExpr, lineEnd } from './syntax.js';

const LOCK = /^(R|Try|TryR)?Lock$|^(r|try)?lock$|[a-z]R?Lock$|^lock[A-Z_]/;
const UNLOCK = /unlock/i;
/** Doc comment words that say a function runs with a lock held (the caller holds it). */
export const FUNC_WORDS = /\b(lock|locks|locked|locking|mutex|mu)\b|\bheld\b|must hold|\bholds? (the |a )?\w*(lock|mu)\b/i;
/** Comment words that say a map is synchronised, or owned by one goroutine. */
const MAP_WORDS = /\b(lock|locks|locked|locking|mutex|mu)\b|\bheld\b|guard|protected|synchroni[sz]|atomic|owned by|only (used|accessed|touched)|one goroutine|single goroutine/i;
/** A type's doc saying it must not be shared between goroutines. */
const NOT_SHARED = /\bnot (?:safe|thread-safe|goroutine-safe)\b|\bunsafe for concurrent\b|\bmust not be (?:used|called|shared) (?:concurrently|from (?:several|multiple) goroutines)/i;

/**
 * The receiver text of a lock-ish call statement, or undefined. A lock whose call returns a guard
 * to unlock (`g := w.mu.Lock("job")` … `g.Unlock()`, a lock type of the program's own) answers
 * with the guard's name, which its unlock call names.
 */
function lockCall(stmt: Node, unlock: boolean): string | undefined {
  let s = stmt;
  if (!unlock && (s.type === 'short_var_declaration' || s.type === 'assignment_statement')) {
    const left = kids(s.childForFieldName('left'));
    const right = kids(s.childForFieldName('right'));
    const call = right.length === 1 ? innerExpr(right[0]) : undefined;
    const name = call?.type === 'call_expression' ? calleeName(call) : '';
    const fn = call && innerExpr(call.childForFieldName('function'));
    if (left.length === 1 && left[0].type === 'identifier' && fn?.type === 'selector_expression' && LOCK.test(name) && !UNLOCK.test(name)) return left[0].text;
    return undefined;
  }
  if (s.type === 'defer_statement') s = kids(s)[0] ?? s;
  else if (s.type === 'expression_statement') s = kids(s)[0] ?? s;
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
    const stmts = kids(list);
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
  /** Memo: file path → its regions holding a named mutex (see held.ts). */
  held: Map<string, Held[]>;
}

/** Finds the lock regions of every file of the package. */
export function newGuardModel(index: PackageIndex): GuardModel {
  let regions = regionsMemo.get(index);
  if (!regions) {
    regions = new Map<string, [number, number][]>();
    for (const f of index.pkg.files) regions.set(f.path, lockRegions(f));
    regionsMemo.set(index, regions);
  }
  return { regions, underLock: new Map(), held: new Map() };
}

/** The lock regions of a package index's files, the same for each guard model made over it (never changed). */
const regionsMemo = new WeakMap<PackageIndex, Map<string, [number, number][]>>();

/** True when `node` lies in a lock region of its file. */
export function inRegion(gm: GuardModel, file: GoFile, node: Node): boolean {
  return (gm.regions.get(file.path) ?? []).some(([a, b]) => node.startIndex >= a && node.startIndex < b);
}

const DECLARATIONS: readonly string[] = Object.freeze(['function_declaration', 'method_declaration']);

/** The declaration around a function (a literal's enclosing declaration). */
export function declOf(index: PackageIndex, f: Func): Func | null {
  const n = f.node.type === 'function_declaration' || f.node.type === 'method_declaration' ? f.node : f.node.closest(DECLARATIONS);
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
  const docNode = c.decl && !kids(c.decl).some((k) => k.type === 'var_spec_list') ? c.decl : c.spec;
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
