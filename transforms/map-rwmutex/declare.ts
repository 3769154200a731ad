/**
 * Declaring the mutex: `var <name>Mu sync.RWMutex` beside a package-level map, or a field
 * `mu sync.RWMutex // guards words` directly above a struct's map field (`<field>Mu` when the
 * struct already has a lock or a `mu`). Never embedded: an embedded mutex exports Lock and Unlock.
 * The struct's field block is re-aligned as gofmt would; a `var` goes where it cannot disturb
 * the alignment of neighbouring line comments.
 */
import type { Edit } from '../../src/types.js';
import type { GoFile, Node } from './tree.js';
import { bodyLines, fieldCells, renderRun } from './align.js';
import type { BodyLine } from './align.js';
import type { MapCandidate } from './candidates.js';
import { specNameNodes } from './candidates.js';
import type { PackageIndex } from './model.js';
import { descendants, indentAt, lineEnd, lineOf, lineStart, namedKids } from './syntax.js';

/** Lines (0-based) of a file that end in a comment following code. */
function trailingCommentLines(file: GoFile): Set<number> {
  const out = new Set<number>();
  for (const c of descendants(file.root, 'comment')) {
    if (file.source.slice(lineStart(file.source, c.startIndex), c.startIndex).trim() !== '') out.add(c.startPosition.row);
  }
  return out;
}

/** Start of the doc comment lines directly above `node` (or of its own line). */
function docStart(source: string, node: Node): number {
  let at = lineStart(source, node.startIndex);
  while (at > 0) {
    const prev = lineStart(source, at - 1);
    const t = source.slice(prev, at - 1).trim();
    if (!t.startsWith('//')) break;
    at = prev;
  }
  return at;
}

/** The edit declaring `var <name>Mu sync.RWMutex` next to a package-level map, or a reason. */
export function declareVar(c: MapCandidate, mu: string, sync: string): Edit | string {
  const file = c.file;
  const src = file.source;
  const decl = c.decl!;
  const grouped = namedKids(decl).some((k) => k.type === 'var_spec_list');
  const at = docStart(src, decl);
  const hasDoc = at < lineStart(src, decl.startIndex);
  const trailing = trailingCommentLines(file);
  const row = (i: number): number => lineOf(src, i) - 1;
  if (grouped) {
    return { start: at, end: at, text: `// ${mu} guards ${c.name}.\nvar ${mu} ${sync}.RWMutex\n\n` };
  }
  const text = `var ${mu} ${sync}.RWMutex\n${hasDoc ? '\n' : ''}`;
  // Between two lines with line comments the insertion would split their alignment.
  const splitsAbove = at > 0 && !hasDoc && trailing.has(row(at) - 1) && trailing.has(row(at));
  if (!splitsAbove) return { start: at, end: at, text };
  const after = lineEnd(src, decl.endIndex);
  const splitsBelow = trailing.has(row(decl.endIndex)) && trailing.has(row(decl.endIndex) + 1);
  if (!splitsBelow) return { start: after, end: after, text: `\nvar ${mu} ${sync}.RWMutex` };
  return `a new declaration beside ${c.name} would disturb the alignment of the comments around it`;
}

/**
 * The lock's field name for a struct field: `mu`, or `<field>Mu` when the struct has a lock, a
 * `mu`, or other map fields (each map gets its own lock, and the fixes stay independent).
 */
export function fieldMutexName(index: PackageIndex, c: MapCandidate): string | undefined {
  const st = c.struct!;
  const names = new Set<string>();
  let hasLock = false;
  for (const f of st.fields) {
    for (const n of specNameNodes(f)) names.add(n.text);
    const t = f.childForFieldName('type')?.text ?? '';
    if (specNameNodes(f).length === 0) names.add(t.replace(/^\*/, '').replace(/^.*\./, ''));
    if (/Mutex|Lock|\bmu\b/.test(t) || specNameNodes(f).some((n) => /^(mu|lock|mutex)$|Mu$|Lock$|Mutex$/.test(n.text))) hasLock = true;
  }
  for (const list of index.methods.values()) for (const m of list) if (m.recvType === st.name) names.add(m.name);
  const maps = st.fields.filter((f) => f.childForFieldName('type')?.type === 'map_type').length;
  const name = hasLock || maps > 1 || names.has('mu') ? `${c.name}Mu` : 'mu';
  return names.has(name) ? undefined : name;
}

/**
 * The one lock field for several maps of a struct: `mu`, or undefined when the struct already has
 * a lock or something named `mu` (each map then gets its own).
 */
