/**
 * Classifies each reference to a candidate map. A split is sound only when every reference is one
 * of: a write `m[k] = v` whose value type is known; a read through a type assertion (`m[k].(T)`,
 * `v, ok := m[k].(T)`, or `v := m[k]` whose every later use is `v.(T)`); `delete`, `clear` or `len`;
 * or a reset `m = make(…)` / `m = map…{…}`. Anything else returns the reason gomend declines.
 */
import type { GoFile, Node } from '../../src/types.js';
import { initMapType } from './candidates.js';
import { canonType, isConcrete, predeclared } from './gotypes.js';
import type { GoType } from './gotypes.js';
import { interfaceTypeOf, storedType } from './infer.js';
import { where } from './refs.js';
import type { Ref } from './refs.js';
import { redeclares, resolveLocal, sameNode } from './scope.js';
import type { PkgIndex } from './symbols.js';
import { keyOf } from './keys.js';
import type { Key } from './keys.js';

/** One `key: value` of a map literal, with the type its value stores. */
export interface Entry {
  node: Node;
  key: Key;
  type: GoType;
}

/** Text removed by a typed read (an assertion `.(T)`); `keep` holds comments found inside it. */
export interface Cut {
  start: number;
  end: number;
  keep: string;
}

/** The cut of `[start, end)` inside `within`, keeping any block comments in it (refusing line comments). */
function cut(within: Node, start: number, end: number): Cut | string {
  const comments = within.descendantsOfType('comment').filter((c): c is Node => !!c && c.startIndex >= start && c.endIndex <= end);
  if (comments.some((c) => c.text.startsWith('//'))) return 'a line comment sits inside a type assertion';
  return { start, end, keep: comments.map((c) => ` ${c.text}`).join('') };
}

/** How a map is (re)initialised: `make(M[, hint])` or a literal `M{…}`. */
export interface Init {
  file: GoFile;
  node: Node;
  form: 'make' | 'literal';
  hint?: Node;
  entries: Entry[];
}

/** A classified reference: what it does with the map, and what the rewrite needs to know. */
export type Use =
  | { kind: 'write'; ref: Ref; key: Key; type: GoType }
  | { kind: 'read'; ref: Ref; key: Key; type: GoType; cuts: Cut[] }
  | { kind: 'each'; ref: Ref; op: 'delete' | 'clear'; stmt: Node; call: Node; key?: Node }
  | { kind: 'len'; ref: Ref; call: Node }
  | { kind: 'nilcheck'; ref: Ref }
  | { kind: 'reset'; ref: Ref; stmt: Node; init: Init };

/** Parses an initialiser of the map; a string is the reason it cannot be split. */
export function parseInit(idx: PkgIndex, file: GoFile, e: Node): Init | string {
  if (!initMapType(idx, e)) return `it is assigned ${short(e.text)} (${where(file, e)}), which is neither make nor a map literal`;
  if (e.type === 'call_expression') {
    const args = e.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => !!a) ?? [];
    if (args.length > 2) return `make has too many arguments (${where(file, e)})`;
    return { file, node: e, form: 'make', hint: args[1], entries: [] };
  }
  const entries: Entry[] = [];
  for (const el of e.childForFieldName('body')?.namedChildren ?? []) {
    if (!el || el.type === 'comment') continue;
    if (el.type !== 'keyed_element') return `its literal has an element without a key (${where(file, el)})`;
    const keyNode = el.childForFieldName('key')?.namedChildren[0];
    const valueNode = el.childForFieldName('value')?.namedChildren[0];
    if (!keyNode || !valueNode) return `its literal has an element gomend cannot read (${where(file, el)})`;
    const type = storedType(idx, file, valueNode);
    if (!type) return `its literal stores ${unknownValue(idx, file, valueNode)} (${where(file, valueNode)})`;
    entries.push({ node: el, key: keyOf(idx, file, keyNode), type });
  }
  return { file, node: e, form: 'literal', entries };
}

/** Why a written value's type is not usable: an interface type, or not known. */
function unknownValue(idx: PkgIndex, file: GoFile, v: Node): string {
  const i = interfaceTypeOf(idx, file, v);
  if (i) return `${short(v.text)} of interface type ${i.spelled.replace(/"([^"]*)"\./g, (_, p: string) => `${p.split('/').pop()}.`)}, whose dynamic type is unknown`;
  return `${short(v.text)}, a value of unknown type`;
}

