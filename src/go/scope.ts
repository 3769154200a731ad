/**
 * Name resolution: one walk per file maps every identifier to the object it denotes, with Go's
 * scoping: package, file (imports), function (type parameters, receiver, parameters, results),
 * blocks, the implicit blocks of `if`/`for`/`switch`/`select` and their clauses, `:=` that
 * redeclares in the same scope, a variable's scope starting after its spec (`x := x + 1`), a type
 * switch's symbol declared once per clause, and closures (a function literal simply sees the
 * scopes around it). Field and method names after a dot are not resolved here: they need types
 * (see Model.objectOf).
 */
import type { MirrorTree, SyntaxNode, TypeTable } from '../mirror.js';
import type { FileInfo } from './decls.js';
import { Scope } from './objects.js';
import type { Obj } from './objects.js';
import { exprList, field, hasToken, kids } from './syntax.js';

export interface Resolution {
  /** Identifier (by `SyntaxNode.id`) → the object it refers to (declaring identifiers are in `defs`). */
  uses: Map<number, Obj>;
  /** Declaring identifier (by id) → the object it declares (the first clause's, for a type switch symbol). */
  defs: Map<number, Obj>;
  /** Uses of each object (identifiers by id), in the order the files were resolved. */
  usesOf: Map<Obj, number[]>;
  /** A type switch's symbol in each case clause (by the clause's id): one object however often the switch is resolved. */
  clauses?: Map<number, Obj>;
}

const SCOPED = new Set(['block', 'if_statement', 'for_statement', 'expression_switch_statement', 'select_statement', 'expression_case', 'default_case', 'communication_case', 'type_case']);
const NAMES = new Set(['identifier', 'type_identifier', 'package_identifier']);
/** Node types `walk` has a rule for (its switch); every other node is just descended through. */
const RULED = new Set(['comment', 'field_identifier', 'label_name', 'package_clause', 'import_declaration', 'function_declaration', 'method_declaration', 'func_literal', 'parameter_declaration', 'variadic_parameter_declaration', 'short_var_declaration', 'var_spec', 'const_spec', 'type_spec', 'type_alias', 'range_clause', 'receive_statement', 'type_switch_statement', 'labeled_statement', 'selector_expression']);

/** `walkAt`'s questions about a node's type, as masks over the type ids of a tree's table. */
interface Kinds {
  names: Uint8Array;
  /** Nodes with nothing to resolve in them (comments, field and label names, the package clause, imports). */
  skipped: Uint8Array;
  selector: Uint8Array;
  /** Every other node `walk` has a rule for, or that opens a scope. */
  ruled: Uint8Array;
  operand: number;
}

const kindsByTable = new WeakMap<TypeTable, Kinds>();
const SKIPPED: readonly string[] = ['comment', 'field_identifier', 'label_name', 'package_clause', 'import_declaration'];

function kindsOf(types: TypeTable): Kinds {
  let k = kindsByTable.get(types);
  if (!k) {
    const ruled = [...RULED, ...SCOPED].filter((t) => !SKIPPED.includes(t) && t !== 'selector_expression');
    k = { names: types.maskOf([...NAMES]), skipped: types.maskOf(SKIPPED), selector: types.maskOf('selector_expression'), ruled: types.maskOf(ruled), operand: types.fieldIds.get('operand') ?? -1 };
    kindsByTable.set(types, k);
  }
  return k;
}

/**
 * Resolves the identifiers of one file into `res`; with `only`, of that top-level declaration of
 * the file alone (top-level declarations see only the file and package scopes, so each can be
 * resolved by itself, in any order).
 */
