/**
 * map-value-append: a slice read from a map, grown with append, and never stored back.
 *
 * `v := m[k]` (also `v, ok := m[k]`, `var v = m[k]`, `if v, ok := m[k]; ok {…}` and the value of
 * `for k, v := range m`, through a struct field map too) copies the slice header out of the map. `v = append(v, x)` then either
 * allocates a new array, which the map never sees, or writes past the map's length into the array
 * the map still points at, where nobody sees it either (the map's header keeps the old length) until
 * the next append from someone else overwrites it. Unless `m[k] = v` follows, the update is lost;
 * the race detector cannot see it and no vet check reports it.
 *
 * Have:
 *
 *	list := g.members[team]
 *	for _, p := range people {
 *		list = append(list, p)
 *	}
 *
 *	for team, list := range g.members {
 *		list = append(list, tag)
 *	}
 *
 * Want:
 *
 *	list := g.members[team]
 *	for _, p := range people {
 *		list = append(list, p)
 *	}
 *	g.members[team] = list
 *
 *	for team, list := range g.members {
 *		list = append(list, tag)
 *		g.members[team] = list
 *	}
 *
 * The store goes right after the statement (of the block that declares the slice) holding the
 * last append. It is written only when the grown slice is dead after its first append (further
 * appends, index writes, `len`, `cap` and nil checks are fine; a slice that is read may be a
 * private temporary), when the map and key have no side effects and nothing reassigns them before
 * the store, and when no `break`, `continue` or `goto` after an append jumps past the store. A
 * `return` after an append is left as it is: that path lost the update before and still does.
 *
 * Reports without a fix: a grown slice that escapes (returned, passed on, stored or sent) from a
 * map the function did not make: the intent may be a private extended copy, and then the hazard is
 * the write into the map's shared array (suggest `slices.Clip`); a key with side effects or
 * reassigned before the store; a range loop without a key variable; a branch that would skip the
 * store. Leaves alone: code that already stores into `m[k]` after the append, appends to a copy
 * (`append([]T(nil), m[k]...)`, `slices.Clone(m[k])`), accumulators not read from a map, slices
 * captured by a function literal or whose address is taken, and values of slices (not maps).
 *
 * A map shared between goroutines needs its store-back under the same lock as the read: map-rwmutex
 * sees the new write on its next pass.
 */
