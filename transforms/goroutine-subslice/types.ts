/**
 * Type resolution from source, just enough to tell slices and arrays from strings.
 *
 * gomend has no type checker, so a slice operand's type is read from what the package's source
 * writes down: parameter types, `var` types, composite literals, `make`, conversions, struct
 * fields and package-level vars. Anything else is `unknown`, and the transform then reports instead
 * of fixing: `slices.Clone` of a string does not compile, and a guess is never good enough.
 */
import type { Node } from '../../src/types.js';
import { fields, kids } from '../../src/go/syntax.js';
import type { PkgIndex } from './pkgindex.js';
import { lookup, resolve } from './scope.js';
import type { Decl } from './scope.js';

/** What gomend knows about a type. `src` is the type node it was read from (for spelling it). */
export type Ty =
  | { kind: 'slice'; elem: Node | undefined; src: Node | undefined; named?: string }
  | { kind: 'array'; elem: Node | undefined; src: Node | undefined; named?: string }
  | { kind: 'pointer'; to: Ty }
  | { kind: 'string' }
  | { kind: 'struct'; fieldList: Node; named?: string }
  | { kind: 'map'; value: Node | undefined }
  | { kind: 'chan'; elem: Node | undefined }
  | { kind: 'other'; named?: string; external?: boolean }
  | { kind: 'unknown' };

const UNKNOWN: Ty = { kind: 'unknown' };
const BASIC = new Set([
  'bool', 'byte', 'rune', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64',
  'uintptr', 'float32', 'float64', 'complex64', 'complex128', 'error', 'any',
]);
const MAX_DEPTH = 12;

/** True when `name` is a type parameter of a generic function or type around `at`. */
export function isTypeParam(name: string, at: Node): boolean {
  for (let n: Node | null = at; n; n = n.parent) {
    const tps = n.childForFieldName('type_parameters');
    if (tps && kids(tps).some((d) => fields(d, 'name').some((x) => x.text === name))) return true;
    if (n.type === 'method_declaration') {
      const recv = n.childForFieldName('receiver');
      const args = recv ? recv.descendantsOfType('type_arguments') : [];
      if (args.some((a) => a?.descendantsOfType('type_identifier').some((t) => t?.text === name))) return true;
    }
  }
  return false;
}

/** The type a type node denotes. */
export function typeFromNode(node: Node | null | undefined, idx: PkgIndex, depth = 0, named?: string): Ty {
  if (!node || depth > MAX_DEPTH) return UNKNOWN;
  switch (node.type) {
    case 'slice_type':
      return { kind: 'slice', elem: node.childForFieldName('element') ?? undefined, src: node, named };
    case 'array_type':
    case 'implicit_length_array_type':
      return { kind: 'array', elem: node.childForFieldName('element') ?? undefined, src: node, named };
    case 'pointer_type':
      return { kind: 'pointer', to: typeFromNode(kids(node)[0], idx, depth + 1) };
    case 'parenthesized_type':
      return typeFromNode(kids(node)[0], idx, depth + 1, named);
    case 'struct_type': {
      const list = kids(node).find((c) => c.type === 'field_declaration_list');
      return list ? { kind: 'struct', fieldList: list, named } : UNKNOWN;
    }
    case 'map_type':
      return { kind: 'map', value: node.childForFieldName('value') ?? undefined };
    case 'channel_type':
      return { kind: 'chan', elem: node.childForFieldName('value') ?? undefined };
    case 'function_type':
    case 'interface_type':
      return { kind: 'other', named };
    case 'qualified_type':
      return { kind: 'other', named: node.text, external: true };
    case 'generic_type':
      return namedType(node.childForFieldName('type'), idx, depth);
    case 'type_identifier':
      return namedType(node, idx, depth);
    default:
      return UNKNOWN;
  }
}

