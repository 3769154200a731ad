/**
 * map-clone: a copy of a struct (or of a map variable) whose map is then written.
 *
 * Assignment copies a map header, never the map. `c := *p` copies a struct whose map fields still
 * point at the maps `*p` holds, so writing `c.Limits[k]` writes the original too: the classic
 * configuration snapshot "copied" and modified, while other goroutines read the live one. The same
 * holds for a value receiver or parameter that is changed and returned, and for `m := cfg.Limits`.
 *
 * Have:
 *
 *	next := *current.Load()
 *	next.Limits[key] = n
 *	current.Store(&next)
 *
 * Want:
 *
 *	next := *current.Load()
 *	next.Limits = maps.Clone(next.Limits)
 *	next.Limits[key] = n
 *	current.Store(&next)
 *
 * Below Go 1.21 the clone is a `make` and range copy into a new variable, with the map's type
 * spelled as its field (or variable) declares it; when it cannot be spelled here (a generic
 * struct, a type of another file's imports) the finding is reported without a fix.
 *
 * A struct copy is fixed when it is written through a map field (`c.F[k] = v`, `c.F[k]++`,
 * `delete(c.F, k)`, `clear(c.F)`, also `c.Sub.F` through value fields) and the copy is then used
 * as a value (returned, stored, passed, its address taken): the copy is meant to be a new value,
 * and the write must not reach the original. The clone goes before the statement (of the block that
 * made the copy) holding the first write. A map variable copied from a package-level map or from a
 * field of a published snapshot (`cfg := x.Load()`), or whose source is read again after the write,
 * is cloned where it is copied (`h := maps.Clone(defaults)`) when it is then used as a value.
 *
 * Leaves alone: copies whose maps are only read, maps replaced (`c.F = make(…)`, `maps.Clone`)
 * before the write, writes through pointers (`c := p`), value receivers that write without
 * returning the copy (maps are references: that write is meant to reach the original), a local
 * alias of a local map, and a field aliased through a pointer (`m := p.Limits; m[k] = v`).
 *
 * The clone is shallow: maps and slices inside the map's values stay shared. A write through a
 * nested map (`c.F[a][b] = v`) is therefore reported without a fix.
 */
import type { Edit, GoFile, PackageTransform, Pass } from '../../src/types.js';
import type { SyntaxNode as Node } from '../../src/mirror.js';
import type { Model, Obj, Type } from '../../src/go/index.js';
import { identical, isMap, underlying } from '../../src/go/index.js';
import { ancestor, contains, enclosingFunc, field, fields, FUNC_TYPE_LIST, kids, lineStart, sameNode, unparen } from '../../src/go/syntax.js';
import { assignedBy } from '../../src/go/assign.js';
import { flat, indentBefore } from '../../src/text.js';
import { MAP_WRITE, mayWriteThrough, usesIn, writtenMap, writtenNames } from './writes.js';

const isStruct = (t: Type): boolean => underlying(t).kind === 'struct';

/** A write to a map reached through `path` (`c.Limits`): the statement and whether it is nested. */
interface Write {
  at: Node;
  path: Node; // the selector expression naming the map
  nested: boolean;
}

/** How a use of a variable after its write is used: as a whole value (published) or not. */
function published(n: Node): boolean {
  const p = n.parent!;
  if ((p.type === 'selector_expression' || p.type === 'index_expression') && sameNode(field(p, 'operand'), n)) return false;
  if (assignedBy(n)?.type === 'assignment_statement') return false;
  if (p.type === 'argument_list' && /^(len|delete|clear)$/.test((p.parent && field(p.parent, 'function')?.text) ?? '')) return false;
  return !(p.type === 'range_clause' && sameNode(field(p, 'right'), n));
}

/** `x = u` (one value each side): the text of `x` without blanks. */
function storedTo(u: Node): string | undefined {
  const list = u.parent;
  const a = list?.parent;
  if (list?.type !== 'expression_list' || a?.type !== 'assignment_statement' || !sameNode(field(a, 'right'), list)) return undefined;
  const l = kids(field(a, 'left'));
  return l.length === 1 && kids(list).length === 1 ? flat(l[0].text) : undefined;
}