export function resolveFile(info: FileInfo, res: Resolution, only?: SyntaxNode): void {
  const file = info.file;
  // Uses are kept by id: most identifiers never get a node object (see walkAt).
  const use = (id: number, o: Obj) => {
    res.uses.set(id, o);
    const list = res.usesOf.get(o);
    if (list) list.push(id);
    else res.usesOf.set(o, [id]);
  };
  const declare = (scope: Scope, ident: SyntaxNode, kind: Obj['kind'], decl: SyntaxNode, index: number, extra?: Partial<Obj>): Obj => {
    const existing = res.defs.get(ident.id);
    if (existing) {
      // Resolved before (a lazy model resolving the package again): the same object, in this walk's scope.
      if (!existing.pkgLevel) scope.declare(existing);
      return existing;
    }
    const o: Obj = { kind, name: ident.text, ident, decl, index, file, pkgLevel: false, ...extra };
    res.defs.set(ident.id, o);
    scope.declare(o);
    return o;
  };

  const typeParams = (list: SyntaxNode | undefined, scope: Scope) => {
    if (!list) return;
    for (const d of kids(list)) {
      if (d.type !== 'type_parameter_declaration') continue;
      d.childrenForFieldName('name').forEach((n, i) => declare(scope, n, 'type', d, i));
      const c = field(d, 'type');
      if (c) walk(c, scope);
    }
  };

  const params = (list: SyntaxNode | undefined, scope: Scope, role: Obj['param']) => {
    if (!list) return;
    const decls = list.type === 'parameter_list' ? kids(list) : [];
    for (const d of decls) {
      const t = field(d, 'type');
      if (t) walk(t, scope);
    }
    for (const d of decls) d.childrenForFieldName('name').forEach((n, i) => declare(scope, n, 'var', d, i, { param: role }));
    if (list.type !== 'parameter_list') walk(list, scope); // a single unnamed result type
  };

  const func = (n: SyntaxNode, scope: Scope) => {
    const fs = new Scope(scope, n);
    typeParams(field(n, 'type_parameters'), fs);
    if (n.type === 'method_declaration') {
      const recv = field(n, 'receiver');
      // Type parameters of a generic receiver (`func (l *List[T]) …`) are declared by it.
      for (const g of recv?.descendantsOfType('generic_type') ?? []) {
        const args = field(g, 'type_arguments');
        for (const te of args ? kids(args) : []) {
          const id = te.type === 'type_elem' ? kids(te)[0] : te;
          if (id?.type === 'type_identifier') declare(fs, id, 'type', g, 0);
        }
      }
      params(recv, fs, 'receiver');
    }
    params(field(n, 'parameters'), fs, 'param');
    params(field(n, 'result'), fs, 'result');
    const body = field(n, 'body');
    if (body) walk(body, new Scope(fs, body));
  };

  const walk = (n: SyntaxNode, scope: Scope): void => {
    const t = n.type;
    if (NAMES.has(t)) {
      if (res.defs.has(n.id)) return;
      const o = scope.lookup(n.text);
      if (o) use(n.id, o);
      return;
    }
    switch (t) {
      case 'comment':
      case 'field_identifier':
      case 'label_name':
      case 'package_clause':
      case 'import_declaration':
        return;
      case 'function_declaration':
      case 'method_declaration':
      case 'func_literal':
        func(n, scope);
        return;
      case 'parameter_declaration':
      case 'variadic_parameter_declaration': {
        // Outside a function's own signature (a func type): the names declare nothing.
        const ty = field(n, 'type');
        if (ty) walk(ty, scope);
        return;
      }
      case 'short_var_declaration': {
        for (const r of exprList(field(n, 'right'))) walk(r, scope);
        exprList(field(n, 'left')).forEach((l, i) => {
          if (l.type !== 'identifier') return walk(l, scope);
          const prev = scope.names.get(l.text);
          if (prev) use(l.id, prev);
          else declare(scope, l, 'var', n, i);
        });
        return;
      }
      case 'var_spec':
      case 'const_spec': {
        for (const c of kids(n)) if (c.type !== 'identifier' || field(n, 'type') === c) walk(c, scope);
        n.childrenForFieldName('name').forEach((id, i) => declare(scope, id, t === 'var_spec' ? 'var' : 'const', n, i));
        return;
      }
      case 'type_spec':
      case 'type_alias': {
        const name = field(n, 'name');
        if (name) declare(scope, name, 'type', n, 0);
        const inner = new Scope(scope, n);
        typeParams(field(n, 'type_parameters'), inner);
        const ty = field(n, 'type');
        if (ty) walk(ty, inner);
        return;
      }
      case 'range_clause':
      case 'receive_statement': {
        const right = field(n, 'right');
        if (right) walk(right, scope);
        const left = exprList(field(n, 'left'));
        if (hasToken(n, ':=')) left.forEach((l, i) => (l.type === 'identifier' ? declare(scope, l, 'var', n, i) : walk(l, scope)));
        else for (const l of left) walk(l, scope);
        return;
      }
      case 'type_switch_statement': {
        const s = new Scope(scope, n);
        const init = field(n, 'initializer');
        if (init) walk(init, s);
        const value = field(n, 'value');
        if (value) walk(value, s);
        const alias = exprList(field(n, 'alias'))[0];
        for (const c of kids(n)) {
          if (c.type !== 'type_case' && c.type !== 'default_case') continue;
          const cs = new Scope(s, c);
          if (alias) {
            const clauses = (res.clauses ??= new Map());
            let o = clauses.get(c.id);
            if (!o) clauses.set(c.id, (o = { kind: 'var', name: alias.text, ident: alias, decl: n, index: 0, file, pkgLevel: false, clause: c }));
            if (!res.defs.has(alias.id)) res.defs.set(alias.id, o);
            cs.declare(o);
          }
          for (const k of kids(c)) walk(k, cs);
        }
        return;
      }
      case 'labeled_statement':
        for (const k of kids(n)) if (k.type !== 'label_name') walk(k, scope);
        return;
      case 'selector_expression': {
        const op = field(n, 'operand');
        if (op) walk(op, scope);
        return;
      }
    }
    const inner = SCOPED.has(t) ? new Scope(scope, n) : scope;
    walkChildrenAt(n.tree, n.index, inner);
  };

  /**
   * The default case of `walk` over the mirror's arrays: a node with no rule of its own is only
   * descended through, so no node object is made for it (a large package has millions of such
   * nodes, and an object kept for each was most of the model's memory). Identifiers get an object
   * only when they resolve to something.
   */
  const walkAt = (tree: MirrorTree, i: number, scope: Scope): void => {
    const ty = tree.typeId[i];
    const k = kindsOf(tree.types);
    if (k.names[ty] === 1) {
      const id = tree.idBase + i;
      if (res.defs.has(id)) return;
      const o = scope.lookup(tree.source.slice(tree.start[i], tree.end[i]));
      if (o) use(id, o);
      return;
    }
    if (k.skipped[ty] === 1) return;
    // `x.f`: the operand only (the field needs types), found on the arrays.
    if (k.selector[ty] === 1) {
      for (let c = i + 1; c !== -1 && c < tree.subtreeEnd[i]; c = tree.nextSibling[c]) if (tree.fieldId[c] === k.operand) return walkAt(tree, c, scope);
      return;
    }
    if (k.ruled[ty] === 1) return walk(tree.node(i)!, scope);
    walkChildrenAt(tree, i, scope);
  };
  const walkChildrenAt = (tree: MirrorTree, i: number, scope: Scope): void => {
    if (i + 1 >= tree.subtreeEnd[i]) return;
    for (let c = i + 1; c !== -1; c = tree.nextSibling[c]) if (tree.types.named[tree.typeId[c]] ?? true) walkAt(tree, c, scope);
  };

  if (only) walkAt(only.tree, only.index, info.scope);
  else walkChildrenAt(info.root.tree, info.root.index, info.scope);
}
