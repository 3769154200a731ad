/**
 * Declaring the mutex: `var <name>Mu sync.RWMutex` beside a package-level map, or a field
 * `mu sync.RWMutex // guards words` directly above a struct's map field (`<field>Mu` when the
 * struct already has a lock or a `mu`). Never embedded: an embedded mutex exports Lock and Unlock.
 * gofmt aligns the struct's fields; a `var` goes where it cannot disturb the alignment of
 * neighbouring line comments.
 */
import type { Edit } from '../../src/types.js';
import type { GoFile, Node } from './tree.js';
import type { MapCandidate } from './candidates.js';
import { specNameNodes } from './candidates.js';
import type { PackageIndex } from './model.js';
import { indentAt, kids, lineStart } from '../../src/go/syntax.js';
import { descendants, lineEnd, lineOf } from './syntax.js';

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
  const grouped = kids(decl).some((k) => k.type === 'var_spec_list');
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

/**
 * The edit adding the mutex field directly above the map field (above its doc comment lines), or
 * a reason. The edit is plain: gofmt aligns the struct's fields (the transform's layout).
 */
export function declareField(c: MapCandidate, mu: string, sync: string, guards = c.name): Edit[] | string {
  const st = c.struct!;
  const src = st.file.source;
  const list = kids(st.structType).find((k) => k.type === 'field_declaration_list');
  if (!list) return `the struct ${st.name} has no field list`;
  const field = `${mu} ${sync}.RWMutex // guards ${guards}`;
  if (!list.text.includes('\n')) {
    // `struct{ m map[K]V }`: open it onto several lines.
    if (st.fields.length !== 1 || list.namedChildren.some((k) => k?.type === 'comment')) return `the one-line struct ${st.name} has more than one field`;
    // In a `type ( … )` group the one-line spec is aligned with its neighbours; opening it would re-align them.
    if (st.typeSpec.parent?.children.some((k) => k?.type === '(')) return `the one-line struct ${st.name} sits in a type group whose alignment gomend does not redo`;
    const base = indentAt(src, list.startIndex);
    return [{ start: st.structType.startIndex, end: list.endIndex, text: `struct {\n${base}\t${field}\n${base}\t${st.fields[0].text}\n${base}}` }];
  }
  let at = lineStart(src, c.spec.startIndex);
  if (src.slice(at, c.spec.startIndex).trim() !== '') return `the fields of ${st.name} are laid out in a way gomend does not re-align`;
  const first = lineEnd(src, list.startIndex) + 1;
  while (at > first && src.slice(lineStart(src, at - 1), at - 1).trim().startsWith('//')) at = lineStart(src, at - 1);
  return [{ start: at, end: at, text: `${indentAt(src, c.spec.startIndex)}${field}\n` }];
}
