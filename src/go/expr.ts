/**
 * The type of an expression: literals, names, selectors (fields and methods, promoted through
 * embedding), calls (by signature; conversions; the built-ins), index, slice and map reads, type
 * assertions, composite literals, `&x`, `*p`, `<-ch`, operators and function literals.
 */
import type { SyntaxNode } from '../mirror.js';
import { exprList, field, hasToken, kids, unparen } from './syntax.js';
import { defaulted, signature, typeExpr } from './typeof.js';
import type { TypeEnv } from './typeof.js';
import { basic, pointer, typeString, underlying, unknown } from './types.js';
import type { Type } from './types.js';

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=', '&&', '||']);

/** True when `n` (an expression position) denotes a type rather than a value. */
export function denotesType(env: TypeEnv, n: SyntaxNode): boolean {
  n = unparen(n);
  switch (n.type) {
    case 'identifier':
    case 'type_identifier':
      return env.objectOf(n)?.kind === 'type';
    case 'selector_expression': {
      const op = field(n, 'operand');
      const po = op && env.objectOf(op);
      if (po?.kind !== 'pkgname') return false;
      const name = field(n, 'field')?.text ?? '';
      return env.externalType(po.pkg!, name) !== undefined;
    }
    case 'pointer_type':
    case 'slice_type':
    case 'array_type':
    case 'map_type':
    case 'channel_type':
    case 'function_type':
    case 'struct_type':
    case 'interface_type':
    case 'qualified_type':
    case 'generic_type':
      return true;
  }
  return false;
}

function builtinCall(env: TypeEnv, name: string, args: SyntaxNode[]): Type {
  switch (name) {
    case 'len':
    case 'cap':
    case 'copy':
      return basic('int');
    case 'make':
      return args[0] ? typeExpr(env, args[0]) : unknown('make');
    case 'new':
      return args[0] ? pointer(typeExpr(env, args[0])) : unknown('new');
    case 'append':
    case 'min':
    case 'max':
      return args[0] ? defaulted(env.typeOf(args[0])) : unknown(name);
    case 'recover':
      return { kind: 'interface', methods: [], embeds: [] };
    case 'real':
    case 'imag':
      return basic('float64');
    case 'complex':
      return basic('complex128');
  }
  return { kind: 'tuple', types: [] };
}

function mentionsTypeParam(t: Type, depth = 0): boolean {
  if (depth > 5) return false;
  switch (t.kind) {
    case 'typeparam':
      return true;
    case 'pointer':
    case 'slice':
    case 'array':
    case 'chan':
      return mentionsTypeParam(t.elem, depth + 1);
    case 'map':
      return mentionsTypeParam(t.key, depth + 1) || mentionsTypeParam(t.elem, depth + 1);
    case 'named':
      return (t.args ?? []).some((a) => mentionsTypeParam(a, depth + 1));
  }
  return false;
}

/** The result type of a call by the callee's signature (several results: a tuple). */
function callType(env: TypeEnv, n: SyntaxNode): Type {
  const fn = field(n, 'function');
  const args = kids(field(n, 'arguments') ?? n).filter((a) => a !== fn);
  if (!fn) return unknown('call');
  const f = unparen(fn);
  if (denotesType(env, f)) return typeExpr(env, f);
  if (f.type === 'identifier') {
    const o = env.objectOf(f);
    if (o?.kind === 'builtin') return builtinCall(env, o.name, field(n, 'arguments') ? kids(field(n, 'arguments')!) : []);
  }
  void args;
  const ft = underlying(env.typeOf(f));
  if (ft.kind !== 'func') return ft.kind === 'unknown' ? ft : unknown(`call of ${ft.kind}`);
  const rs = ft.results.map((r) => (mentionsTypeParam(r) ? unknown('generic result') : r));
  return rs.length === 1 ? rs[0] : { kind: 'tuple', types: rs };
}

