/**
 * Map writes as map-clone sees them: which statements write a map in place (`x[k] = v`,
 * `x[k]++`, `delete(x, k)`, `clear(x)`), and the cheap tests built on them that decide which
 * files, functions and variables are worth a type question at all.
 */
import type { SyntaxNode as Node } from '../../src/mirror.js';
import type { Model, Obj } from '../../src/go/index.js';
import { contains, field, kids } from '../../src/go/syntax.js';

/**
 * Text any statement `writtenMap` finds holds (`x[k] =`, `x[k] += `, `x[k]++`, `a[k], b =`,
 * `delete(`, `clear(`): a file or function without it writes no map, so nothing in it is looked at.
 */
export const MAP_WRITE = /\]\s*(?:,|[-+*/%&|^<>]*=(?!=)|\+\+|--)|\b(?:delete|clear)\s*\(/;

/** The map written by `stmt`, if it writes one: `x[k] = v`, `x[k]++`, `delete(x, k)`, `clear(x)`. */
export function writtenMap(stmt: Node): { map: Node; nested: boolean }[] {
  const out: { map: Node; nested: boolean }[] = [];
  const indexTarget = (l: Node) => {
    if (l.type !== 'index_expression') return;
    let m = field(l, 'operand')!;
    let nested = false;
    while (m.type === 'index_expression') {
      m = field(m, 'operand')!;
      nested = true;
    }
    out.push({ map: m, nested });
  };
  if (stmt.type === 'assignment_statement') kids(field(stmt, 'left')).forEach(indexTarget);
  else if (stmt.type === 'inc_statement' || stmt.type === 'dec_statement') kids(stmt).forEach(indexTarget);
  else if (stmt.type === 'call_expression') {
    const fn = field(stmt, 'function')?.text;
    const first = kids(field(stmt, 'arguments'))[0];
    if ((fn === 'delete' || fn === 'clear') && first) out.push({ map: first, nested: first.type === 'index_expression' });
  }
  return out;
}

/**
 * True when some use of a variable at or after `from` may write a map in place through it (`v[k] =`,
 * `v.f[k] =`, `delete(v.f.g, k)`): the syntax both checks need before they ask any type. A
 * variable no write goes through is no hazard whatever its type, and most are such.
 */
export function mayWriteThrough(uses: Node[], from: number): boolean {
  // Both checks take the first write in the function being scanned: a write elsewhere is no reason.
  return uses.some((u) => {
    if (u.startIndex < from) return false;
    for (let s: Node | null = u.parent; s; s = s.parent) {
      if (writtenMap(s).some((w) => contains(w.map, u))) return true;
      if (!/^(selector_expression|index_expression|argument_list|expression_list|parenthesized_expression)$/.test(s.type)) return false;
    }
    return false;
  });
}

/** The uses of `o` inside `func` (without resolving the rest of the package, as `usesOf` may). */
export function usesIn(model: Model, func: Node, o: Obj): Node[] {
  return func.descendantsWhere('identifier', (_, text) => text === o.name).filter((n) => n !== o.ident && model.objectOf(n) === o);
}

/** The names inside the maps `func` writes (`c` and `m` of `c.m[k] = v`): a variable named otherwise writes no map through itself here. */
export function writtenNames(func: Node): Set<string> {
  const out = new Set<string>();
  for (const s of func.descendantsOfType(['assignment_statement', 'inc_statement', 'dec_statement', 'call_expression'])) {
    for (const w of writtenMap(s)) {
      if (w.map.type === 'identifier') out.add(w.map.text);
      for (const id of w.map.descendantsOfType('identifier')) out.add(id.text);
    }
  }
  return out;
}

