/**
 * The copies gomend writes, and the checks that keep them compiling.
 *
 * `slices.Clone(x)` where the file's Go version has it (1.21) and the name `slices` means the
 * package at the use site; `bytes.Clone(x)` for a byte slice in a file that already imports bytes
 * and has no slices import (Go 1.20); otherwise `append(s[:0:0], x...)`, which copies the same way
 * (nil stays nil, an empty slice stays non-nil) without naming the element type, but evaluates the
 * operand twice, so it is only written for operands without side effects.
 */
import type { Context, Edit, GoFile, Node } from '../../src/types.js';
import { kids } from '../../src/go/syntax.js';
import type { SyntaxNode } from '../../src/mirror.js';
import type { Analysis } from './goroutine.js';
import { objOf } from './goroutine.js';
import { initOf, lookupAt, visibleAt } from '../../src/go/locals.js';
import { deref, underlying } from '../../src/go/types.js';
import type { Type } from '../../src/go/types.js';

/** A slice, an array or a pointer to an array: things whose subslices share memory. */
export function isSliceLike(t: Type): boolean {
  const u = underlying(t);
  return u.kind === 'slice' || u.kind === 'array' || (u.kind === 'pointer' && underlying(u.elem).kind === 'array');
}

/**
 * True when subslices of this type are plain `[]byte`, so `bytes.Clone` returns the same type (a
 * named byte slice type would come back as `[]byte`, which a generic callee could tell apart).
 */
export function holdsBytes(t: Type): boolean {
  const base = deref(t);
  const u = underlying(base);
  const elem = u.kind === 'array' || (u.kind === 'slice' && base.kind !== 'named') ? u.elem : undefined;
  return elem?.kind === 'basic' && elem.name === 'uint8';
}

/** True when `name`, written at `at`, means something the package or the function declares. */
function declaredAt(an: Analysis, at: Node, name: string): boolean {
  const o = lookupAt(an.model, at as unknown as SyntaxNode, name);
  return !!o && o.kind !== 'pkgname' && !an.model.isUniverse(o);
}

/** A copy by a call (`slices.Clone`, `bytes.Clone`, under the file's import names) or by append. */
export type CloneForm = { kind: 'call'; fn: string; importEdit: Edit | null } | { kind: 'append' } | { kind: 'none'; why: string };

/** The import edit for `slices`, or false when the file cannot take one (no package clause). */
function safeImport(file: GoFile, ctx: Context): Edit | null | false {
  try {
    return ctx.ensureImport(file, 'slices');
  } catch {
    return false; // ensureImport throws on a file without a package clause: broken code, no import
  }
}

/**
 * Picks the copy idiom usable at `at` in `file`. `bytes` says the copied slice is known to hold
 * bytes, so an existing `bytes` import can serve (bytes.Clone, Go 1.20) without adding one.
 */
export function cloneForm(file: GoFile, ctx: Context, at: Node, an: Analysis, bytes = false): CloneForm {
  let why = `slices.Clone needs Go 1.21 and this file is ${file.goVersion ? `Go ${file.goVersion.major}.${file.goVersion.minor}` : 'of unknown Go version'}`;
  const existing = ctx.atLeast('1.21') ? ctx.importName(file, 'slices') ?? ctx.importName(file, 'golang.org/x/exp/slices') : undefined;
  if (existing && !declaredAt(an, at, existing)) return { kind: 'call', fn: `${existing}.Clone`, importEdit: null };
  const bytesName = bytes && ctx.atLeast('1.20') ? ctx.importName(file, 'bytes') : undefined;
  if (bytesName && !declaredAt(an, at, bytesName)) return { kind: 'call', fn: `${bytesName}.Clone`, importEdit: null };
  if (existing) {
    why = `${existing} names something else here`;
  } else if (ctx.atLeast('1.21')) {
    if (importBinds(at, 'slices', an) || declaredAt(an, at, 'slices')) {
      why = 'the name slices is taken here';
    } else {
      const importEdit = safeImport(file, ctx);
      if (importEdit !== false) return { kind: 'call', fn: 'slices.Clone', importEdit };
      why = 'the file has no place for an import';
    }
  }
  if (declaredAt(an, at, 'append')) return { kind: 'none', why: `${why}, and append is redeclared` };
  return { kind: 'append' };
}

