/**
 * The copies gomend writes, and the checks that keep them compiling.
 *
 * `slices.Clone(x)` where the file's Go version has it (1.21) and the name `slices` means the
 * package at the use site; `bytes.Clone(x)` for a byte slice in a file that already imports bytes
 * and has no slices import (Go 1.20); otherwise `append(s[:0:0], x...)`, which copies the same way
 * (nil stays nil, an empty slice stays non-nil) without naming the element type, but evaluates the
 * operand twice, so it is only written for operands without side effects.
 */
import type { Context, Edit, GoFile } from '../../src/types.js';
import { kids } from '../../src/go/syntax.js';
import type { SyntaxNode } from '../../src/mirror.js';
import type { Analysis } from './goroutine.js';
import { lookupAt } from '../../src/go/locals.js';
import { arrayElem, spellableAt, writtenType } from '../../src/go/written.js';
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
function declaredAt(an: Analysis, at: SyntaxNode, name: string): boolean {
  const o = lookupAt(an.model, at, name);
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
export function cloneForm(file: GoFile, ctx: Context, at: SyntaxNode, an: Analysis, bytes = false): CloneForm {
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
function importBinds(at: SyntaxNode, name: string, an: Analysis): boolean {
  return !!an.model.fileOf(at)?.imports.some((i) => i.name === name);
}

/** True for an operand that can be evaluated twice: names, fields, constant or named indexes. */
export function sideEffectFree(e: SyntaxNode | null | undefined): boolean {
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
export function cloneText(form: CloneForm, source: string, expr: SyntaxNode, operand: SyntaxNode): { text: string } | { why: string } {
  const exprText = source.slice(expr.startIndex, expr.endIndex);
  if (form.kind === 'call') return { text: `${form.fn}(${exprText})` };
  if (form.kind === 'none') return { why: form.why };
  if (!sideEffectFree(operand)) return { why: `${operand.text.length > 30 ? 'the operand' : operand.text} may have side effects, and the append copy would evaluate it twice` };
  return { text: `append(${operand.text}[:0:0], ${exprText}...)` };
}

/** The copy of `expr` (whose array is `operand`'s) in the form usable at `at`, with the import it needs, or why there is none. */
export function cloneAt(file: GoFile, ctx: Context, an: Analysis, at: SyntaxNode, bytes: boolean, expr: SyntaxNode, operand: SyntaxNode): { text: string; imports: Edit[] } | { why: string } {
  const form = cloneForm(file, ctx, at, an, bytes);
  const text = cloneText(form, file.source, expr, operand);
  return 'why' in text ? text : { text: text.text, imports: form.kind === 'call' && form.importEdit ? [form.importEdit] : [] };
}

/** An insertion after the last element of a parenthesised list, or inside an empty one. */
function appendToList(list: SyntaxNode, text: string): Edit | string {
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
export function parameterEdits(call: SyntaxNode, lit: SyntaxNode, params: { name: string; type: string; clone: string }[]): Edit[] | string {
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

/**
 * How to spell, at `at`, the type of a subslice of `operand`, as the source writes it, or
 * undefined when gomend cannot be sure the spelling means the same type there (another file's
 * qualifiers, type parameters of another declaration).
 */
export function spellSliceType(an: Analysis, operand: SyntaxNode, at: SyntaxNode): string | undefined {
  const model = an.model;
  const here = at;
  const w = writtenType(model, operand);
  if (!w) return undefined;
  const elem = 'elem' in w ? w.elem : arrayElem(w.node);
  if (elem) return spellableAt(model, elem, here) ? `[]${elem.text}` : undefined;
  const node = 'node' in w ? w.node : undefined;
  if (!node || !spellableAt(model, node, here)) return undefined;
  if (node.type === 'slice_type') return node.text;
  // A named slice type (`Items`, `List[T]`), or a named array type's element.
  const t = model.typeFromSyntax(node);
  if (t.kind !== 'named') return undefined;
  if (underlying(t).kind === 'slice') return node.text;
  const declared = t.node?.parent?.type === 'type_spec' ? t.node.parent.childForFieldName('type') : undefined;
  const el = declared ? arrayElem(declared) : undefined;
  return el && spellableAt(model, el, here) ? `[]${el.text}` : undefined;
}