/** The declared result types of a function, one per value. */
function resultTypes(model: Model, func: Node): Type[] {
  const r = field(func, 'result');
  if (!r) return [];
  if (r.type !== 'parameter_list') return [model.typeFromSyntax(r)];
  return kids(r).flatMap((pd) => Array(Math.max(1, fields(pd, 'name').length)).fill(model.typeFromSyntax(field(pd, 'type')!)));
}

/**
 * Whether a use of a copy after its write makes the copy a new value with a life of its own. A
 * return counts only as the function's own result type (`func (c T) With(…) T`): a copy returned
 * as an interface (`func (v visitor) Visit(…) ast.Visitor`) usually shares its maps on purpose.
 * Receivers and parameters count only by such a return; local copies also by their address or
 * being passed or stored.
 */
function publishes(model: Model, func: Node, u: Node, local: boolean): boolean {
  if (!published(u)) return false;
  const e = u.parent?.type === 'unary_expression' && field(u.parent, 'operator')?.text === '&' ? u.parent : u;
  const list = e.parent;
  if (list?.type === 'expression_list' && list.parent?.type === 'return_statement') {
    const want = resultTypes(model, func)[kids(list).findIndex((k) => k.id === e.id)];
    return !!want && identical(model.typeOf(e), want);
  }
  return local;
}

/** Statements (one a line) inserted before `stmt`, or joined with `;` when `stmt` shares its line. */
function insertBefore(pass: Pass, file: GoFile, stmt: Node, lines: string[]): Edit {
  const before = file.source.slice(lineStart(file.source, stmt.startIndex), stmt.startIndex);
  if (!/^\s*(\/\*.*?\*\/\s*)*$/.test(before)) return pass.insert(file, stmt.startIndex, `${lines.map((l) => l.trim()).join('; ').replace(/\{;/g, '{').replace(/; \}/g, ' }')}; `);
  const indent = indentBefore(file.source, stmt.startIndex);
  return pass.insert(file, stmt.startIndex, `${lines.join(`\n${indent}`)}\n${indent}`);
}

/** Names for the copy loop's key and value that `func` does not use: no shadowing to puzzle a reader. */
function loopNames(func: Node): [string, string] {
  const used = usedNames(func);
  for (const [k, v] of [['k', 'v'], ['key', 'val'], ['mk', 'mv']]) if (!used.has(k) && !used.has(v)) return [k, v];
  return [freshName(func, 'key'), freshName(func, 'val')];
}

const usedNames = (func: Node): Set<string> => new Set(func.descendantsOfType('identifier').map((n) => n.text));

/** A fresh name in `func`: `base`, else `baseCopy`, `baseCopy2`, … */
function freshName(func: Node, base: string): string {
  const used = usedNames(func);
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : i === 2 ? `${base}Copy` : `${base}Copy${i - 1}`;
    if (!used.has(name)) return name;
  }
}

/** `name := make(T, len(src))` and the range loop that fills it. */
function copyLoop(func: Node, name: string, typeText: string, src: string): string[] {
  const [k, v] = loopNames(func);
  return [`${name} := make(${typeText}, len(${src}))`, `for ${k}, ${v} := range ${src} {`, `\t${name}[${k}] = ${v}`, `}`];
}

/** The statements that copy `path` into a new map: `maps.Clone` at 1.21, `make` and range below. */
function cloneLines(pass: Pass, file: GoFile, func: Node, path: string, typeText: string | undefined, assign: (expr: string) => string): { lines: string[]; imports: Edit[] } | string {
  if (pass.atLeast(file, '1.21')) {
    const name = pass.importName(file, 'maps') ?? 'maps';
    const declared = pass.model.packageObject(name);
    const shadow = (!pass.importName(file, 'maps') && !!declared) || func.descendantsOfType('identifier').some((n) => n.text === name && pass.model.objectOf(n)?.kind !== 'pkgname');
    if (shadow) return `the name ${name} is taken in this package or function`;
    const imp = pass.ensureImport(file, 'maps');
    return { lines: [assign(`${name}.Clone(${path})`)], imports: imp ? [imp] : [] };
  }
  if (!typeText) return `the map's type cannot be spelled here for a make and range copy (maps.Clone needs Go 1.21)`;
  const base = path.slice(path.lastIndexOf('.') + 1);
  const name = freshName(func, base[0].toLowerCase() + base.slice(1));
  return { lines: [...copyLoop(func, name, typeText, path), assign(name)], imports: [] };
}