/** True when an import of the file around `at` binds `name`. */
function importBinds(at: Node, name: string, an: Analysis): boolean {
  return !!an.model.fileOf(at as unknown as SyntaxNode)?.imports.some((i) => i.name === name);
}

/** True for an operand that can be evaluated twice: names, fields, constant or named indexes. */
export function sideEffectFree(e: Node | null | undefined): boolean {
  if (!e || e.text.includes('\n')) return false;
  switch (e.type) {
    case 'identifier':
      return true;
    case 'parenthesized_expression':
      return sideEffectFree(kids(e)[0]);
    case 'selector_expression':
      return sideEffectFree(e.childForFieldName('operand'));
    case 'unary_expression':
      return e.childForFieldName('operator')?.text === '*' && sideEffectFree(e.childForFieldName('operand'));
    case 'index_expression': {
      const index = e.childForFieldName('index');
      const simple = !!index && (['int_literal', 'interpreted_string_literal', 'raw_string_literal'].includes(index.type) || sideEffectFree(index));
      return simple && sideEffectFree(e.childForFieldName('operand'));
    }
    default:
      return false;
  }
}

/**
 * The text that copies `expr` (whose array is `operand`'s), or a reason it cannot be written.
 * `operand` is what gets re-sliced to `[:0:0]` by the append form.
 */
export function cloneText(form: CloneForm, source: string, expr: Node, operand: Node): { text: string } | { why: string } {
  const exprText = source.slice(expr.startIndex, expr.endIndex);
  if (form.kind === 'call') return { text: `${form.fn}(${exprText})` };
  if (form.kind === 'none') return { why: form.why };
  if (!sideEffectFree(operand)) return { why: `${operand.text.length > 30 ? 'the operand' : operand.text} may have side effects, and the append copy would evaluate it twice` };
  return { text: `append(${operand.text}[:0:0], ${exprText}...)` };
}

/** An insertion after the last element of a parenthesised list, or inside an empty one. */
function appendToList(list: Node, text: string): Edit | string {
  const items = kids(list).filter((n) => n.type !== 'comment');
  if (items.length === 0) {
    if (list.text.replace(/\s/g, '') !== '()') return 'the list holds a comment';
    return { start: list.startIndex + 1, end: list.startIndex + 1, text };
  }
  const last = items[items.length - 1];
  return { start: last.endIndex, end: last.endIndex, text: `, ${text}` };
}

/**
 * Edits that turn a captured variable into a parameter of the go func literal, passed a copy:
 * `go func(v T) {…}(slices.Clone(v))`. The literal must have no variadic or unnamed parameter.
 */
export function parameterEdits(call: Node, lit: Node, params: { name: string; type: string; clone: string }[]): Edit[] | string {
  const plist = lit.childForFieldName('parameters');
  const args = call.childForFieldName('arguments');
  if (!plist || !args) return 'the func literal has an unusual shape';
  const decls = kids(plist).filter((n) => n.type !== 'comment');
  if (decls.some((d) => d.type === 'variadic_parameter_declaration')) return 'the func literal has a variadic parameter';
  if (decls.some((d) => d.childrenForFieldName('name').length === 0)) return 'the func literal has unnamed parameters';
  if (kids(args).some((a) => a.type === 'variadic_argument')) return 'the call spreads a slice into its arguments';
  const results = lit.childForFieldName('result')?.descendantsOfType('identifier') ?? [];
  if (results.some((r) => params.some((x) => x.name === r?.text))) return 'the func literal has a result of the same name';
  const p = appendToList(plist, params.map((x) => `${x.name} ${x.type}`).join(', '));
  const a = appendToList(args, params.map((x) => x.clone).join(', '));
  if (typeof p === 'string') return p;
  if (typeof a === 'string') return a;
  return [p, a];
}

/** The type of an expression as the source writes it: a type node, or the element type of a slice (`...T`). */
type Written = { node: Node } | { elem: Node };