function namedType(ident: Node | null, idx: PkgIndex, depth: number): Ty {
  if (!ident || ident.type !== 'type_identifier') return UNKNOWN;
  const name = ident.text;
  if (isTypeParam(name, ident)) return UNKNOWN;
  const spec = idx.types.get(name);
  if (spec) {
    const ty = typeFromNode(spec.childForFieldName('type'), idx, depth + 1, name);
    if (ty.kind === 'slice' || ty.kind === 'array') return { ...ty, src: ident };
    if (ty.kind === 'other' || ty.kind === 'unknown') return { kind: 'other', named: name };
    return ty;
  }
  if (name === 'string') return { kind: 'string' };
  if (BASIC.has(name)) return { kind: 'other' };
  return UNKNOWN;
}

/** The type of a declared name. */
export function typeOfDecl(d: Decl, idx: PkgIndex, depth = 0): Ty {
  if (depth > MAX_DEPTH) return UNKNOWN;
  switch (d.kind) {
    case 'param':
    case 'result':
    case 'receiver': {
      const t = typeFromNode(d.stmt.childForFieldName('type'), idx, depth + 1);
      if (d.stmt.type === 'variadic_parameter_declaration') return { kind: 'slice', elem: d.stmt.childForFieldName('type') ?? undefined, src: undefined };
      return t;
    }
    case 'var':
    case 'package-var': {
      const typeNode = d.stmt.childForFieldName('type');
      if (typeNode) return typeFromNode(typeNode, idx, depth + 1);
      const values = kids(d.stmt.childForFieldName('value'));
      return values.length === fields(d.stmt, 'name').length ? typeOfExpr(values[d.index], idx, depth + 1) : UNKNOWN;
    }
    case 'short': {
      const left = kids(d.stmt.childForFieldName('left'));
      const right = kids(d.stmt.childForFieldName('right'));
      return left.length === right.length ? typeOfExpr(right[d.index], idx, depth + 1) : UNKNOWN;
    }
    case 'range': {
      const over = typeOfExpr(d.stmt.childForFieldName('right'), idx, depth + 1);
      const base = over.kind === 'pointer' ? over.to : over;
      if (d.index === 1 && (base.kind === 'slice' || base.kind === 'array')) return typeFromNode(base.elem, idx, depth + 1);
      if (d.index === 1 && base.kind === 'map') return typeFromNode(base.value, idx, depth + 1);
      if (d.index === 0 && over.kind === 'chan') return typeFromNode(over.elem, idx, depth + 1);
      return over.kind === 'unknown' ? UNKNOWN : { kind: 'other' };
    }
    default:
      return UNKNOWN;
  }
}

/** The type of the field `name` of a struct type, looking through embedded structs. */
export function fieldType(ty: Ty, name: string, idx: PkgIndex, depth = 0): Ty {
  const base = ty.kind === 'pointer' ? ty.to : ty;
  if (base.kind !== 'struct' || depth > 4) return UNKNOWN;
  for (const decl of kids(base.fieldList)) {
    if (decl.type !== 'field_declaration') continue;
    const names = fields(decl, 'name');
    const typeNode = decl.childForFieldName('type');
    if (names.some((n) => n.text === name)) return typeFromNode(typeNode, idx, depth + 1);
    if (names.length === 0 && typeNode) {
      const embedded = typeFromNode(typeNode, idx, depth + 1);
      const hit = fieldType(embedded, name, idx, depth + 1);
      if (hit.kind !== 'unknown') return hit;
    }
  }
  return UNKNOWN;
}

/** The single result type of a package function called by `call`, if it declares one. */
function resultOf(call: Node, idx: PkgIndex, depth: number): Ty {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'identifier' || lookup(fn.text, fn, idx)?.kind !== 'package-other') return UNKNOWN;
  const decl = idx.funcs.get(fn.text);
  const result = decl?.childForFieldName('result');
  if (!result) return UNKNOWN;
  if (result.type !== 'parameter_list') return typeFromNode(result, idx, depth + 1);
  const params = kids(result);
  return params.length === 1 && fields(params[0], 'name').length <= 1 ? typeFromNode(params[0].childForFieldName('type'), idx, depth + 1) : UNKNOWN;
}