/** The declared type of a struct field or package variable, as text valid in `file`, if it is. */
function spelled(model: Model, file: GoFile, typeNode: Node | undefined, declFile: GoFile | undefined): string | undefined {
  if (!typeNode) return undefined;
  const text = typeNode.text;
  if (declFile && declFile.path !== file.path && text.includes('.')) return undefined;
  for (const id of typeNode.descendantsOfType('type_identifier')) {
    const o = model.objectOf(id);
    if (o && o.kind !== 'type') return undefined; // a type parameter or something shadowed
    if (o?.decl?.type === 'type_parameter_declaration') return undefined;
  }
  return text;
}

/** The field's declared type node, when the struct is declared in this package and not generic. */
function fieldTypeNode(model: Model, path: Node): { node: Node; file: GoFile | undefined } | undefined {
  const o = model.objectOf(field(path, 'field')!);
  const decl = o?.decl;
  if (!o || o.kind !== 'field' || !decl) return undefined;
  const spec = ancestor(decl, 'type_spec');
  if (!spec || field(spec, 'type_parameters')) return undefined;
  const t = field(decl, 'type');
  return t ? { node: t, file: o.file } : undefined;
}

/**
 * The local variable a struct is copied from (`c := s`), whose own copy of the maps matters only
 * while it is still used; undefined for copies of something that outlives the function (`*p`,
 * `x.f`, `xs[i]`, a package variable).
 */
function localSource(model: Model, rhs: Node): Obj | undefined {
  const id = unparen(rhs);
  const o = id.type === 'identifier' ? model.objectOf(id) : undefined;
  return o && !o.pkgLevel ? o : undefined;
}

function checkCopy(pass: Pass, file: GoFile, obj: Obj, copyStmt: Node | undefined, block: Node, uses: Node[], source?: Obj): void {
  const model = pass.model;
  const func = enclosingFunc(block);
  if (!func) return;
  const from = copyStmt ? copyStmt.endIndex : block.startIndex;
  const writes: Write[] = [];
  const replaced = new Map<string, number>();
  for (const u of uses) {
    if (u.startIndex < from) continue;
    // c.F… with value-struct steps, ending in a map field.
    let path: Node = u;
    while (path.parent?.type === 'selector_expression' && sameNode(field(path.parent, 'operand'), path) && isStruct(model.typeOf(path))) path = path.parent;
    if (path.id === u.id || !isMap(model.typeOf(path))) continue;
    const assign = assignedBy(path);
    if (assign?.type === 'assignment_statement') {
      const key = flat(path.text);
      if (!replaced.has(key)) replaced.set(key, assign.startIndex);
      continue;
    }
    for (let s: Node | null = path.parent; s && s.id !== func.id; s = s.parent) {
      const hit = writtenMap(s).find((w) => contains(w.map, path) && (w.map.id === path.id || w.nested));
      if (hit) {
        writes.push({ at: s, path, nested: hit.nested || hit.map.id !== path.id });
        break;
      }
      if (!/^(index_expression|argument_list|expression_list|parenthesized_expression)$/.test(s.type)) break;
    }
  }
  if (writes.length === 0) return;
  const firstWrite = writes[0];
  if (enclosingFunc(firstWrite.at)?.id !== func.id) return;
  // Published after the write: returned, stored, passed, address taken (a bare return of a named result too).
  const after = uses.filter((u) => u.startIndex > firstWrite.at.endIndex);
  const bare = obj.param === 'result' && func.descendantsOfType('return_statement').some((r) => r.startIndex > firstWrite.at.endIndex && kids(r).length === 0);
  if (!bare && !after.some((u) => publishes(model, func, u, !!copyStmt))) return;
  if (source && !model.usesOf(source).some((u) => u.startIndex > firstWrite.at.endIndex)) return; // a rename of a local value
  // Read, modified and written back (`g := m[k]; …; m[k] = g`): the copy replaces the original.
  const origin = copyStmt && kids(field(copyStmt, copyStmt.type === 'var_spec' ? 'value' : 'right'))[0];
  if (origin && after.some((u) => storedTo(u) === flat(origin.text))) return;
  const seen = new Set<string>();
  for (const w of writes) {
    const key = flat(w.path.text);
    if (seen.has(key)) continue;
    seen.add(key);
    const rep = replaced.get(key);
    if (rep !== undefined && rep < w.at.startIndex) continue;
    const what = `${obj.name} is a copy of a struct, but a copy shares its maps: writing ${w.path.text} writes the map the original still holds`;
    const where = { start: w.at.startIndex, end: w.at.endIndex, file: file.path };
    if (w.nested) {
      pass.report({ ...where, message: `${what}; not fixed: the write goes through a map or slice nested in its values, which a shallow clone would still share` });
      continue;
    }
    const stmt = kids(block).find((s) => contains(s, w.at));
    if (!stmt || enclosingFunc(w.at)?.id !== func.id || stmt.startIndex < from) continue;
    const ft = fieldTypeNode(model, w.path);
    const lines = cloneLines(pass, file, func, w.path.text, ft && spelled(model, file, ft.node, ft.file), (e) => `${w.path.text} = ${e}`);
    if (typeof lines === 'string') {
      pass.report({ ...where, message: `${what}; not fixed: ${lines}` });
      continue;
    }
    const edit = insertBefore(pass, file, stmt, lines.lines);
    pass.report({ ...where, message: what, fix: { message: `Clone ${w.path.text} before writing it`, edits: [edit, ...lines.imports] } });
  }
}