/** An expression shortened to one line for messages. */
export function short(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 37)}...` : one;
}

/** What a whole-map use does, for the message: serialised, printed, reflected, passed. */
function wholeUse(file: GoFile, call: Node): string {
  const fn = call.childForFieldName('function')?.text ?? '';
  const at = where(file, call);
  if (/^(json|xml|gob|yaml|toml)\.|Marshal|Encode/.test(fn)) return `it is serialised whole by ${fn} (${at})`;
  if (/^(fmt|log|slog)\.|^print(ln)?$/.test(fn)) return `it is printed whole by ${fn} (${at})`;
  if (/^reflect\./.test(fn)) return `it is reflected on whole by ${fn} (${at})`;
  if (/Execute/.test(fn)) return `it is passed whole to a template by ${fn} (${at})`;
  return `it is passed whole to ${short(fn)} (${at})`;
}

/** Classifies one reference. */
export function classify(idx: PkgIndex, ref: Ref): Use | string {
  const e = ref.expr;
  const p = e.parent;
  const at = where(ref.file, e);
  if (!p) return `it is used in a way gomend does not know (${at})`;
  if (p.type === 'index_expression' && sameNode(p.childForFieldName('operand'), e)) return classifyIndex(idx, ref, p);
  if (p.type === 'argument_list' && p.parent?.type === 'call_expression') {
    const call = p.parent;
    const fn = call.childForFieldName('function');
    const args = p.namedChildren.filter((a): a is Node => !!a);
    const builtin = fn?.type === 'identifier' && predeclared(idx, fn.text, fn) ? fn.text : undefined;
    if (sameNode(args[0], e) && call.parent?.type === 'expression_statement') {
      if (builtin === 'delete' && args.length === 2) return { kind: 'each', ref, op: 'delete', stmt: call.parent, call, key: args[1] };
      if (builtin === 'clear' && args.length === 1) return { kind: 'each', ref, op: 'clear', stmt: call.parent, call };
    }
    if (builtin === 'len' && args.length === 1) return { kind: 'len', ref, call };
    if (builtin === 'delete' || builtin === 'clear') return `${builtin} (${at}) is not a statement of its own`;
    return wholeUse(ref.file, call);
  }
  if (p.type === 'expression_list' && p.parent?.type === 'assignment_statement' && sameNode(p.parent.childForFieldName('left'), p)) {
    const stmt = p.parent;
    const right = stmt.childForFieldName('right')?.namedChildren.filter((a): a is Node => !!a) ?? [];
    if (stmt.childForFieldName('operator')?.type !== '=' || p.namedChildCount !== 1 || right.length !== 1) return `it is assigned in a multiple assignment (${at})`;
    const init = parseInit(idx, ref.file, right[0]);
    return typeof init === 'string' ? init : { kind: 'reset', ref, stmt, init };
  }
  if (p.type === 'range_clause') return `it is ranged over (${at})`;
  if (p.type === 'return_statement' || p.parent?.type === 'return_statement') return `it is returned (${at})`;
  if (p.type === 'unary_expression') return `its address is taken (${at})`;
  if (p.type === 'binary_expression') {
    // All typed maps are nil together (they are only ever set together, by make or a literal).
    const op = p.childForFieldName('operator')?.type;
    const other = sameNode(p.childForFieldName('left'), e) ? p.childForFieldName('right') : p.childForFieldName('left');
    if ((op === '==' || op === '!=') && other?.type === 'nil') return { kind: 'nilcheck', ref };
    return `it is compared with ${short(p.text)} (${at})`;
  }
  if (p.type === 'selector_expression') return `its method ${p.childForFieldName('field')?.text} is called (${at})`;
  return `it is copied or passed whole (${at})`;
}

function classifyIndex(idx: PkgIndex, ref: Ref, ix: Node): Use | string {
  const file = ref.file;
  const keyNode = ix.childForFieldName('index');
  if (!keyNode) return `it is indexed in a way gomend cannot read (${where(file, ix)})`;
  const key = keyOf(idx, file, keyNode);
  const pp = ix.parent;
  const at = where(file, ix);
  if (pp?.type === 'type_assertion_expression' && sameNode(pp.childForFieldName('operand'), ix)) {
    const type = canonType(idx, file, pp.childForFieldName('type'));
    if (!type || !isConcrete(idx, type)) return `key ${key.text} is asserted as ${short(pp.childForFieldName('type')?.text ?? '?')}, which is not a concrete type gomend can name (${at})`;
    const first = cut(pp, ix.endIndex, pp.endIndex);
    if (typeof first === 'string') return `${first} (${at})`;
    const cuts: Cut[] = [first];
    // `v, _ := m[k].(T)` reads better as `v := mT[k]`.
    const list = pp.parent;
    const left = list?.type === 'expression_list' && list.namedChildCount === 1 ? list.parent?.childForFieldName('left') : undefined;
    const lhs = left?.namedChildren.filter((n): n is Node => !!n) ?? [];
    if (lhs.length === 2 && lhs[1].type === 'identifier' && lhs[1].text === '_' && lhs[0].text !== '_' && left) {
      const blank = cut(left, lhs[0].endIndex, lhs[1].endIndex);
      if (typeof blank !== 'string' && blank.keep === '') cuts.push(blank);
    }
    return { kind: 'read', ref, key, type, cuts };
  }
  if (pp?.type === 'expression_list') {
    const stmt = pp.parent;
    const left = stmt?.childForFieldName('left') ?? null;
    if (stmt?.type === 'assignment_statement' && sameNode(left, pp)) {
      const right = stmt.childForFieldName('right')?.namedChildren.filter((a): a is Node => !!a) ?? [];
      if (stmt.childForFieldName('operator')?.type !== '=') return `key ${key.text} is updated with ${stmt.childForFieldName('operator')?.type} (${at})`;
      if (pp.namedChildCount !== 1 || right.length !== 1) return `key ${key.text} is written in a multiple assignment (${at})`;
      const type = storedType(idx, file, right[0]);
      if (!type) return `key ${key.text} is written with ${unknownValue(idx, file, right[0])} (${at})`;
      return { kind: 'write', ref, key, type };
    }
    if (pp.namedChildCount === 1 && stmt && (stmt.type === 'short_var_declaration' || stmt.type === 'var_spec') && sameNode(stmt.childForFieldName(stmt.type === 'var_spec' ? 'value' : 'right'), pp)) {
      return viaVariable(idx, ref, ix, key, stmt);
    }
  }
  if (pp?.type === 'binary_expression' && /^(nil)$/.test((sameNode(pp.childForFieldName('left'), ix) ? pp.childForFieldName('right') : pp.childForFieldName('left'))?.type ?? '')) {
    return `key ${key.text} is tested for presence with ${short(pp.text)} (${at})`;
  }
  if (pp?.type === 'type_switch_statement') return `key ${key.text} is read in a type switch (${at})`;
  return `key ${key.text} is read without a type assertion (${at})`;
}

/** `v := m[k]` (or `v, ok := m[k]`) where every later use of v is `v.(T)`: the read becomes typed. */
function viaVariable(idx: PkgIndex, ref: Ref, ix: Node, key: Key, decl: Node): Use | string {
  const file = ref.file;
  const at = where(file, ix);
  const names = decl.type === 'var_spec' ? decl.childrenForFieldName('name').filter((n): n is Node => !!n) : decl.childForFieldName('left')?.namedChildren.filter((n): n is Node => !!n) ?? [];
  if (decl.type === 'var_spec' && decl.childForFieldName('type')) return `key ${key.text} is read into a variable of declared type (${at})`;
  if (names.length === 2 && names[0].text === '_') return `key ${key.text} is tested for presence without a type assertion (${at})`;
  const v = names[0];
  if (!v || v.type !== 'identifier' || v.text === '_' || names.length > 2) return `key ${key.text} is read without a type assertion (${at})`;
  if (decl.type === 'short_var_declaration' && decl.parent?.type === 'statement_list' && redeclares({ kind: 'short', node: decl, ident: v, index: 0 }, v.text)) {
    return `key ${key.text} is read into an existing variable (${at})`;
  }
  const stmt = decl.type === 'var_spec' ? decl.parent?.type === 'var_spec_list' ? decl.parent.parent : decl.parent : decl;
  const scope = stmt?.parent;
  if (!stmt || !scope) return `key ${key.text} is read without a type assertion (${at})`;
  const region: Node[] = [];
  if (scope.type === 'statement_list') for (let s = stmt.nextNamedSibling; s; s = s.nextNamedSibling) region.push(s);
  else if (['if_statement', 'expression_switch_statement', 'type_switch_statement'].includes(scope.type)) region.push(...scope.namedChildren.filter((c): c is Node => !!c && !sameNode(c, stmt)));
  else return `key ${key.text} is read without a type assertion (${at})`;
  let type: GoType | undefined;
  const cuts: Cut[] = [];
  for (const r of region) {
    for (const id of [r, ...r.descendantsOfType('identifier')]) {
      if (!id || id.type !== 'identifier' || id.text !== v.text) continue;
      const d = resolveLocal(v.text, id);
      if (!d || !sameNode(d.ident, v)) continue;
      const a = id.parent;
      if (a?.type !== 'type_assertion_expression' || !sameNode(a.childForFieldName('operand'), id)) return `${v.text}, read from key ${key.text}, is used without a type assertion (${where(file, id)})`;
      if (a.parent?.type === 'expression_list' && a.parent.parent?.childForFieldName('left')?.namedChildCount === 2) return `${v.text}, read from key ${key.text}, is asserted with comma-ok (${where(file, id)})`;
      const t = canonType(idx, file, a.childForFieldName('type'));
      if (!t || !isConcrete(idx, t) || (type && type.canon !== t.canon)) return `${v.text}, read from key ${key.text}, is asserted as ${short(a.childForFieldName('type')?.text ?? '?')} (${where(file, id)})`;
      type = t;
      const c = cut(a, id.endIndex, a.endIndex);
      if (typeof c === 'string') return `${c} (${where(file, id)})`;
      cuts.push(c);
    }
  }
  if (!type) return `key ${key.text} is read into ${v.text}, which is never asserted (${at})`;
  return { kind: 'read', ref, key, type, cuts };
}
