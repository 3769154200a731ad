/**
 * Where the source writes the type of an expression, for code that must spell that type again
 * (a parameter added to a function literal): the model's types normalise spellings (`byte` is
 * `uint8`), the written type node keeps the author's.
 */
import type { SyntaxNode } from '../mirror.js';
import type { Model } from './model.js';
import { initOf, visibleAt } from './locals.js';
import { field, kids, unparen } from './syntax.js';

/** A written type: a type node, or the element type node of a slice (a variadic `...T`, a slice of an array). */
export type WrittenType = { node: SyntaxNode } | { elem: SyntaxNode };

/**
 * The type node the source gives `e`: the declaration of a variable (its type, or its initialiser's),
 * a composite literal's or conversion's type, `make`'s first argument, `append`'s first operand, a
 * struct field's declared type; a slice of an array gives the array's element type.
 */
export function writtenType(model: Model, e: SyntaxNode | null | undefined, depth = 0): WrittenType | undefined {
  if (!e || depth > 8) return undefined;
  e = unparen(e);
  const node = (n: SyntaxNode | undefined): WrittenType | undefined => (n ? { node: n } : undefined);
  switch (e.type) {
    case 'identifier': {
      const o = model.objectOf(e);
      const d = o?.decl;
      if (!o || o.kind !== 'var' || !d || o.pkg !== undefined) return undefined;
      if (d.type === 'variadic_parameter_declaration') {
        const t = field(d, 'type');
        return t ? { elem: t } : undefined;
      }
      if (d.type === 'parameter_declaration' || (d.type === 'var_spec' && field(d, 'type'))) return node(field(d, 'type'));
      return writtenType(model, initOf(o), depth + 1);
    }
    case 'composite_literal':
    case 'type_conversion_expression':
      return node(field(e, 'type'));
    case 'call_expression': {
      const fn = field(e, 'function');
      const args = kids(field(e, 'arguments'));
      const o = fn?.type === 'identifier' ? model.objectOf(fn) : undefined;
      if (o?.kind === 'builtin' && o.name === 'make') return node(args[0]);
      if (o?.kind === 'builtin' && o.name === 'append') return writtenType(model, args[0], depth + 1);
      return undefined;
    }
    case 'slice_expression': {
      const w = writtenType(model, field(e, 'operand'), depth + 1);
      const elem = w && 'node' in w ? arrayElem(w.node) : undefined;
      return elem ? { elem } : w;
    }
    case 'selector_expression': {
      const operand = field(e, 'operand');
      const name = field(e, 'field')?.text;
      if (!operand || !name) return undefined;
      const f = model.fieldOf(model.typeOf(operand), name)?.field?.node?.parent;
      return f?.type === 'field_declaration' ? node(field(f, 'type')) : undefined;
    }
    default:
      return undefined;
  }
}

/** The element type node of an array type node, or of a pointer to one. */
export function arrayElem(n: SyntaxNode): SyntaxNode | undefined {
  const a = n.type === 'pointer_type' ? kids(n)[0] : n;
  return a?.type === 'array_type' || a?.type === 'implicit_length_array_type' ? field(a, 'element') : undefined;
}

/**
 * True when a type node, copied to `at`, means the same type there: same file, on one line, and
 * no type parameter of a declaration that does not enclose `at`.
 */
export function spellableAt(model: Model, typeNode: SyntaxNode, at: SyntaxNode): boolean {
  if (typeNode.tree !== at.tree || typeNode.text.includes('\n')) return false;
  for (const t of typeNode.descendantsOfType('type_identifier')) {
    const o = model.objectOf(t);
    const tparam = o?.decl?.type === 'type_parameter_declaration' || o?.decl?.type === 'generic_type';
    if (o && tparam && !visibleAt(o, at)) return false;
  }
  return true;
}