/** `x := SRC` of a map read from a package-level map or a shared struct: clone it when written and published. */
function checkAlias(pass: Pass, file: GoFile, obj: Obj, spec: Node, src: Node, uses: Node[]): void {
  const model = pass.model;
  const func = enclosingFunc(spec);
  if (!func || !isMap(model.typeOf(src))) return;
  let root: Node = src;
  while (root.type === 'selector_expression') root = field(root, 'operand')!;
  const rootObj = root.type === 'identifier' ? model.objectOf(root) : undefined;
  let shared = false;
  let typeInfo: { node: Node; file: GoFile | undefined } | undefined;
  if (src.type === 'identifier') {
    if (!rootObj || rootObj.kind !== 'var' || !rootObj.pkgLevel) return;
    shared = true;
    const d = rootObj.decl;
    const lit = d && kids(field(d, 'value'))[rootObj.index];
    const t = (d && field(d, 'type')) ?? (lit?.type === 'composite_literal' ? field(lit, 'type') : undefined);
    typeInfo = t ? { node: t, file: rootObj.file } : undefined;
  } else if (src.type === 'selector_expression') {
    if (!rootObj || rootObj.kind !== 'var') return;
    const rootDecl = rootObj.decl;
    const init = rootDecl && rootDecl.type === 'short_var_declaration' ? kids(field(rootDecl, 'right'))[rootObj.index] : undefined;
    shared = /\.Load\(\)$/.test(init?.text ?? '') || src.text.includes('.Load().') || rootObj.pkgLevel;
    typeInfo = fieldTypeNode(model, src);
  } else return;
  const writes = uses.filter((u) => {
    for (let s: Node | null = u.parent; s && s.id !== func.id; s = s.parent) {
      if (writtenMap(s).some((w) => w.map.id === u.id)) return true;
      if (!/^(index_expression|argument_list|expression_list)$/.test(s.type)) return false;
    }
    return false;
  });
  if (writes.length === 0 || uses.some((u) => enclosingFunc(u)?.id !== func.id)) return;
  const first = writes[0];
  if (uses.some((u) => u.startIndex > spec.endIndex && u.startIndex < first.startIndex && assignedBy(u)?.type === 'assignment_statement')) return;
  if (!uses.some((u) => u.startIndex > first.endIndex && published(u))) return;
  if (uses.some((u) => storedTo(u) === flat(src.text))) return; // written back where it came from
  if (!shared && !func.descendantsOfType(src.type).some((n) => n.startIndex > first.endIndex && n.text === src.text)) return;
  const what = `${obj.name} is the map ${src.text} itself, not a copy: writing ${obj.name} writes ${src.text}, which is still read elsewhere`;
  const where = { start: first.startIndex, end: first.endIndex, file: file.path };
  const typeText = typeInfo && spelled(model, file, typeInfo.node, typeInfo.file);
  if (pass.atLeast(file, '1.21')) {
    const lines = cloneLines(pass, file, func, src.text, typeText, (e) => e);
    if (typeof lines === 'string') return pass.report({ ...where, message: `${what}; not fixed: ${lines}` });
    return pass.report({ ...where, message: what, fix: { message: `Clone ${src.text} into ${obj.name}`, edits: [pass.edit(file, src.startIndex, src.endIndex, lines.lines[0]), ...lines.imports] } });
  }
  if (!typeText || spec.type !== 'short_var_declaration') return pass.report({ ...where, message: `${what}; not fixed: the map's type cannot be spelled here for a make and range copy (maps.Clone needs Go 1.21)` });
  const text = copyLoop(func, obj.name, typeText, src.text).join(`\n${indentBefore(file.source, spec.startIndex)}`);
  pass.report({ ...where, message: what, fix: { message: `Copy ${src.text} into ${obj.name}`, edits: [pass.edit(file, spec.startIndex, spec.endIndex, text)] } });
}