/** The type of an expression, as far as the source tells. */
export function typeOfExpr(expr: Node | null | undefined, idx: PkgIndex, depth = 0): Ty {
  if (!expr || depth > MAX_DEPTH) return UNKNOWN;
  switch (expr.type) {
    case 'identifier': {
      const d = resolve(expr, idx);
      return d ? typeOfDecl(d, idx, depth + 1) : UNKNOWN;
    }
    case 'parenthesized_expression':
      return typeOfExpr(kids(expr)[0], idx, depth + 1);
    case 'interpreted_string_literal':
    case 'raw_string_literal':
      return { kind: 'string' };
    case 'composite_literal':
      return typeFromNode(expr.childForFieldName('type'), idx, depth + 1);
    case 'type_conversion_expression':
      return typeFromNode(expr.childForFieldName('type'), idx, depth + 1);
    case 'call_expression': {
      const fn = expr.childForFieldName('function');
      const args = kids(expr.childForFieldName('arguments'));
      if (fn?.type === 'identifier' && !lookup(fn.text, fn, idx)) {
        if (fn.text === 'make') return typeFromNode(args[0], idx, depth + 1);
        if (fn.text === 'append') return typeOfExpr(args[0], idx, depth + 1);
        if (fn.text === 'string') return { kind: 'string' };
        if (fn.text === 'new') return { kind: 'pointer', to: typeFromNode(args[0], idx, depth + 1) };
      }
      return resultOf(expr, idx, depth);
    }
    case 'slice_expression': {
      const t = typeOfExpr(expr.childForFieldName('operand'), idx, depth + 1);
      const base = t.kind === 'pointer' ? t.to : t;
      if (base.kind === 'array') return { kind: 'slice', elem: base.elem, src: undefined };
      if (t.kind === 'slice' || t.kind === 'string') return t;
      return UNKNOWN;
    }
    case 'index_expression': {
      const t = typeOfExpr(expr.childForFieldName('operand'), idx, depth + 1);
      const base = t.kind === 'pointer' ? t.to : t;
      if (base.kind === 'slice' || base.kind === 'array') return typeFromNode(base.elem, idx, depth + 1);
      if (base.kind === 'map') return typeFromNode(base.value, idx, depth + 1);
      if (base.kind === 'string') return { kind: 'other' };
      return UNKNOWN;
    }
    case 'selector_expression': {
      const operand = expr.childForFieldName('operand');
      if (operand?.type === 'identifier' && !resolve(operand, idx)) return UNKNOWN; // an import
      return fieldType(typeOfExpr(operand, idx, depth + 1), expr.childForFieldName('field')?.text ?? '', idx, depth + 1);
    }
    case 'unary_expression': {
      const op = expr.childForFieldName('operator')?.text;
      const inner = typeOfExpr(expr.childForFieldName('operand'), idx, depth + 1);
      if (op === '&') return inner.kind === 'unknown' ? UNKNOWN : { kind: 'pointer', to: inner };
      if (op === '*') return inner.kind === 'pointer' ? inner.to : UNKNOWN;
      return UNKNOWN;
    }
    case 'binary_expression': {
      if (expr.childForFieldName('operator')?.text !== '+') return UNKNOWN;
      const l = typeOfExpr(expr.childForFieldName('left'), idx, depth + 1);
      return l.kind === 'string' ? l : typeOfExpr(expr.childForFieldName('right'), idx, depth + 1).kind === 'string' ? { kind: 'string' } : UNKNOWN;
    }
    default:
      return UNKNOWN;
  }
}

/** A slice, an array or a pointer to an array: things whose subslices share memory. */
export function isSliceLike(ty: Ty): boolean {
  return ty.kind === 'slice' || ty.kind === 'array' || (ty.kind === 'pointer' && ty.to.kind === 'array');
}

/**
 * True when subslices of this type are plain `[]byte`, so `bytes.Clone` returns the same type (a
 * named byte slice type would come back as `[]byte`, which a generic callee could tell apart).
 */
export function holdsBytes(ty: Ty, idx: PkgIndex): boolean {
  const base = ty.kind === 'pointer' ? ty.to : ty;
  if (base.kind !== 'array' && (base.kind !== 'slice' || base.named)) return false;
  const elem = base.elem;
  return !!elem && elem.type === 'type_identifier' && (elem.text === 'byte' || elem.text === 'uint8') && !idx.types.has(elem.text);
}
