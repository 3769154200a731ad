/**
 * Values that escape the lock. A slice or pointer read from the map under the lock still points to
 * memory the package writes in place (`m[k][i] = v`, `m[k].n++`, or the same through a local
 * holding `m[k]`); once it is returned or handed on, those writes race with its readers. The lock
 * cannot cover that, so it is reported without a fix. Appends alone (`m[k] = append(m[k], x)`)
 * never write what an earlier reader can see, so they do not count.
 */
import type { Finding } from '../../src/types.js';
import type { GoFile, Node } from './tree.js';
import type { MapCandidate } from './candidates.js';
import type { Site } from './sites.js';
import { descendants, enclosingFunction, innerExpr, lineOf, namedKids, outerExpr } from './syntax.js';

const BUILTINS = new Set(['len', 'cap', 'append', 'copy', 'delete', 'clear', 'min', 'max', 'print', 'println']);

/** Where a value flows out of its function: returned, passed to a call, or sent. */
function flowsOut(e: Node): string | undefined {
  const o = outerExpr(e);
  const p = o.parent;
  if (p?.type === 'expression_list' && p.parent?.type === 'return_statement') return 'returned';
  if (p?.type === 'send_statement' && p.childForFieldName('value')?.equals(o)) return 'sent on a channel';
  if (p?.type === 'argument_list') {
    const fn = innerExpr(p.parent?.childForFieldName('function') ?? null);
    if (fn?.type === 'identifier' && BUILTINS.has(fn.text)) return undefined;
    return `passed to ${fn?.text ?? 'a call'}`;
  }
  return undefined;
}

/** The local a read is stored in (`v := m[k]`, `v, ok := m[k]`, `var v = m[k]`). */
function storedIn(index: Node): string | undefined {
  const o = outerExpr(index);
  const list = o.parent;
  const stmt = list?.parent;
  if (list?.type !== 'expression_list' || !stmt) return undefined;
  if (stmt.type === 'short_var_declaration' && stmt.childForFieldName('right')?.equals(list)) return namedKids(stmt.childForFieldName('left'))[0]?.text;
  if (stmt.type === 'var_spec' && stmt.childForFieldName('value')?.equals(list)) return stmt.childForFieldName('name')?.text;
  return undefined;
}

/** Writes in place through a local `v` of function `fn`: `v[i] = …`, `v.f = …`, `*v = …`, `v.f++`. */
function writesThrough(fn: Node, name: string): Node | undefined {
  for (const id of descendants(fn, 'identifier')) {
    if (id.text !== name) continue;
    let n = outerExpr(id);
    let moved = false;
    for (;;) {
      const p = n.parent;
      if (!p) break;
      if ((p.type === 'index_expression' || p.type === 'selector_expression') && p.childForFieldName('operand')?.equals(n)) n = outerExpr(p);
      else if (p.type === 'unary_expression' && p.childForFieldName('operator')?.text === '*') n = outerExpr(p);
      else break;
      moved = true;
    }
    if (!moved) continue;
    const list = n.parent;
    if (list?.type === 'expression_list' && list.parent?.type === 'assignment_statement' && list.parent.childForFieldName('left')?.equals(list)) return n;
    if (n.parent?.type === 'inc_statement' || n.parent?.type === 'dec_statement') return n;
  }
  return undefined;
}

/** Report-only findings for values of the map that escape the lock while the package writes them in place. */
export function escapeFindings(c: MapCandidate, sites: Site[], file: GoFile): Finding[] {
  let inPlace: { file: GoFile; node: Node } | undefined;
  for (const s of sites) {
    if (s.inPlace) inPlace = inPlace ?? { file: s.file, node: s.expr };
    if (!inPlace && s.index && s.kind === 'read' && s.body) {
      const v = storedIn(s.index);
      const w = v && v !== '_' ? writesThrough(s.body, v) : undefined;
      if (w) inPlace = { file: s.file, node: w };
    }
  }
  if (!inPlace) return [];
  const where = `${inPlace.file.path}:${lineOf(inPlace.file.source, inPlace.node.startIndex)}`;
  const out: Finding[] = [];
  for (const s of sites) {
    if (s.file !== file || !s.index || s.kind !== 'read' || s.inPlace || !s.body) continue;
    const escapes: { node: Node; how: string }[] = [];
    const direct = flowsOut(s.index);
    if (direct) escapes.push({ node: s.index, how: direct });
    const v = storedIn(s.index);
    if (v && v !== '_') {
      for (const id of descendants(s.body, 'identifier')) {
        if (id.text !== v || id.startIndex <= s.index.endIndex || enclosingFunction(id)?.startIndex !== s.body.startIndex) continue;
        const how = flowsOut(id);
        if (how) escapes.push({ node: id, how });
      }
    }
    for (const e of escapes) {
      out.push({
        start: e.node.startIndex,
        end: e.node.endIndex,
        message: `a value read from map ${c.label} is ${e.how} at line ${lineOf(file.source, e.node.startIndex)} and escapes the lock, while the package writes into the map's values in place (${where}); not fixed: callers need a copy or their own synchronisation`,
      });
    }
  }
  return out;
}
