/**
 * Classifies each reference to a candidate map. A split is sound only when every reference is one
 * of: a write `m[k] = v` whose value type is known; a read through a type assertion (`m[k].(T)`,
 * `v, ok := m[k].(T)`, or `v := m[k]` whose every later use is `v.(T)`); `delete`, `clear` or `len`;
 * or a reset `m = make(…)` / `m = map…{…}`. Anything else declines, with the reason.
 */
import type { Model, SyntaxNode } from '../../src/go/index.js';
import { exprList, field, fields, isString, kids, underlying } from '../../src/go/index.js';
import type { GoFile } from '../../src/types.js';
import { short } from '../../src/text.js';
import { initMapType } from './candidates.js';
import { Decline } from './emit.js';
import { stringConstant } from '../../src/go/constant.js';
import { where } from './refs.js';
import type { Ref } from './refs.js';
import { namedType, storedType, unknownValue } from './types.js';
import type { GoType } from './types.js';

/**
 * A map key as written: static when it is a string constant (its identity is the decoded bytes, so
 * `"a"` and `"\x61"` are the same key); `text` is the source, for messages. Any other key is dynamic.
 */
export type Key = { static: string; text: string } | { dynamic: true; text: string };

function keyOf(model: Model, n: SyntaxNode): Key {
  const v = stringConstant(model, n);
  return v === undefined ? { dynamic: true, text: n.text } : { static: v, text: n.text };
}

/** One `key: value` of a map literal, with the type its value stores. */
export interface Entry {
  node: SyntaxNode;
  key: Key;
  type: GoType;
}

/** Text removed by a typed read (an assertion `.(T)`); `keep` holds comments found inside it. */
export interface Cut {
  start: number;
  end: number;
  keep: string;
}

/** The cut of `[start, end)` inside `within`, keeping any block comments in it (declining line comments). */
function cut(within: SyntaxNode, start: number, end: number, at: string): Cut {
  const comments = within.descendantsOfType('comment').filter((c) => c.startIndex >= start && c.endIndex <= end);
  if (comments.some((c) => c.text.startsWith('//'))) throw new Decline(`a line comment sits inside a type assertion (${at})`);
  return { start, end, keep: comments.map((c) => ` ${c.text}`).join('') };
}

/** How a map is (re)initialised: `make(M[, hint])` or a literal `M{…}`. */
export interface Init {
  file: GoFile;
  node: SyntaxNode;
  form: 'make' | 'literal';
  hint?: SyntaxNode;
  entries: Entry[];
}

/** A classified reference: what it does with the map, and what the rewrite needs to know. */
export type Use =
  | { kind: 'write'; ref: Ref; key: Key; type: GoType }
  | { kind: 'read'; ref: Ref; key: Key; type: GoType; cuts: Cut[] }
  | { kind: 'each'; ref: Ref; op: 'delete' | 'clear'; stmt: SyntaxNode; call: SyntaxNode; key?: SyntaxNode }
  | { kind: 'len'; ref: Ref; call: SyntaxNode }
  | { kind: 'nilcheck'; ref: Ref }
  | { kind: 'reset'; ref: Ref; stmt: SyntaxNode; init: Init };

/** Parses an initialiser of the map. */
export function parseInit(model: Model, file: GoFile, e: SyntaxNode): Init {
  // The shape by syntax, the type by the model (inside a function a local may shadow `make` or `any`).
  const t = underlying(model.typeOf(e));
  const anyMap = t.kind === 'map' && isString(t.key) && t.elem.kind === 'interface' && t.elem.methods.length === 0 && t.elem.embeds.length === 0;
  if (!initMapType(model, e) || !anyMap) throw new Decline(`it is assigned ${short(e.text)} (${where(file, e)}), which is neither make nor a map literal`);
  if (e.type === 'call_expression') {
    const args = kids(field(e, 'arguments'));
    if (args.length > 2) throw new Decline(`make has too many arguments (${where(file, e)})`);
    return { file, node: e, form: 'make', hint: args[1], entries: [] };
  }
  const entries: Entry[] = [];
  for (const el of kids(field(e, 'body'))) {
    if (el.type !== 'keyed_element') throw new Decline(`its literal has an element without a key (${where(file, el)})`);
    const [keyNode, valueNode] = kids(el).map((x) => kids(x)[0]);
    if (!keyNode || !valueNode) throw new Decline(`its literal has an element gomend cannot read (${where(file, el)})`);
    const type = storedType(model, valueNode);
    if (!type) throw new Decline(`its literal stores ${unknownValue(model, valueNode, short(valueNode.text))} (${where(file, valueNode)})`);
    entries.push({ node: el, key: keyOf(model, keyNode), type });
  }
  return { file, node: e, form: 'literal', entries };
}