/** See the module comment. Memoised by the model. */
export function exprType(env: TypeEnv, n: SyntaxNode): Type {
  switch (n.type) {
    case 'parenthesized_expression':
      return kids(n).length === 1 ? env.typeOf(kids(n)[0]) : unknown('parentheses');
    case 'int_literal':
      return basic('int', true);
    case 'float_literal':
      return basic('float64', true);
    case 'imaginary_literal':
      return basic('complex128', true);
    case 'rune_literal':
      return basic('rune', true);
    case 'interpreted_string_literal':
    case 'raw_string_literal':
      return basic('string', true);
    case 'true':
    case 'false':
      return basic('bool', true);
    case 'nil':
      return basic('nil', true);
    case 'iota':
      return basic('int', true);
    case 'field_identifier': {
      if (n.parent?.type === 'selector_expression') return env.typeOf(n.parent);
      const o = env.objectOf(n);
      return o ? env.typeOfObj(o) : unknown(`unresolved ${n.text}`);
    }
    case 'identifier': {
      const o = env.objectOf(n);
      if (!o) return unknown(`unresolved ${n.text}`);
      if (o.kind === 'type') return unknown(`${n.text} is a type`);
      return env.typeOfObj(o);
    }
    case 'selector_expression': {
      const op = field(n, 'operand');
      const name = field(n, 'field')?.text ?? '';
      if (!op) return unknown('selector');
      const po = unparen(op).type === 'identifier' ? env.objectOf(unparen(op)) : undefined;
      if (po?.kind === 'pkgname') return env.externalValue(po.pkg!, name) ?? unknown(`${po.pkg}.${name}`);
      if (denotesType(env, op)) {
        // A method expression: T.M is a function taking the receiver first.
        const t = typeExpr(env, op);
        const m = env.selection(t, name);
        if (m?.type.kind !== 'func') return unknown('method expression');
        return { ...m.type, params: [t, ...m.type.params] };
      }
      const t = env.typeOf(op);
      if (t.kind === 'unknown') return t;
      const sel = env.selection(t, name);
      if (sel) return sel.type;
      return unknown(`no field or method ${name} known in ${typeString(t)}`);
    }
    case 'call_expression':
      return callType(env, n);
    case 'type_conversion_expression': {
      const t = field(n, 'type');
      return t ? typeExpr(env, t) : unknown('conversion');
    }
    case 'index_expression': {
      const op = field(n, 'operand');
      if (!op) return unknown('index');
      const t = env.typeOf(op);
      let u = underlying(t);
      if (u.kind === 'pointer') u = underlying(u.elem);
      switch (u.kind) {
        case 'map':
        case 'slice':
        case 'array':
          return u.elem;
        case 'basic':
          return u.name === 'string' ? basic('uint8') : unknown('index of basic');
        case 'func':
          return unknown('generic instantiation');
      }
      return u.kind === 'unknown' ? u : unknown(`index of ${u.kind}`);
    }
    case 'slice_expression': {
      const op = field(n, 'operand');
      if (!op) return unknown('slice');
      const t = env.typeOf(op);
      const u = underlying(t);
      if (u.kind === 'array') return { kind: 'slice', elem: u.elem };
      if (u.kind === 'pointer') {
        const a = underlying(u.elem);
        return a.kind === 'array' ? { kind: 'slice', elem: a.elem } : unknown('slice of pointer');
      }
      if (u.kind === 'basic' && u.untyped) return basic('string');
      return t;
    }
    case 'type_assertion_expression': {
      const t = field(n, 'type');
      return t ? typeExpr(env, t) : unknown('type assertion');
    }
    case 'composite_literal': {
      const t = field(n, 'type');
      return t ? typeExpr(env, t) : unknown('literal without type');
    }
    case 'literal_value': {
      // `{...}` is a composite literal's body, or an element whose type the outer literal elides.
      const p = n.parent;
      if (p?.type === 'composite_literal') return env.typeOf(p);
      return p?.type === 'literal_element' ? elementType(env, p) : unknown('literal without type');
    }
    case 'func_literal':
      return signature(env, n);
    case 'unary_expression': {
      const op = field(n, 'operand');
      if (!op) return unknown('unary');
      const operator = field(n, 'operator')?.text ?? n.children[0]?.type;
      const t = env.typeOf(op);
      switch (operator) {
        case '&':
          return t.kind === 'unknown' ? t : pointer(t);
        case '*': {
          const u = underlying(t);
          return u.kind === 'pointer' ? u.elem : u.kind === 'unknown' ? u : unknown('dereference of non-pointer');
        }
        case '<-': {
          const u = underlying(t);
          return u.kind === 'chan' ? u.elem : u.kind === 'unknown' ? u : unknown('receive from non-channel');
        }
        case '!':
          return basic('bool', true);
      }
      return t;
    }
    case 'binary_expression': {
      const operator = field(n, 'operator')?.text ?? '';
      if (COMPARISONS.has(operator)) return basic('bool', true);
      const l = env.typeOf(field(n, 'left')!);
      if (operator === '<<' || operator === '>>') return l;
      if (l.kind === 'basic' && l.untyped) {
        const r = env.typeOf(field(n, 'right')!);
        return r.kind === 'basic' && r.untyped && l.name === 'int' ? r : r.kind === 'basic' && r.untyped ? l : r.kind === 'unknown' ? l : r;
      }
      return l;
    }
  }
  void exprList;
  void hasToken;
  return unknown(`expression ${n.type}`);
}

/** The type an elided element (a literal_element) takes inside the literal_value holding it. */
function elementType(env: TypeEnv, elem: SyntaxNode): Type {
  const lit = elem.parent?.type === 'keyed_element' ? elem.parent.parent : elem.parent;
  if (lit?.type !== 'literal_value') return unknown('literal');
  let u = underlying(env.typeOf(lit));
  if (u.kind === 'pointer') u = underlying(u.elem);
  const keyed = elem.parent?.type === 'keyed_element';
  const isKey = keyed && elem.parent!.namedChildren[0] === elem;
  let t: Type;
  if (u.kind === 'map') t = isKey ? u.key : u.elem;
  else if (u.kind === 'slice' || u.kind === 'array') t = u.elem;
  else return unknown('element of non-collection');
  // `[]*T{{...}}` means `&T{...}`: the element's type is `*T` either way.
  return t;
}
