/**
 * `defer delete(m, k)` and `defer clear(m)`: the write runs when the function returns, where no
 * lock region of the function can hold it. The fix locks inside the deferred call instead:
 *
 *	defer func() {
 *		mu.Lock()
 *		delete(m, k)
 *		mu.Unlock()
 *	}()
 *
 * The closure reads its arguments when it runs, not when the defer statement does, so this is
 * written only when that cannot differ: the key is a literal, a constant or a local that nothing
 * assigns after the defer statement, and the map is named the same way then (a holder not
 * reassigned after it, a package map never replaced after initialisation). The lock is taken when
 * the function returns, so no other access of the map may be in the function, and no function
 * that calls it (directly or through others) may use the map: its lock region could be around
 * the call.
 */
import type { Edit } from '../../src/types.js';
import type { Goroutines } from './goroutines.js';
import type { MapCandidate } from './candidates.js';
import { funcOf } from './model.js';
import type { PackageIndex } from './model.js';
import type { Site } from './sites.js';
import { operandRoot } from './sites.js';
import type { Node } from './tree.js';
import { callArgs, enclosingFunction, indentAt, innerExpr, lineOf, outerExpr } from './syntax.js';

/** True when a use of a local assigns it (or takes its address, which may). */
function assigns(u: Node): boolean {
  const e = outerExpr(u);
  const p = e.parent;
  if (!p) return false;
  if (p.type === 'inc_statement' || p.type === 'dec_statement') return true;
  if (p.type === 'unary_expression' && p.childForFieldName('operator')?.text === '&') return true;
  const stmt = p.type === 'expression_list' ? p.parent : null;
  return !!stmt && ['assignment_statement', 'short_var_declaration', 'range_clause'].includes(stmt.type) && !!stmt.childForFieldName('left')?.equals(p);
}

/** True when `ident` means the same value at the end of its function as at `after`. */
function stableAfter(index: PackageIndex, ident: Node, after: number): boolean {
  const o = index.model.objectOf(ident);
  if (!o) return false;
  if (o.kind === 'const' || o.kind === 'nil' || o.kind === 'builtin') return true;
  if (o.kind !== 'var' || o.pkgLevel) return false;
  return !index.model.usesOf(o).some((u) => u.startIndex > after && assigns(u));
}

/** The keys and other arguments: literals, constants and locals not assigned after the defer. */
function stableArgs(index: PackageIndex, args: readonly Node[], after: number): boolean {
  return args.every((a) => {
    const e = innerExpr(a);
    if (!e) return false;
    if (/^(interpreted_string_literal|raw_string_literal|int_literal|float_literal|rune_literal|true|false)$/.test(e.type)) return true;
    return e.type === 'identifier' && stableAfter(index, e, after);
  });
}

/** The functions that call `key`, directly or through others (direct calls only are known). */
function callersOf(index: PackageIndex, g: Goroutines, key: string): Set<string> {
  const seen = new Set<string>();
  const queue = [key];
  while (queue.length > 0) {
    for (const cs of g.callers.get(queue.pop()!) ?? []) {
      const fn = enclosingFunction(cs.call);
      const k = fn ? funcOf(index, cs.file, fn).key : '';
      if (k && !seen.has(k)) {
        seen.add(k);
        queue.push(k);
      }
    }
  }
  return seen;
}

/** The edit locking inside a deferred delete or clear, or why there is none. */
export function deferredWrite(index: PackageIndex, g: Goroutines, c: MapCandidate, sites: Site[], s: Site, lock: string, placed: Edit[]): Edit | string {
  const stmt = s.deferred!;
  const call = innerExpr(stmt.namedChildren[0] ?? null)!;
  const at = `line ${lineOf(s.file.source, stmt.startIndex)}`;
  const why = `it is written by a deferred call at ${at}, `;
  if (!s.body) return `${why}outside a function`;
  const fn = funcOf(index, s.file, s.body);
  const bodies = new Set(sites.filter((o) => o !== s && o.body).map((o) => funcOf(index, o.file, o.body!).key));
  if (bodies.has(fn.key)) return `${why}in a function that also uses the map before it returns`;
  if (s.body.type === 'func_literal' && !g.spawned.has(fn.key)) return `${why}in a function literal gomend cannot follow`;
  if (g.valueRefs.has(fn.key) || g.funcValues.has(fn.key)) return `${why}in a function also used as a value`;
  for (const k of callersOf(index, g, fn.key)) if (bodies.has(k)) return `${why}in a function called where the map is used, under the lock that call may hold`;
  const body = s.body;
  if (placed.some((e) => e.file === s.file.path && e.start >= body.startIndex && e.end <= body.endIndex)) return `${why}in a function that would hold the lock when it runs`;
  const args = callArgs(call);
  if (!stableArgs(index, args.slice(1), stmt.endIndex)) return `${why}whose arguments may change before it runs`;
  if (c.kind === 'field') {
    const root = s.operand ? operandRoot(s.operand) : null;
    if (!root || !stableAfter(index, root, stmt.endIndex)) return `${why}whose holder may change before it runs`;
  } else {
    const replaced = sites.find((o) => o.kind === 'write' && !o.index && !o.deferred && !o.initTime && o.body?.childForFieldName('name')?.text !== 'init' && !(o.expr.parent?.type === 'argument_list'));
    if (replaced) return `${why}while the map itself is replaced at line ${lineOf(replaced.file.source, replaced.expr.startIndex)}`;
  }
  const ind = indentAt(s.file.source, stmt.startIndex);
  const text = `defer func() {\n${ind}\t${lock}.Lock()\n${ind}\t${call.text}\n${ind}\t${lock}.Unlock()\n${ind}}()`;
  return { start: stmt.startIndex, end: stmt.endIndex, text, file: s.file.path };
}