/** What a whole-map use does, for the message: serialised, printed, reflected, passed. */
function wholeUse(file: GoFile, call: SyntaxNode): string {
  const fn = field(call, 'function')?.text ?? '';
  const at = where(file, call);
  if (/^(json|xml|gob|yaml|toml)\.|Marshal|Encode/.test(fn)) return `it is serialised whole by ${fn} (${at})`;
  if (/^(fmt|log|slog)\.|^print(ln)?$/.test(fn)) return `it is printed whole by ${fn} (${at})`;
  if (/^reflect\./.test(fn)) return `it is reflected on whole by ${fn} (${at})`;
  if (/Execute/.test(fn)) return `it is passed whole to a template by ${fn} (${at})`;
  return `it is passed whole to ${short(fn)} (${at})`;
}

/** The built-in a call's function names, if it is one. */
function builtinOf(model: Model, fn: SyntaxNode | undefined): string | undefined {
  return fn?.type === 'identifier' && model.objectOf(fn)?.kind === 'builtin' ? fn.text : undefined;
}

/** Classifies one reference. */
export function classify(model: Model, ref: Ref): Use {
  const e = ref.expr;
  const p = e.parent;
  const at = where(ref.file, e);
  if (!p) throw new Decline(`it is used in a way gomend does not know (${at})`);
  if (p.type === 'index_expression' && field(p, 'operand') === e) return classifyIndex(model, ref, p);
  if (p.type === 'argument_list' && p.parent?.type === 'call_expression') {
    const call = p.parent;
    const args = kids(p);
    const builtin = builtinOf(model, field(call, 'function'));
    if (args[0] === e && call.parent?.type === 'expression_statement') {
      if (builtin === 'delete' && args.length === 2) return { kind: 'each', ref, op: 'delete', stmt: call.parent, call, key: args[1] };
      if (builtin === 'clear' && args.length === 1) return { kind: 'each', ref, op: 'clear', stmt: call.parent, call };
    }
    if (builtin === 'len' && args.length === 1) return { kind: 'len', ref, call };
    if (builtin === 'delete' || builtin === 'clear') throw new Decline(`${builtin} (${at}) is not a statement of its own`);
    throw new Decline(wholeUse(ref.file, call));
  }
  if (p.type === 'expression_list' && p.parent?.type === 'assignment_statement' && field(p.parent, 'left') === p) {
    const stmt = p.parent;
    const right = exprList(field(stmt, 'right'));
    if (field(stmt, 'operator')?.type !== '=' || kids(p).length !== 1 || right.length !== 1) throw new Decline(`it is assigned in a multiple assignment (${at})`);
    return { kind: 'reset', ref, stmt, init: parseInit(model, ref.file, right[0]) };
  }
  if (p.type === 'range_clause') throw new Decline(`it is ranged over (${at})`);
  if (p.type === 'return_statement' || p.parent?.type === 'return_statement') throw new Decline(`it is returned (${at})`);
  if (p.type === 'unary_expression') throw new Decline(`its address is taken (${at})`);
  if (p.type === 'binary_expression') {
    // All typed maps are nil together (they are only ever set together, by make or a literal).
    const op = field(p, 'operator')?.type;
    const other = field(p, 'left') === e ? field(p, 'right') : field(p, 'left');
    if ((op === '==' || op === '!=') && other?.type === 'nil') return { kind: 'nilcheck', ref };
    throw new Decline(`it is compared with ${short(p.text)} (${at})`);
  }
  if (p.type === 'selector_expression') throw new Decline(`its method ${field(p, 'field')?.text} is called (${at})`);
  throw new Decline(`it is copied or passed whole (${at})`);
}

