/**
 * Is a struct ever copied by value? A mutex field makes every copy a `go vet` copylocks failure
 * (and a copied lock guards nothing), so map-rwmutex adds one only to structs the package handles
 * through pointers: pointer receivers, `*T` parameters and results, `&T{…}` or `new(T)`, and
 * variables of type T that are only used as `x.f`, `x.m()` or `&x`. An exported struct gets one
 * too when the package hands it out only as `*T`: every method has a pointer receiver, nothing in
 * the package copies it, and a constructor returns `*T` (types of `package main` are never
 * exported: nothing imports them).
 */
import type { Node } from './tree.js';
import type { StructInfo } from './candidates.js';
import type { PackageIndex } from './model.js';
import { typeIdentsNamed } from './model.js';
import { declaredLocally } from './resolve.js';
import { descendants, enclosingFunction, innerExpr, lineOf, namedKids, outerExpr } from './syntax.js';

/** The file name of a path, as messages name a line: `file.go:12`. */
function baseOf(path: string): string {
  return path.split('/').pop() ?? path;
}

/** True when every use of the variable named `name` within `scope` keeps it addressed (`x.f`, `&x`). */
function usedByAddress(scope: Node, name: string, packageLevel: boolean): boolean {
  for (const id of descendants(scope, 'identifier')) {
    if (id.text !== name) continue;
    if (packageLevel && declaredLocally(id)) continue;
    const e = outerExpr(id);
    const p = e.parent;
    if (!p) continue;
    if (p.type === 'selector_expression' && p.childForFieldName('operand')?.equals(e)) continue;
    if (p.type === 'unary_expression' && p.childForFieldName('operator')?.text === '&') continue;
    if (p.type === 'var_spec' || (p.type === 'expression_list' && p.parent?.type === 'short_var_declaration' && p.parent.childForFieldName('left')?.equals(p))) continue;
    return false;
  }
  return true;
}

/** Names of variables of type `*T` declared in a function (receiver, parameters, locals). */
function pointerNames(fn: Node, typeName: string): Set<string> {
  const out = new Set<string>();
  const isPtr = (t: Node | null): boolean => {
    if (t?.type !== 'pointer_type') return false;
    let inner: Node | null = namedKids(t)[0] ?? null;
    if (inner?.type === 'generic_type') inner = inner.childForFieldName('type');
    return inner?.text === typeName;
  };
  for (const p of descendants(fn, ['parameter_declaration', 'var_spec'])) {
    if (isPtr(p.childForFieldName('type'))) for (const n of namedKids(p)) if (n.type === 'identifier') out.add(n.text);
  }
  for (const d of descendants(fn, 'short_var_declaration')) {
    const left = namedKids(d.childForFieldName('left'));
    const right = namedKids(d.childForFieldName('right'));
    right.forEach((r, i) => {
      const v = innerExpr(r);
      const amp = v?.type === 'unary_expression' && v.childForFieldName('operator')?.text === '&';
      const lit = amp ? innerExpr(v!.childForFieldName('operand')) : null;
      const litType = lit?.type === 'composite_literal' ? lit.childForFieldName('type') : null;
      const isNew = v?.type === 'call_expression' && v.childForFieldName('function')?.text === 'new' && namedKids(v.childForFieldName('arguments'))[0]?.text === typeName;
      if ((litType && (litType.text === typeName || litType.childForFieldName('type')?.text === typeName)) || isNew) {
        if (left[i]) out.add(left[i].text);
      }
    });
  }
  return out;
}