import type { GoFile, PackageTransform, Pass } from '../../src/types.js';
import type { SyntaxNode as Node } from '../../src/mirror.js';
import type { Model, Obj } from '../../src/go/index.js';
import { isMap } from '../../src/go/index.js';
import { contains, enclosingFunc as funcOf, field, kids, sameNode as same, topLevelDecl } from '../../src/go/syntax.js';
import { assignedBy } from '../../src/go/assign.js';
import { flat, indentBefore, lineEnd } from '../../src/text.js';
/** Text every statement `selfAppend` accepts holds: `v = append(v`. */
const SELF_APPEND = /(?<![\p{L}\p{N}_.])([\p{L}_][\p{L}\p{N}_]*)\s*=\s*append\s*\(\s*\1(?![\p{L}\p{N}_])/gu;

/**
 * False when no variable of the file grown by `v = append(v, …)` can be one `sourceOf` accepts:
 * declared from an index expression (`v := m[k]`, `v, ok := m[k]`, `var v = m[k]`) or as the value
 * of a range (`for k, v := range m`). A file without such a pair is not parsed.
 */
function mayLoseAppend(source: string): boolean {
  const names = new Set([...source.matchAll(SELF_APPEND)].map((m) => m[1]));
  for (const v of names) {
    const declared = new RegExp(`(?<![\\p{L}\\p{N}_.])${v}\\s*(?:,\\s*[\\p{L}_][\\p{L}\\p{N}_]*\\s*)?:=[^;{}]*\\[|,\\s*${v}\\s*:=\\s*range\\b|\\bvar\\s+${v}\\b[^;{}]*=[^;{}]*\\[`, 'u');
    if (declared.test(source)) return true;
  }
  return false;
}

/**
 * False when the top-level declaration around an append declares no `name` the way `sourceOf`
 * needs (from an index expression, or as a range value): asked before any name is resolved.
 */
function mayReadFromMap(append: Node, name: string): boolean {
  const top = topLevelDecl(append) ?? append;
  for (const id of top.descendantsWhere('identifier', (_, text) => text === name)) {
    const list = id.parent;
    const stmt = list?.type === 'var_spec' ? list : list?.parent;
    if (stmt?.type === 'range_clause' && kids(stmt.childForFieldName('left'))[1] === id) return true;
    const values = stmt?.type === 'short_var_declaration' ? kids(stmt.childForFieldName('right')) : stmt?.type === 'var_spec' ? kids(stmt.childForFieldName('value')) : [];
    if (values.some((v) => v.type === 'index_expression')) return true;
  }
  return false;
}

/** `x = append(x, …)` with one identifier on each side: the identifier on the left, else undefined. */
function selfAppend(stmt: Node): Node | undefined {
  if (stmt.type !== 'assignment_statement' || stmt.childForFieldName('operator')?.text !== '=') return undefined;
  const [l, r] = [kids(stmt.childForFieldName('left')), kids(stmt.childForFieldName('right'))];
  if (l.length !== 1 || r.length !== 1 || l[0].type !== 'identifier' || r[0].type !== 'call_expression') return undefined;
  if (r[0].childForFieldName('function')?.text !== 'append') return undefined;
  const first = kids(r[0].childForFieldName('arguments'))[0];
  return first?.type === 'identifier' && first.text === l[0].text ? l[0] : undefined;
}

/** Where the slice came from: the map and key expressions and the block the store goes in. */
interface Source {
  decl: Node;          // the declaring identifier of the slice variable
  block: Node;         // the statement_list the store is inserted in
  after: number;       // statements of `block` that start before this are not candidates for S
  target: string;      // `m[k]` as it will be written
  map: Node;
  key: Node | undefined; // undefined: a range loop with `_` as its key
}

function sourceOf(model: Model, decl: Node, appends: Node[]): Source | undefined {
  // `var v = m[k]` has its names directly in the var_spec; the other forms in an expression list.
  const list = decl.parent;
  const stmt = list?.type === 'var_spec' ? list : list?.parent;
  if (!list || !stmt || (list.type !== 'expression_list' && list.type !== 'var_spec')) return undefined;
  if (stmt.type === 'range_clause') {
    const [k, v] = kids(stmt.childForFieldName('left'));
    const map = stmt.childForFieldName('right');
    const body = kids(stmt.parent?.childForFieldName('body'))[0];
    if (!same(v, decl) || !map || !body || !stmt.children.some((c) => c.type === ':=')) return undefined;
    if (!isMap(model.typeOf(map))) return undefined;
    const key = k.text === '_' ? undefined : k;
    return { decl, block: body, after: body.startIndex, target: `${map.text}[${k.text}]`, map, key };
  }
  let values: Node[];
  if (stmt.type === 'short_var_declaration') values = kids(stmt.childForFieldName('right'));
  else if (stmt.type === 'var_spec') values = kids(stmt.childForFieldName('value'));
  else return undefined;
  const names = list.type === 'var_spec' ? list.childrenForFieldName('name') : kids(list);
  const at = names.findIndex((n) => same(n, decl));
  const value = values.length === names.length ? values[at] : values.length === 1 && at === 0 ? values[0] : undefined;
  if (value?.type !== 'index_expression') return undefined;
  const map = value.childForFieldName('operand')!;
  if (!isMap(model.typeOf(map))) return undefined;
  const holder = stmt.type === 'var_spec' ? stmt.parent : stmt;
  let block = holder?.type === 'var_declaration' ? holder.parent : holder?.parent;
  // `if v, ok := m[k]; ok { … }`: the store goes in the branch that holds every append.
  if (block?.type === 'if_statement' && same(block.childForFieldName('initializer'), stmt)) {
    block = [block.childForFieldName('consequence'), block.childForFieldName('alternative')]
      .map((b) => (b?.type === 'block' ? kids(b)[0] : undefined))
      .find((b) => b && appends.every((a) => contains(b, a)));
  }
  if (!block || block.type !== 'statement_list') return undefined;
  return { decl, block, after: stmt.endIndex, target: value.text, map, key: value.childForFieldName('index') ?? undefined };
}

/**
 * What one later use of the slice variable does. `dead` uses keep the grown slice dead (further
 * appends, index writes, `len`, `cap`, nil checks); `read` uses read its contents (the grown slice
 * may be a private temporary: no fix); the others let it escape.
 */
type Use = 'append' | 'dead' | 'read' | 'reassign' | 'returned' | 'passed' | 'stored' | 'address';

function useOf(id: Node): Use {
  const p = id.parent!;
  const assign = assignedBy(id);
  if (assign) return selfAppend(assign) ? 'append' : 'reassign';
  if (p.type === 'argument_list') {
    const call = p.parent!;
    const fn = call.childForFieldName('function')?.text ?? '';
    const args = kids(p);
    if (fn === 'append' && same(args[0], id) && call.parent?.parent && selfAppend(call.parent.parent)) return 'append';
    if (fn === 'len' || fn === 'cap') return 'dead';
    if (fn === 'copy' && same(args[0], id)) return 'dead';
    return 'passed';
  }
  if (p.type === 'index_expression' && same(field(p, 'operand'), id)) return assignedBy(p) ? 'dead' : 'read';
  if (p.type === 'binary_expression' && [p.childForFieldName('left'), p.childForFieldName('right')].some((x) => x?.type === 'nil')) return 'dead';
  if (p.type === 'variadic_argument' || p.type === 'range_clause' || p.type === 'binary_expression' || p.type === 'slice_expression') return 'read';
  if (p.type === 'unary_expression' && p.childForFieldName('operator')?.text === '&') return 'address';
  if (p.type === 'expression_list' && p.parent?.type === 'return_statement') return 'returned';
  return 'stored';
}

/** The statement of `list` that holds `n`. */
function statementIn(list: Node, n: Node): Node | undefined {
  return kids(list).find((s) => contains(s, n));
}

/**
 * A break, continue or goto inside `region` that lands outside it. Anywhere in it, not only after
 * the first append: in a loop, a jump written before the append runs after it on the next turn.
 */
function jumpsOut(region: Node, func: Node): Node | undefined {
  for (const j of region.descendantsOfType(['break_statement', 'continue_statement', 'goto_statement'])) {
    if (j.type === 'goto_statement') return j;
    const label = kids(j)[0]?.text;
    let target: Node | undefined;
    for (let p = j.parent; p && p.id !== func.id; p = p.parent) {
      if (label ? p.type === 'labeled_statement' && kids(p)[0]?.text === label : p.type === 'for_statement' || (j.type === 'break_statement' && /^(expression_switch|type_switch|select)_statement$/.test(p.type))) {
        target = p;
        break;
      }
    }
    if (!target || !contains(region, target)) return j;
  }
  return undefined;
}

/** Lines like "list = append(list, p)": the place and text of the store after `stmt`. */
function storeAfter(source: string, stmt: Node, text: string): { at: number; text: string } {
  const eol = lineEnd(source, stmt.endIndex);
  const rest = source.slice(stmt.endIndex, eol).trim();
  if (rest === '' || rest.startsWith('//') || (/^\/\*.*\*\/\s*(\/\/.*)?$/.test(rest) && !rest.slice(2).includes('/*'))) return { at: eol, text: `\n${indentBefore(source, stmt.startIndex)}${text}` };
  return { at: stmt.endIndex, text: `; ${text}` };
}

function describe(use: Use): string {
  return use === 'returned' ? 'returned' : use === 'passed' ? 'passed on' : 'stored elsewhere';
}

function check(pass: Pass, file: GoFile, obj: Obj, decl: Node, appends: Node[]): void {
  const model = pass.model;
  const src = sourceOf(model, decl, appends);
  if (!src) return;
  const func = funcOf(decl);
  if (!func) return;
  const v = decl.text;
  const first = appends[0];
  const uses = model.usesOf(obj).filter((u) => u.startIndex > decl.endIndex);
  if (uses.some((u) => funcOf(u)?.id !== func.id)) return; // captured: someone else may store it
  const later = uses.filter((u) => u.startIndex >= first.startIndex).map((u) => ({ u, use: useOf(u) }));
  if (later.some((x) => x.use === 'address' || x.use === 'reassign')) return;
  if (later.some((x) => x.use === 'read') && !later.some((x) => x.use === 'returned' || x.use === 'passed' || x.use === 'stored')) return;
  // Already stores into m[k] (or writes m[k] some other way) after the first append.
  const target = flat(src.target);
  if (func.descendantsOfType('assignment_statement').some((a) => a.startIndex >= first.startIndex && kids(field(a, 'left')).some((l) => flat(l.text) === target))) return;
  const where = { start: first.startIndex, end: first.endIndex, file: file.path };
  const origin = src.key ? src.target : `the values of ${src.map.text}`;
  const escape = later.find((x) => x.use === 'returned' || x.use === 'passed' || x.use === 'stored');
  if (escape) {
    // A map made by this function shares its arrays with nobody else: the spare-capacity write is harmless.
    const local = src.map.type === 'identifier' ? model.objectOf(src.map) : undefined;
    if (local && local.kind === 'var' && !local.pkgLevel && !local.param) return;
    pass.report({
      ...where,
      message:
        `${v} is read from ${origin}, grown with append and then ${describe(escape.use)}: append may write into the ` +
        `array the map still holds, past its length; store it back if the map should see the new elements, or clip it ` +
        `before the append (\`${v} = slices.Clip(${v})\`) if the grown slice is meant to be private`,
    });
    return;
  }
  const lost = `${v} is read from ${origin} and grown with append, but never stored back: the map keeps the old slice and the new elements are lost`;
  const decline = (why: string) => pass.report({ ...where, message: `${lost}; not fixed: ${why}` });
  if (!src.key) return decline(`the range loop has no key variable to store it back under`);
  if (model.hasSideEffects(src.map) || model.hasSideEffects(src.key)) return decline(`the map or key expression has side effects`);
  const lastAppend = appends[appends.length - 1];
  const stmt = statementIn(src.block, lastAppend);
  if (!stmt || stmt.startIndex < src.after) return;
  // Names in the map and key expressions must mean the same thing at the store.
  const names = new Set([src.map, src.key].flatMap((n) => [n, ...n.descendantsOfType('identifier')]).filter((n) => n.type === 'identifier').map((n) => n.text));
  const region = { start: src.decl.endIndex, end: stmt.endIndex };
  for (const s of func.descendantsOfType(['assignment_statement', 'inc_statement', 'dec_statement', 'short_var_declaration', 'var_spec', 'unary_expression'])) {
    if (s.startIndex < region.start || s.endIndex > region.end) continue;
    const lhs = s.type === 'assignment_statement' || s.type === 'short_var_declaration' ? kids(s.childForFieldName('left'))
      : s.type === 'var_spec' ? kids(s).filter((n) => n.type === 'identifier')
      : s.type === 'unary_expression' ? (s.childForFieldName('operator')?.text === '&' ? [s.childForFieldName('operand')!] : [])
      : kids(s);
    for (const l of lhs) {
      let root: Node | null = l;
      while (root && root.type === 'selector_expression') root = root.childForFieldName('operand');
      if (root?.type === 'identifier' && names.has(root.text) && (l.type === 'identifier' || [src.map.text, src.key.text].some((t) => flat(t).startsWith(flat(l.text))))) {
        return decline(`${l.text} changes before the store`);
      }
    }
  }
  for (const call of func.descendantsOfType('call_expression')) {
    if (call.startIndex < region.start || call.endIndex > region.end) continue;
    const fn = call.childForFieldName('function')?.text;
    if ((fn === 'delete' || fn === 'clear') && flat(kids(call.childForFieldName('arguments'))[0]?.text ?? '') === flat(src.map.text)) {
      return decline(`${src.map.text} is changed by ${fn} before the store`);
    }
  }
  const firstStmt = statementIn(src.block, first);
  const jump = kids(src.block)
    .filter((st) => firstStmt && st.startIndex >= firstStmt.startIndex && st.endIndex <= stmt.endIndex)
    .map((st) => jumpsOut(st, func))
    .find((j) => j);
  if (jump) return decline(`the ${jump.type.replace('_statement', '')} at line ${jump.startPosition.row + 1} skips the place of the store`);
  const store = storeAfter(file.source, stmt, `${src.target} = ${v}`);
  pass.report({ ...where, message: lost, fix: { message: `Store ${v} back into ${src.target}`, edits: [pass.insert(file, store.at, store.text)] } });
}

export const mapValueAppend: PackageTransform = {
  name: 'map-value-append',
  description: 'store slices read from a map and grown with append back into the map',
  scope: 'package',
  mayMatch: (texts) => texts.some(mayLoseAppend),
  run(pass: Pass): void {
    const model = pass.model;
    for (const file of pass.files) {
      if (!mayLoseAppend(file.source)) continue;
      const byObj = new Map<Obj, Node[]>();
      for (const a of model.rootOf(file).descendantsOfType('assignment_statement')) {
        const id = selfAppend(a);
        if (!id || !mayReadFromMap(a, id.text)) continue;
        if (model.objectOf(kids(a.childForFieldName('right'))[0].childForFieldName('function')!)?.kind !== 'builtin') continue;
        const obj = model.objectOf(id);
        if (!obj?.ident || obj.kind !== 'var' || obj.pkgLevel) continue;
        byObj.set(obj, [...(byObj.get(obj) ?? []), a]);
      }
      for (const [obj, appends] of byObj) check(pass, file, obj, obj.ident!, appends);
    }
  },
};
