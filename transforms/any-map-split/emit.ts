/**
 * The fix under construction: edits across the package's files, the imports the typed map types
 * need, and the small checks every multi-line rewrite shares (a statement alone on its line, an
 * expression that may be evaluated more than once).
 */
import { defaultImportName, isStandardPath } from '../../src/imports.js';
import type { Context, Edit, GoFile, Node } from '../../src/types.js';
import type { MapCandidate } from './candidates.js';
import { renderType } from './gotypes.js';
import type { GoType } from './gotypes.js';
import { realignComments } from './comments.js';
import type { RowEdit } from './comments.js';
import { where } from './refs.js';
import { importPathOf, resolveLocal } from './scope.js';
import type { PkgIndex } from './symbols.js';

/** One typed map of the split. */
export interface TypedMap {
  type: GoType;
  name: string;
}

/** Thrown (and caught by the transform) when the rewrite cannot be built; the message is the reason. */
export class Decline extends Error {}

interface FileEdit extends RowEdit {
  /** Set when one statement becomes several: laid out once the surrounding block is known. */
  stmts?: string[];
  indent?: string;
}

/** The one-line function body (`func f() { … }`) a node sits in, if any. */
function oneLineBody(n: Node | null): Node | undefined {
  for (; n; n = n.parent) {
    const fn = n.parent;
    if (n.type === 'block' && fn && /^(function_declaration|method_declaration|func_literal)$/.test(fn.type)) {
      return n.startPosition.row === n.endPosition.row ? n : undefined;
    }
  }
  return undefined;
}

/**
 * Collects the edits of one fix. Each rewrite adds its edits; `finish` lays out what depends on
 * the whole (one-line bodies, aligned comments, imports) and checks that no two edits overlap.
 */
export class Emit {
  private items: FileEdit[] = [];
  private readonly imports = new Map<GoFile, Set<string>>();

  constructor(
    readonly idx: PkgIndex,
    readonly ctx: Context,
    readonly c: MapCandidate,
    readonly maps: TypedMap[],
  ) {}

  /** Adds an edit; `layout` marks edits that lay out whole lines (and their comments) themselves. */
  edit(file: GoFile, start: number, end: number, text: string, layout = false): void {
    this.items.push({ file, start, end, text, layout });
  }

  /** Replaces statement `stmt` by several statements (see `requireAlone`). */
  editStmts(file: GoFile, stmt: Node, stmts: string[], indent: string): void {
    this.items.push({ file, start: stmt.startIndex, end: stmt.endIndex, text: '', stmts, indent });
  }

  /** `map[string]T` written for `file` at `site`, noting any import it needs. */
  mapType(t: GoType, file: GoFile, site: Node): string {
    const text = renderType(t, (path) => this.qualifier(file, path, site));
    if (text === undefined) throw new Decline(`the type ${t.spelled} cannot be written in ${file.path.split('/').pop()}`);
    return `map[string]${text}`;
  }

  private qualifier(file: GoFile, path: string, site: Node): string | undefined {
    const have = this.ctx.importName(file, path);
    // A dot or blank import of the path leaves no name to use and no room for another import.
    if (!have && file.root.descendantsOfType('import_spec').some((s) => s?.childForFieldName('path')?.text.slice(1, -1) === path)) return undefined;
    const name = have ?? (isStandardPath(path) ? defaultImportName(path) : undefined);
    if (!name || this.idx.top.has(name) || resolveLocal(name, site)) return undefined;
    if (!have) {
      if (importPathOf(file, name)) return undefined;
      const set = this.imports.get(file) ?? new Set();
      set.add(path);
      this.imports.set(file, set);
    }
    return name;
  }

  /** Adds the import edits, lays out one-line function bodies like gofmt, checks overlaps. */
  finish(): Edit[] {
    this.layoutOneLineBodies();
    for (const e of this.items) if (e.stmts) e.text = e.stmts.join(`\n${e.indent}`);
    for (const file of new Set(this.items.map((e) => e.file))) {
      const pads = realignComments(file, this.items);
      if (typeof pads === 'string') throw new Decline(pads);
      this.items.push(...pads);
    }
    for (const [file, paths] of this.imports) {
      for (const p of [...paths].sort()) {
        const e = this.ctx.ensureImport(file, p);
        if (e) this.edit(file, e.start, e.end, e.text);
      }
    }
    const byFile = new Map<GoFile, FileEdit[]>();
    for (const e of this.items) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
    for (const list of byFile.values()) {
      list.sort((a, b) => a.start - b.start || a.end - b.end);
      for (let i = 1; i < list.length; i++) {
        const a = list[i - 1];
        const b = list[i];
        if (b.start < a.end || (a.start === b.start && a.end === b.end)) throw new Decline('two of its rewrites would overlap');
      }
    }
    return this.items.map((e) => (e.file === this.c.file ? { start: e.start, end: e.end, text: e.text } : { start: e.start, end: e.end, text: e.text, file: e.file.path }));
  }