function scanFunc(pass: Pass, file: GoFile, func: Node): void {
  const model = pass.model;
  if (!MAP_WRITE.test(file.source.slice(func.startIndex, func.endIndex))) return;
  const written = writtenNames(func);
  if (written.size === 0) return;
  const body = kids(field(func, 'body'))[0];
  if (!body) return;
  // A value receiver is a copy made by the call (a value parameter too, but that one was handed
  // over: the caller's copy is usually not used again, so it is left alone).
  for (const pd of kids(field(func, 'receiver'))) {
    for (const id of fields(pd, 'name')) {
      const o = written.has(id.text) ? model.objectOf(id) : undefined;
      if (o && mayWriteThrough(usesIn(model, func, o), body.startIndex) && isStruct(model.typeOf(id))) checkCopy(pass, file, o, undefined, body, model.usesOf(o));
    }
  }
  for (const stmt of func.descendantsOfType(['short_var_declaration', 'var_spec', 'assignment_statement'])) {
    if (enclosingFunc(stmt)?.id !== func.id) continue;
    const left = stmt.type === 'var_spec' ? fields(stmt, 'name') : kids(field(stmt, 'left'));
    const right = kids(field(stmt, stmt.type === 'var_spec' ? 'value' : 'right'));
    if (left.length !== 1 || right.length !== 1 || left[0].type !== 'identifier') continue;
    if (stmt.type === 'assignment_statement' && field(stmt, 'operator')?.text !== '=') continue;
    if (!written.has(left[0].text)) continue;
    const o = model.objectOf(left[0]);
    if (!o || o.kind !== 'var') continue;
    const rhs = right[0];
    const block = stmt.type === 'var_spec' ? stmt.parent?.parent : stmt.parent;
    if (!block || block.type !== 'statement_list') continue;
    const copied = (rhs.type === 'unary_expression' && field(rhs, 'operator')?.text === '*') || /^(identifier|selector_expression|index_expression|parenthesized_expression)$/.test(rhs.type);
    if (!copied || !mayWriteThrough(usesIn(model, func, o), stmt.endIndex)) continue;
    const t = model.typeOf(left[0]);
    if (isStruct(t)) checkCopy(pass, file, o, stmt, block, model.usesOf(o), localSource(model, rhs));
    else if (stmt.type !== 'assignment_statement' && isMap(t) && (rhs.type === 'identifier' || rhs.type === 'selector_expression')) {
      checkAlias(pass, file, o, stmt.type === 'var_spec' ? stmt.parent! : stmt, rhs, model.usesOf(o));
    }
  }
}

export const mapClone: PackageTransform = {
  name: 'map-clone',
  description: 'clone the maps of a struct copy (or a copied map variable) before writing them',
  scope: 'package',
  mayMatch: (texts) => texts.some((t) => t.includes('map[')) && texts.some((t) => MAP_WRITE.test(t)),
  run(pass: Pass): void {
    for (const file of pass.files) {
      if (!MAP_WRITE.test(file.source)) continue;
      for (const func of pass.model.rootOf(file).descendantsOfType(FUNC_TYPE_LIST)) scanFunc(pass, file, func);
    }
  },
};
