/**
 * Import handling shared by transforms.
 *
 * `ensureImport` must return the same edit for the same file and path every time: two fixes that
 * both need `slices` then carry identical edits, which the merger coalesces, and a fix that is
 * accepted alone still carries its own import. It places a standard-library path in the
 * standard-library run of a grouped import, sorted, so gofmt leaves the result as it is; it turns a
 * lone `import "fmt"` into a group; it never touches `import "C"` or the cgo preamble above it.
 */
import type { Edit, GoFile, Node } from './types.js';

interface ImportSpec {
  node: Node;
  path: string;
  name: string | undefined;
}

function specOf(node: Node): ImportSpec {
  const pathNode = node.childForFieldName('path');
  const nameNode = node.childForFieldName('name');
  const raw = pathNode ? pathNode.text : '""';
  return { node, path: raw.slice(1, -1), name: nameNode?.text };
}

function specsOf(decl: Node): ImportSpec[] {
  const out: ImportSpec[] = [];
  for (const child of decl.namedChildren) {
    if (!child) continue;
    if (child.type === 'import_spec') out.push(specOf(child));
    if (child.type === 'import_spec_list') {
      for (const s of child.namedChildren) if (s && s.type === 'import_spec') out.push(specOf(s));
    }
  }
  return out;
}

function importDecls(file: GoFile): Node[] {
  return file.root.namedChildren.filter((n): n is Node => !!n && n.type === 'import_declaration');
}