/** Why the struct may be copied by value, or undefined when it is only handled through pointers. */
export function copiedBy(index: PackageIndex, st: StructInfo): string | undefined {
  const T = st.name;
  for (const file of index.pkg.files) {
    for (const id of typeIdentsNamed(index, file, T)) {
      if (file === st.file && id.equals(st.typeSpec.childForFieldName('name')!)) continue;
      let use: Node = id;
      if (use.parent?.type === 'generic_type' && use.parent.childForFieldName('type')?.equals(use)) use = use.parent;
      const p = use.parent;
      const at = `${baseOf(file.path)}:${lineOf(file.source, id.startIndex)}`;
      if (!p) continue;
      if (p.type === 'pointer_type') continue;
      if (p.type === 'parameter_declaration') {
        const list = p.parent;
        const fn = list?.parent;
        if (fn?.type === 'method_declaration' && fn.childForFieldName('receiver')?.equals(list!)) {
          return `method ${fn.childForFieldName('name')?.text} has a value receiver`;
        }
        return `it is passed or returned by value at ${at}`;
      }
      if (p.type === 'composite_literal') {
        const outer = outerExpr(p);
        const q = outer.parent;
        if (q?.type === 'unary_expression' && q.childForFieldName('operator')?.text === '&') continue;
        const decl = q?.type === 'expression_list' ? q.parent : null;
        if (decl && (decl.type === 'short_var_declaration' || decl.type === 'var_spec')) {
          const left = namedKids(decl.childForFieldName(decl.type === 'var_spec' ? 'name' : 'left'));
          const names = decl.type === 'var_spec' ? [decl.childForFieldName('name')!] : left;
          const i = namedKids(q).findIndex((n) => n.equals(outer));
          const name = names[i]?.text;
          const fn = enclosingFunction(decl);
          if (name && name !== '_' && usedByAddress(fn ?? file.root, name, !fn)) continue;
        }
        return `a value of it is built at ${at} and may be copied`;
      }
      if (p.type === 'var_spec') {
        const fn = enclosingFunction(p);
        const name = p.childForFieldName('name')?.text ?? '';
        const scopes = fn ? [fn] : index.pkg.files.map((f) => f.root);
        if (scopes.every((s) => usedByAddress(s, name, !fn))) continue;
        return `variable ${name} of type ${T} is copied at or after ${at}`;
      }
      if (p.type === 'argument_list' && p.parent?.type === 'call_expression' && p.parent.childForFieldName('function')?.text === 'new') continue;
      if (p.type === 'slice_type' || p.type === 'array_type' || p.type === 'map_type' || p.type === 'channel_type') {
        return `it is held by value in a ${p.type.replace('_type', '')} type at ${at}`;
      }
      if (p.type === 'field_declaration' && p.children.some((k) => k.type === '*')) continue; // embedded as `*T`
      if (p.type === 'field_declaration') return `it is held by value in another struct at ${at}`;
      return `it is used by value at ${at}`;
    }
  }
  for (const file of index.pkg.files) {
    for (const fn of descendants(file.root, ['function_declaration', 'method_declaration', 'func_literal'])) {
      const ptrs = pointerNames(fn, T);
      if (ptrs.size === 0) continue;
      for (const u of descendants(fn, 'unary_expression')) {
        if (u.childForFieldName('operator')?.text !== '*') continue;
        const operand = innerExpr(u.childForFieldName('operand'));
        if (operand?.type !== 'identifier' || !ptrs.has(operand.text)) continue;
        const outer = outerExpr(u);
        if (outer.parent?.type === 'selector_expression' && outer.parent.childForFieldName('operand')?.equals(outer)) continue;
        return `it is copied by dereferencing ${operand.text} at ${baseOf(file.path)}:${lineOf(file.source, u.startIndex)}`;
      }
    }
  }
  return undefined;
}

/**
 * Why code outside the package may copy an exported struct, or undefined when it cannot (not
 * exported, `package main`) or is not expected to: the package hands it out through constructors
 * returning `*T` (the package's own copies are `copiedBy`'s to find).
 */
export function exportedCopies(index: PackageIndex, st: StructInfo): string | undefined {
  const T = st.name;
  if (!/^\p{Lu}/u.test(T) || index.pkg.name === 'main') return undefined;
  const constructors = index.decls.filter((f) => {
    if (f.isMethod || f.file.isTest) return false;
    const result = f.node.childForFieldName('result');
    if (!result) return false;
    const types = result.type === 'parameter_list' ? namedKids(result).map((p) => p.childForFieldName('type')) : [result];
    return types.some((t) => t?.type === 'pointer_type' && baseName(namedKids(t)[0] ?? null) === T);
  });
  if (constructors.length === 0) {
    return `${T} is exported and no function of the package returns a *${T}, so code outside the package builds its own values and may copy them; a copied mutex fails go vet's copylocks check (or copies a held lock)`;
  }
  return undefined;
}

/** `T` of `T` or `T[K]`. */
function baseName(t: Node | null): string | undefined {
  const n = t?.type === 'generic_type' ? t.childForFieldName('type') : t;
  return n?.type === 'type_identifier' ? n.text : undefined;
}
