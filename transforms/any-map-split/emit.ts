/**
 * The fix under construction: plain edits across the package's files (gofmt lays them out where the
 * file was gofmt-clean, see src/gofmt.ts), the imports the typed map types need, and the small
 * checks every multi-line rewrite shares (a statement alone on its line, an expression that may be
 * evaluated more than once).
 */
import type { Model, SyntaxNode } from '../../src/go/index.js';
import { field, FUNC_TYPES, lineStart, topLevelDecl } from '../../src/go/index.js';
import { lineEnd } from '../../src/text.js';
import { defaultImportName, isStandardPath } from '../../src/imports.js';
import type { Edit, GoFile, Pass } from '../../src/types.js';
import type { MapCandidate } from './candidates.js';
import { where } from './refs.js';
import { renderType } from './types.js';
import type { GoType } from './types.js';

/** One typed map of the split. */
export interface TypedMap {
  type: GoType;
  name: string;
}

/**
 * The one way the analysis declines a candidate: thrown anywhere, caught once per candidate, and
 * reported as an explanation. `panics` marks code that panics today (an assertion contradicting
 * every write of its key): that is reported as a finding, still without a fix.
 */
export class Decline extends Error {
  constructor(
    message: string,
    readonly panics = false,
  ) {
    super(message);
  }
}

interface FileEdit {
  file: GoFile;
  start: number;
  end: number;
  text: string;
}

/** True when `name` at `site` may mean something else than a package qualifier. */
function nameTaken(model: Model, name: string, site: SyntaxNode): boolean {
  if (model.packageObject(name)) return true;
  const top = topLevelDecl(site);
  if (!top || (top.type !== 'function_declaration' && top.type !== 'method_declaration')) return false;
  return top.descendantsWhere(['identifier', 'type_identifier'], (_, t) => t === name).some((id) => model.objectOf(id)?.ident === id);
}

/** Collects the edits of one fix; `finish` adds the imports and checks that no two edits overlap. */
export class Emit {
  private items: FileEdit[] = [];
  private readonly imports = new Map<GoFile, Set<string>>();

  constructor(
    readonly model: Model,
    readonly pass: Pass,
    readonly c: MapCandidate,
    readonly maps: TypedMap[],
  ) {}

  edit(file: GoFile, start: number, end: number, text: string): void {
    this.items.push({ file, start, end, text });
  }

  /** `map[string]T` written for `file` at `site`, noting any import it needs. */
  mapType(t: GoType, file: GoFile, site: SyntaxNode): string {
    const text = renderType(t, (path) => this.qualifier(file, path, site));
    if (text === undefined) throw new Decline(`the type ${t.spelled} cannot be written in ${file.path.split('/').pop()}`);
    return `map[string]${text}`;
  }

  private qualifier(file: GoFile, path: string, site: SyntaxNode): string | undefined {
    const have = this.pass.importName(file, path);
    const imports = this.model.importsOf(file);
    // A dot or blank import of the path leaves no name to use and no room for another import.
    if (!have && imports.some((i) => i.path === path)) return undefined;
    const name = have ?? (isStandardPath(path) ? defaultImportName(path) : undefined);
    if (!name || nameTaken(this.model, name, site)) return undefined;
    if (!have) {
      if (imports.some((i) => i.name === name)) return undefined;
      const set = this.imports.get(file) ?? new Set();
      set.add(path);
      this.imports.set(file, set);
    }
    return name;
  }

  /** The edits of the fix: the rewrites, then the imports; declines when two overlap. */
  finish(): Edit[] {
    for (const [file, paths] of this.imports) {
      for (const p of [...paths].sort()) {
        const e = this.pass.ensureImport(file, p);
        if (e) this.edit(file, e.start, e.end, e.text);
      }
    }
    // By file, then position: an edit overlaps another when it starts before the previous one ends.
    const sorted = [...this.items].sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : a.start - b.start || a.end - b.end));
    for (const [i, b] of sorted.entries()) {
      const a = sorted[i - 1];
      if (a?.file === b.file && (b.start < a.end || (a.start === b.start && a.end === b.end))) throw new Decline('two of its rewrites would overlap');
    }
    return this.items.map((e) => (e.file === this.c.file ? { start: e.start, end: e.end, text: e.text } : { start: e.start, end: e.end, text: e.text, file: e.file.path }));
  }

  /** The reference expression with the map's name replaced: `cfgInts`, `s.cacheInts`. */
  refText(ref: { expr: SyntaxNode; name: SyntaxNode }, name: string): string {
    const e = ref.expr;
    return e.text.slice(0, ref.name.startIndex - e.startIndex) + name + e.text.slice(ref.name.endIndex - e.startIndex);
  }
}

/** The one-line function body (`func f() { … }`) a statement list belongs to, if any. */
function oneLineBody(list: SyntaxNode | null): boolean {
  const block = list?.parent;
  const fn = block?.parent;
  return block?.type === 'block' && !!fn && FUNC_TYPES.has(fn.type) && block.startPosition.row === block.endPosition.row;
}

/**
 * A statement that becomes several must sit alone on its lines inside a block (the new statements
 * go on lines of their own at its indentation) or in a one-line function body (they are joined by
 * `; `, and gofmt keeps the body on one line or writes it out, as it would). Returns the separator.
 */
export function requireAlone(file: GoFile, stmt: SyntaxNode, what: string): string {
  const src = file.source;
  if (stmt.parent?.type === 'statement_list' && oneLineBody(stmt.parent)) return '; ';
  const start = lineStart(src, stmt.startIndex);
  const after = src.slice(stmt.endIndex, lineEnd(src, stmt.endIndex)).trim();
  if (stmt.parent?.type !== 'statement_list' || src.slice(start, stmt.startIndex).trim() !== '' || (after !== '' && !after.startsWith('//'))) {
    throw new Decline(`${what} (${where(file, stmt)}) shares its line with other code`);
  }
  return `\n${src.slice(start, stmt.startIndex)}`;
}

/** True for expressions that are safe to evaluate more than once: no calls, receives or side effects. */
export function pure(n: SyntaxNode | null | undefined): boolean {
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
      return pure(field(n, 'operand'));
    case 'parenthesized_expression':
      return pure(n.namedChildren[0]);
    case 'unary_expression':
      return field(n, 'operator')?.type === '*' && pure(field(n, 'operand'));
    case 'index_expression':
      return pure(field(n, 'operand')) && pure(field(n, 'index'));
    case 'binary_expression':
      return field(n, 'operator')?.type === '+' && pure(field(n, 'left')) && pure(field(n, 'right'));
    default:
      return false;
  }
}

/** The receiver of a field reference must be pure when the rewrite repeats it. */
export function requirePureRef(file: GoFile, ref: { expr: SyntaxNode }, what: string): void {
  const e = ref.expr;
  if (e.type === 'selector_expression' && !pure(field(e, 'operand'))) {
    throw new Decline(`${what} (${where(file, e)}) would evaluate ${field(e, 'operand')?.text} once per typed map`);
  }
}