function classifyIndex(model: Model, ref: Ref, ix: SyntaxNode): Use {
  const file = ref.file;
  const keyNode = field(ix, 'index');
  if (!keyNode) throw new Decline(`it is indexed in a way gomend cannot read (${where(file, ix)})`);
  const key = keyOf(model, keyNode);
  const pp = ix.parent;
  const at = where(file, ix);
  if (pp?.type === 'type_assertion_expression' && field(pp, 'operand') === ix) {
    const type = namedType(model, field(pp, 'type'));
    if (!type) throw new Decline(`key ${key.text} is asserted as ${short(field(pp, 'type')?.text ?? '?')}, which is not a concrete type gomend can name (${at})`);
    const cuts: Cut[] = [cut(pp, ix.endIndex, pp.endIndex, at)];
    // `v, _ := m[k].(T)` reads better as `v := mT[k]`.
    const list = pp.parent;
    const left = list?.type === 'expression_list' && kids(list).length === 1 ? list.parent && field(list.parent, 'left') : undefined;
    const lhs = kids(left);
    if (left && lhs.length === 2 && lhs[1].type === 'identifier' && lhs[1].text === '_' && lhs[0].text !== '_') {
      const comments = left.descendantsOfType('comment').filter((c) => c.startIndex >= lhs[0].endIndex && c.endIndex <= lhs[1].endIndex);
      if (comments.length === 0) cuts.push({ start: lhs[0].endIndex, end: lhs[1].endIndex, keep: '' });
    }
    return { kind: 'read', ref, key, type, cuts };
  }
  if (pp?.type === 'expression_list') {
    const stmt = pp.parent;
    if (stmt?.type === 'assignment_statement' && field(stmt, 'left') === pp) {
      const right = exprList(field(stmt, 'right'));
      const op = field(stmt, 'operator')?.type;
      if (op !== '=') throw new Decline(`key ${key.text} is updated with ${op} (${at})`);
      if (kids(pp).length !== 1 || right.length !== 1) throw new Decline(`key ${key.text} is written in a multiple assignment (${at})`);
      const type = storedType(model, right[0]);
      if (!type) throw new Decline(`key ${key.text} is written with ${unknownValue(model, right[0], short(right[0].text))} (${at})`);
      return { kind: 'write', ref, key, type };
    }
    const values = stmt && field(stmt, stmt.type === 'var_spec' ? 'value' : 'right');
    if (kids(pp).length === 1 && stmt && (stmt.type === 'short_var_declaration' || stmt.type === 'var_spec') && values === pp) return viaVariable(model, ref, ix, key, stmt);
  }
  if (pp?.type === 'binary_expression' && (field(pp, 'left') === ix ? field(pp, 'right') : field(pp, 'left'))?.type === 'nil') {
    throw new Decline(`key ${key.text} is tested for presence with ${short(pp.text)} (${at})`);
  }
  if (pp?.type === 'type_switch_statement') throw new Decline(`key ${key.text} is read in a type switch (${at})`);
  throw new Decline(`key ${key.text} is read without a type assertion (${at})`);
}

/** `v := m[k]` (or `v, ok := m[k]`) where every use of v is `v.(T)`: the read becomes typed. */
function viaVariable(model: Model, ref: Ref, ix: SyntaxNode, key: Key, decl: SyntaxNode): Use {
  const file = ref.file;
  const at = where(file, ix);
  const names = decl.type === 'var_spec' ? fields(decl, 'name') : kids(field(decl, 'left'));
  if (decl.type === 'var_spec' && field(decl, 'type')) throw new Decline(`key ${key.text} is read into a variable of declared type (${at})`);
  if (names.length === 2 && names[0].text === '_') throw new Decline(`key ${key.text} is tested for presence without a type assertion (${at})`);
  const v = names[0];
  if (!v || v.type !== 'identifier' || v.text === '_' || names.length > 2) throw new Decline(`key ${key.text} is read without a type assertion (${at})`);
  const obj = model.objectOf(v);
  if (!obj || obj.ident !== v) throw new Decline(`key ${key.text} is read into an existing variable (${at})`);
  let type: GoType | undefined;
  const cuts: Cut[] = [];
  for (const id of model.usesOf(obj)) {
    const a = id.parent;
    const there = where(file, id);
    if (a?.type !== 'type_assertion_expression' || field(a, 'operand') !== id) throw new Decline(`${v.text}, read from key ${key.text}, is used without a type assertion (${there})`);
    if (a.parent?.type === 'expression_list' && kids(a.parent.parent && field(a.parent.parent, 'left')).length === 2) throw new Decline(`${v.text}, read from key ${key.text}, is asserted with comma-ok (${there})`);
    const t = namedType(model, field(a, 'type'));
    if (!t || (type && type.canon !== t.canon)) throw new Decline(`${v.text}, read from key ${key.text}, is asserted as ${short(field(a, 'type')?.text ?? '?')} (${there})`);
    type = t;
    cuts.push(cut(a, id.endIndex, a.endIndex, there));
  }
  if (!type) throw new Decline(`key ${key.text} is read into ${v.text}, which is never asserted (${at})`);
  return { kind: 'read', ref, key, type, cuts };
}