/** Where the source writes the type of `e`: its declaration, its initialiser, a literal, `make`. */
function written(an: Analysis, e: Node | null | undefined, depth = 0): Written | undefined {
  while (e?.type === 'parenthesized_expression') e = kids(e)[0];
  if (!e || depth > 8) return undefined;
  const typeOf = (n: Node | null | undefined): Written | undefined => (n ? { node: n } : undefined);
  switch (e.type) {
    case 'identifier': {
      const o = objOf(an, e);
      const d = o?.decl as unknown as Node | undefined;
      if (!o || o.kind !== 'var' || !d) return undefined;
      if (d.type === 'variadic_parameter_declaration') return d.childForFieldName('type') ? { elem: d.childForFieldName('type')! } : undefined;
      if (d.type === 'parameter_declaration' || (d.type === 'var_spec' && d.childForFieldName('type'))) return typeOf(d.childForFieldName('type'));
      return written(an, initOf(o) as unknown as Node | undefined, depth + 1);
    }
    case 'composite_literal':
    case 'type_conversion_expression':
      return typeOf(e.childForFieldName('type'));
    case 'call_expression': {
      const fn = e.childForFieldName('function');
      const args = kids(e.childForFieldName('arguments'));
      const o = fn?.type === 'identifier' ? an.model.objectOf(fn as unknown as SyntaxNode) : undefined;
      if (o?.kind === 'builtin' && fn?.text === 'make') return typeOf(args[0]);
      if (o?.kind === 'builtin' && fn?.text === 'append') return written(an, args[0], depth + 1);
      return undefined;
    }
    case 'slice_expression': {
      const w = written(an, e.childForFieldName('operand'), depth + 1);
      const arr = w && 'node' in w ? arrayOf(w.node) : undefined;
      return arr ? { elem: arr } : w;
    }
    case 'selector_expression': {
      const operand = e.childForFieldName('operand');
      const name = e.childForFieldName('field')?.text;
      if (!operand || !name) return undefined;
      const f = an.model.fieldOf(an.model.typeOf(operand as unknown as SyntaxNode), name)?.field?.node?.parent;
      return f?.type === 'field_declaration' ? typeOf(f.childForFieldName('type') as unknown as Node) : undefined;
    }
    default:
      return undefined;
  }
}

/** The element type node of an array type node, or of a pointer to one. */
function arrayOf(n: Node): Node | undefined {
  const a = n.type === 'pointer_type' ? kids(n)[0] : n;
  return a?.type === 'array_type' || a?.type === 'implicit_length_array_type' ? a.childForFieldName('element') ?? undefined : undefined;
}

/**
 * How to spell, at `at`, the type of a subslice of `operand`, as the source writes it, or
 * undefined when gomend cannot be sure the spelling means the same type there (another file's
 * qualifiers, type parameters of another declaration).
 */
export function spellSliceType(an: Analysis, operand: Node, at: Node): string | undefined {
  const w = written(an, operand);
  if (!w) return undefined;
  const elem = 'elem' in w ? w.elem : arrayOf(w.node);
  const node = elem ?? ('node' in w ? w.node : undefined);
  if (!node) return undefined;
  if (node.tree !== at.tree || !usableAt(an, node, at)) return undefined;
  if (elem) return `[]${elem.text}`;
  if (node.type === 'slice_type') return node.text;
  // A named slice type (`Items`, `List[T]`).
  const t = an.model.typeFromSyntax(node as unknown as SyntaxNode);
  if (t.kind !== 'named') return undefined;
  if (underlying(t).kind === 'slice') return node.text;
  // A named array type: a slice of its element, written where the type is declared.
  const declared = t.node?.parent?.type === 'type_spec' ? t.node.parent.childForFieldName('type') : undefined;
  const el = declared ? arrayOf(declared as unknown as Node) : undefined;
  return el && el.tree === at.tree && usableAt(an, el, at) ? `[]${el.text}` : undefined;
}

/** True when type names inside `typeNode` mean the same at `at` (no foreign type parameters). */
function usableAt(an: Analysis, typeNode: Node, at: Node): boolean {
  for (const t of typeNode.descendantsOfType('type_identifier')) {
    const o = t ? an.model.objectOf(t as unknown as SyntaxNode) : undefined;
    const tparam = o?.decl?.type === 'type_parameter_declaration' || o?.decl?.type === 'generic_type';
    if (o && tparam && !visibleAt(o, at as unknown as SyntaxNode)) return false;
  }
  return !/[\n]/.test(typeNode.text);
}