export function groupMutexName(index: PackageIndex, c: MapCandidate): string | undefined {
  const own = fieldMutexName(index, c);
  if (own === undefined) return undefined;
  const st = c.struct!;
  const taken = st.fields.some((f) => {
    const t = f.childForFieldName('type')?.text ?? '';
    return /Mutex|Lock|\bmu\b/.test(t) || specNameNodes(f).some((n) => /^(mu|lock|mutex)$|Mu$|Lock$|Mutex$/.test(n.text));
  });
  const methods = [...index.methods.values()].some((list) => list.some((m) => m.recvType === st.name && m.name === 'mu'));
  return taken || methods ? undefined : 'mu';
}

/** Edits adding the mutex field directly above the map field, re-aligned as gofmt would. */
export function declareField(c: MapCandidate, mu: string, sync: string, guards = c.name): Edit[] | string {
  const st = c.struct!;
  const file = st.file;
  const src = file.source;
  const list = namedKids(st.structType).find((k) => k.type === 'field_declaration_list');
  if (!list) return `the struct ${st.name} has no field list`;
  const newCells = fieldCells(mu, `${sync}.RWMutex`, '', `// guards ${guards}`);
  if (!list.text.includes('\n')) {
    // `struct{ m map[K]V }`: open it onto several lines.
    if (st.fields.length !== 1 || list.namedChildren.some((k) => k?.type === 'comment')) return `the one-line struct ${st.name} has more than one field`;
    // In a `type ( … )` group the one-line spec is aligned with its neighbours; opening it would re-align them.
    if (st.typeSpec.parent?.children.some((k) => k?.type === '(')) return `the one-line struct ${st.name} sits in a type group whose alignment gomend does not redo`;
    const f = st.fields[0];
    const names = specNameNodes(f).map((n) => n.text).join(', ');
    const base = indentAt(src, list.startIndex);
    const rows = renderRun([newCells, fieldCells(names, f.childForFieldName('type')!.text, f.childForFieldName('tag')?.text ?? '', '')], `${base}\t`);
    const structKw = st.structType.startIndex;
    return [{ start: structKw, end: list.endIndex, text: `struct {\n${rows.join('\n')}\n${base}}` }];
  }
  const lines = bodyLines(file, list);
  if (!lines) return `the fields of ${st.name} are laid out in a way gomend does not re-align`;
  const fieldLine = lines.findIndex((l) => c.spec.startIndex >= l.start && c.spec.startIndex <= l.end);
  if (fieldLine < 0) return `the field ${c.name} was not found in ${st.name}`;
  let insertAt = fieldLine;
  while (insertAt > 0 && lines[insertAt - 1].text.trim().startsWith('//')) insertAt--;
  const indent = indentAt(src, c.spec.startIndex);
  if (!/^\t*$/.test(indent)) {
    const at = lines[insertAt].start;
    return [{ start: at, end: at, text: `${indent}${mu} ${sync}.RWMutex // guards ${guards}\n` }];
  }
  const inserted: BodyLine = { start: -1, end: -1, text: '', cells: newCells };
  const all = [...lines.slice(0, insertAt), inserted, ...lines.slice(insertAt)];
  // The run of field lines around the new one: consecutive one-line fields, maybe ending at a multi-line field's first line.
  let a = insertAt;
  while (a > 0 && all[a - 1].cells && !all[a - 1].multi && indentAt(src, all[a - 1].start) === indent) a--;
  let b = insertAt;
  while (b + 1 < all.length && all[b + 1].cells && indentAt(src, all[b + 1].start) === indent && !all[b].multi) b++;
  const run = all.slice(a, b + 1);
  const original = run.filter((l) => l !== inserted);
  const check = renderRun(original.map((l) => l.cells!), indent);
  if (original.length > 0 && check.some((t, i) => t !== original[i].text)) {
    return `the fields of ${st.name} are laid out in a way gomend does not re-align`;
  }
  const rendered = renderRun(run.map((l) => l.cells!), indent);
  if (original.length === 0) {
    // gofmt drops blank lines between `{` and the first field.
    const leading = lines.slice(0, insertAt).every((l) => l.text.trim() === '');
    const at = leading ? lines[0].start : lines[insertAt].start;
    return [{ start: at, end: lines[insertAt].start, text: `${rendered[0]}\n` }];
  }
  const start = original[0].start;
  const end = original[original.length - 1].end;
  return [{ start, end, text: rendered.join('\n') }];
}
