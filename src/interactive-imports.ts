/**
 * Imports after `e` in `gomend -i`: a fix that calls `slices.Sort` carries the edit that imports
 * "slices"; when the user edits the call away but keeps the import, the file would not build
 * (`"slices" imported and not used`). These functions find such imports so the session can drop
 * the import edit or refuse the edit. Only imports whose name is sure count: the fix as offered
 * must refer to the import by that name, so a path whose package name differs from its last
 * element is never taken for unused.
 */
import { defaultImportName } from './imports.js';
import { withTree } from './parse.js';
import type { Node } from './types.js';

interface Spec {
  path: string;
  /** The name the file uses for it; undefined for `_` and `.` imports. */
  name: string | undefined;
}

function specs(root: Node): Spec[] {
  const out: Spec[] = [];
  for (const decl of root.namedChildren) {
    if (decl?.type !== 'import_declaration') continue;
    for (const spec of decl.descendantsOfType('import_spec')) {
      const p = spec?.childForFieldName('path');
      if (!spec || !p) continue;
      const path = p.text.slice(1, -1);
      const alias = spec.childForFieldName('name')?.text;
      out.push({ path, name: alias === '_' || alias === '.' ? undefined : alias ?? defaultImportName(path) });
    }
  }
  return out;
}

/** How many times `name` is used as a package qualifier (`name.X` in code or in a type). */
function qualifierUses(root: Node, name: string): number {
  let n = 0;
  for (const sel of root.descendantsOfType(['selector_expression', 'qualified_type'])) {
    const q = sel?.type === 'selector_expression' ? sel.childForFieldName('operand') : sel?.childForFieldName('package');
    if (q && (q.type === 'identifier' || q.type === 'package_identifier') && q.text === name) n++;
  }
  return n;
}

/** What a file imports and which of those names it uses, or undefined when it does not parse. */
function read(source: string, names: string[]): { specs: Spec[]; uses: Map<string, number> } | undefined {
  return withTree(source, (t) => {
    if (t.rootNode.hasError) return undefined;
    const s = specs(t.rootNode);
    return { specs: s, uses: new Map(names.map((n) => [n, qualifierUses(t.rootNode, n)])) };
  });
}

/**
 * Import paths the fix adds to a file (in `offered` and `edited`, not in `before`) that the fix as
 * offered uses and the edited text no longer does.
 */
export function unusedAddedImports(before: string, offered: string, edited: string): string[] {
  const had = withTree(before, (t) => new Set(specs(t.rootNode).map((s) => s.path)));
  const off = read(offered, []);
  if (!off) return [];
  const added = off.specs.filter((s) => !had.has(s.path) && s.name !== undefined);
  if (added.length === 0) return [];
  const names = added.map((s) => s.name!);
  const offeredUses = read(offered, names)!.uses;
  const ed = read(edited, names);
  if (!ed) return [];
  const editedPaths = new Set(ed.specs.map((s) => s.path));
  return added.filter((s) => editedPaths.has(s.path) && (offeredUses.get(s.name!) ?? 0) > 0 && (ed.uses.get(s.name!) ?? 0) === 0).map((s) => s.path);
}

/** The import paths of a source (empty when it does not parse). */
export function importPaths(source: string): Set<string> {
  return withTree(source, (t) => new Set(specs(t.rootNode).map((s) => s.path)));
}

/**
 * Where imports are added in a source: from its package clause to the end of its last import
 * declaration (or of the package clause's line when there is none).
 */
export function importArea(source: string): { start: number; end: number } | undefined {
  return withTree(source, (t) => {
    const kids = t.rootNode.namedChildren.filter((n): n is Node => !!n);
    const pkg = kids.find((n) => n.type === 'package_clause');
    if (!pkg) return undefined;
    const imports = kids.filter((n) => n.type === 'import_declaration');
    const nl = source.indexOf('\n', pkg.endIndex);
    const end = imports.length ? imports[imports.length - 1].endIndex : nl === -1 ? source.length : nl + 1;
    return { start: pkg.startIndex, end: Math.max(end, nl === -1 ? source.length : nl + 1) };
  });
}