/** The name a path is referred to by when imported without a name: its last element, minus a /vN. */
export function defaultImportName(path: string): string {
  const parts = path.split('/');
  let last = parts[parts.length - 1];
  if (/^v\d+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  const dot = last.indexOf('.');
  if (dot > 0 && path.startsWith('gopkg.in/')) last = last.slice(0, dot);
  return last.replace(/^go-/, '').replace(/[^A-Za-z0-9_]/g, '_');
}

/** True for a standard-library import path (no dot in its first element). */
export function isStandardPath(path: string): boolean {
  return !path.split('/')[0].includes('.');
}

/** The qualifier under which `path` is usable in `file`, or undefined when it is not imported usably. */
export function importName(file: GoFile, path: string): string | undefined {
  for (const decl of importDecls(file)) {
    for (const spec of specsOf(decl)) {
      if (spec.path !== path) continue;
      if (spec.name === '_' || spec.name === '.') continue;
      return spec.name ?? defaultImportName(path);
    }
  }
  return undefined;
}

function lineStart(source: string, index: number): number {
  return source.lastIndexOf('\n', index - 1) + 1;
}

function lineEnd(source: string, index: number): number {
  const nl = source.indexOf('\n', index);
  return nl === -1 ? source.length : nl;
}

/** True when something other than white space follows `index` on its line (a trailing comment). */
function restOfLineBusy(source: string, index: number): boolean {
  return source.slice(index, lineEnd(source, index)).trim() !== '';
}

function quoteSpec(spec: { path: string; name?: string }): string {
  return (spec.name ? `${spec.name} ` : '') + JSON.stringify(spec.path);
}

/** Splits a group's specs into runs separated by blank lines, as gofmt sorts them. */
function runsOf(source: string, specs: ImportSpec[]): ImportSpec[][] {
  const runs: ImportSpec[][] = [];
  let prev: ImportSpec | undefined;
  for (const spec of specs) {
    const gap = prev ? source.slice(prev.node.endIndex, spec.node.startIndex) : '';
    if (!prev || /\n[ \t]*\n/.test(gap)) runs.push([]);
    runs[runs.length - 1].push(spec);
    prev = spec;
  }
  return runs;
}

/** Where a new line can go before `spec` without separating it from a comment above it. */
function startOfLeadingComments(source: string, spec: Node): number {
  let start = lineStart(source, spec.startIndex);
  let prev = spec.previousNamedSibling;
  while (prev && prev.type === 'comment' && lineEnd(source, prev.endIndex) + 1 === start) {
    start = lineStart(source, prev.startIndex);
    prev = prev.previousNamedSibling;
  }
  return start;
}

function insertIntoGroup(file: GoFile, list: Node, path: string): Edit | null {
  const source = file.source;
  const specs = list.namedChildren.filter((n): n is Node => !!n && n.type === 'import_spec').map(specOf);
  const open = list.startIndex;
  if (specs.length === 0) {
    // `import ()`: fill the empty group.
    return { start: open, end: list.endIndex, text: `(\n\t${JSON.stringify(path)}\n)` };
  }
  const first = specs[0].node;
  if (lineStart(source, first.startIndex) <= open) return null; // `import ("a"; "b")` on one line
  const indent = source.slice(lineStart(source, first.startIndex), first.startIndex);
  if (indent.trim() !== '') return null;
  const standard = isStandardPath(path);
  const runs = runsOf(source, specs);
  const run = runs.find((r) => r.some((s) => isStandardPath(s.path) === standard));
  if (!run) {
    // No run of this kind: standard paths go first, others last, as their own run.
    if (standard) {
      return { start: startOfLeadingComments(source, first), end: startOfLeadingComments(source, first), text: `${indent}${JSON.stringify(path)}\n\n` };
    }
    const last = specs[specs.length - 1].node;
    const at = lineEnd(source, last.endIndex);
    return { start: at, end: at, text: `\n\n${indent}${JSON.stringify(path)}` };
  }
  const after = [...run].reverse().find((s) => s.path < path);
  if (after) {
    const at = lineEnd(source, after.node.endIndex);
    return { start: at, end: at, text: `\n${indent}${JSON.stringify(path)}` };
  }
  const at = startOfLeadingComments(source, run[0].node);
  return { start: at, end: at, text: `${indent}${JSON.stringify(path)}\n` };
}

/**
 * The edit that makes `path` importable in `file` under its default name, or null when it already
 * is. Deterministic: the same file and path always give the same edit.
 */
export function ensureImport(file: GoFile, path: string): Edit | null {
  const source = file.source;
  const decls = importDecls(file);
  for (const decl of decls) {
    if (specsOf(decl).some((s) => s.path === path && s.name !== '_' && s.name !== '.')) return null;
  }
  const usable = decls.filter((d) => !specsOf(d).some((s) => s.path === 'C'));

  for (const decl of usable) {
    const list = decl.namedChildren.find((n) => n?.type === 'import_spec_list');
    if (list) {
      const edit = insertIntoGroup(file, list, path);
      if (edit) return edit;
    }
  }

  if (usable.length === 1) {
    const decl = usable[0];
    const specs = specsOf(decl);
    const inner = source.slice(decl.startIndex, decl.endIndex);
    if (specs.length === 1 && !inner.includes('//') && !inner.includes('/*') && !restOfLineBusy(source, decl.endIndex)) {
      // gofmt's order: by path, then by name (an unnamed import first); as goimports lays a group
      // out, standard-library paths form a run of their own before the others.
      const order = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
      const all = [...specs, { path, name: undefined }].sort(
        (a, b) => Number(isStandardPath(b.path)) - Number(isStandardPath(a.path)) || order(a.path, b.path) || order(a.name ?? '', b.name ?? ''),
      );
      const split = isStandardPath(all[0].path) !== isStandardPath(all[1].path);
      const body = all.map((s, i) => `${split && i === 1 ? '\n' : ''}\t${quoteSpec(s)}\n`).join('');
      return { start: decl.startIndex, end: decl.endIndex, text: `import (\n${body})` };
    }
  }

  // Otherwise a declaration of its own: after the last import, or after the package clause.
  const anchor = decls.length > 0 ? decls[decls.length - 1] : file.root.namedChildren.find((n) => n?.type === 'package_clause');
  if (!anchor) throw new Error(`${file.path}: no package clause`);
  // After the anchor's line, unless code follows it on that line (`import "fmt"; var x = 1`).
  const rest = source.slice(anchor.endIndex, lineEnd(source, anchor.endIndex)).trim();
  const at = rest === '' || rest.startsWith('//') || rest.startsWith('/*') ? lineEnd(source, anchor.endIndex) : anchor.endIndex;
  return { start: at, end: at, text: `\n\nimport ${JSON.stringify(path)}` };
}