  /**
   * gofmt keeps a function body on one line only while it has at most 5 statements and the `func`
   * header plus the body fit in 100 bytes (go/printer's funcBody and bodySize). Rewrites inside a
   * one-line body are laid out by that rule: `{ a; b }` when it still fits, else one statement a line.
   */
  private layoutOneLineBodies(): void {
    const blocks = new Map<string, { file: GoFile; block: Node }>();
    for (const e of this.items) {
      const b = oneLineBody(e.file.root.descendantForIndex(e.start, Math.max(e.start, e.end - 1)));
      if (b) blocks.set(`${e.file.path}:${b.startIndex}`, { file: e.file, block: b });
    }
    for (const { file, block } of blocks.values()) {
      const fn = block.parent!;
      const inner = this.items.filter((e) => e.file === file && e.start >= block.startIndex && e.end <= block.endIndex);
      const stmts = block.descendantsOfType('statement_list')[0]?.namedChildren.filter((n): n is Node => !!n) ?? [];
      const decline = (): never => {
        throw new Decline(`the one-line function at ${where(file, fn)} cannot be laid out the way gofmt would`);
      };
      if (stmts.some((x) => x.type === 'comment') || fn.startPosition.row !== block.startPosition.row) decline();
      if (!inner.every((e) => stmts.some((x) => e.start >= x.startIndex && e.end <= x.endIndex))) decline();
      const texts = stmts.flatMap((x) => {
        const whole = inner.find((e) => e.stmts && e.start === x.startIndex && e.end === x.endIndex);
        if (whole) return whole.stmts!;
        let text = x.text;
        for (const e of inner.filter((y) => y.start >= x.startIndex && y.end <= x.endIndex).sort((p, q) => q.start - p.start)) {
          if (e.stmts) decline();
          text = text.slice(0, e.start - x.startIndex) + e.text + text.slice(e.end - x.startIndex);
        }
        return [text];
      });
      const header = Buffer.byteLength(file.source.slice(fn.startIndex, block.startIndex).trimEnd(), 'utf8');
      const size = texts.reduce((n, t) => n + Buffer.byteLength(t, 'utf8'), 2 * (texts.length - 1));
      const fits = texts.length <= 5 && header + size <= 100;
      if (fits && !inner.some((e) => e.stmts)) continue;
      // gofmt aligns the bodies of adjacent one-line function declarations in a column: writing
      // one out over several lines would re-pad its neighbours.
      const adjacent = [fn.previousNamedSibling, fn.nextNamedSibling].some(
        (x) => x && /^(function|method)_declaration$/.test(x.type) && x.startPosition.row === x.endPosition.row && Math.abs(x.startPosition.row - fn.startPosition.row) === 1,
      );
      if (!fits && adjacent) decline();
      const indent = indentAt(file.source, block.startIndex);
      const text = fits ? `{ ${texts.join('; ')} }` : `{\n${texts.map((t) => `${indent}\t${t}`).join('\n')}\n${indent}}`;
      this.items = this.items.filter((e) => !inner.includes(e));
      this.items.push({ file, start: block.startIndex, end: block.endIndex, text });
    }
  }

  /** The reference expression with the map's name replaced: `cfgInts`, `s.cacheInts`. */
  refText(ref: { expr: Node; name: Node }, name: string): string {
    const e = ref.expr;
    return e.text.slice(0, ref.name.startIndex - e.startIndex) + name + e.text.slice(ref.name.endIndex - e.startIndex);
  }
}

/** Leading white space of the line holding `index`. */
export function indentAt(source: string, index: number): string {
  const start = source.lastIndexOf('\n', index - 1) + 1;
  return /^[ \t]*/.exec(source.slice(start))![0];
}

/**
 * A statement that becomes several must sit alone on its line inside a block, so the new
 * statements can go on lines of their own at the same indentation, or inside a one-line function
 * body, which `finish` lays out. Returns the indentation for the new lines.
 */
export function requireAlone(file: GoFile, stmt: Node, what: string): string {
  const src = file.source;
  if (stmt.parent?.type === 'statement_list' && oneLineBody(stmt)) return '';
  const start = src.lastIndexOf('\n', stmt.startIndex - 1) + 1;
  const nl = src.indexOf('\n', stmt.endIndex);
  const after = src.slice(stmt.endIndex, nl === -1 ? src.length : nl).trim();
  if (stmt.parent?.type !== 'statement_list' || src.slice(start, stmt.startIndex).trim() !== '' || (after !== '' && !after.startsWith('//'))) {
    throw new Decline(`${what} (${where(file, stmt)}) shares its line with other code`);
  }
  return src.slice(start, stmt.startIndex);
}

/** True for expressions that are safe to evaluate more than once: no calls, receives or side effects. */
export function pure(n: Node | null | undefined): boolean {
  if (!n) return false;
  switch (n.type) {
    case 'identifier':
    case 'int_literal':
    case 'float_literal':
    case 'rune_literal':
    case 'interpreted_string_literal':
    case 'raw_string_literal':
    case 'true':
    case 'false':
    case 'nil':
      return true;
    case 'selector_expression':
      return pure(n.childForFieldName('operand'));
    case 'parenthesized_expression':
      return pure(n.namedChildren[0]);
    case 'unary_expression':
      return n.childForFieldName('operator')?.type === '*' && pure(n.childForFieldName('operand'));
    case 'index_expression':
      return pure(n.childForFieldName('operand')) && pure(n.childForFieldName('index'));
    case 'binary_expression':
      return n.childForFieldName('operator')?.type === '+' && pure(n.childForFieldName('left')) && pure(n.childForFieldName('right'));
    default:
      return false;
  }
}

/** The receiver of a field reference must be pure when the rewrite repeats it. */
export function requirePureRef(file: GoFile, ref: { expr: Node }, what: string): void {
  const e = ref.expr;
  if (e.type === 'selector_expression' && !pure(e.childForFieldName('operand'))) {
    throw new Decline(`${what} (${where(file, e)}) would evaluate ${e.childForFieldName('operand')?.text} once per typed map`);
  }
}
