/**
 * Copying a tree-sitter tree into a MirrorTree (src/mirror.ts): one cursor walk per tree, over
 * the fast cursor of src/mirror-walk.ts once it has been seen to copy a sample exactly as the
 * public cursor does.
 */
import type { Tree } from 'web-tree-sitter';
import { fastCursorCandidate, publicCursor, typeTable } from './mirror-walk.js';
import type { CursorMaker, TypeTable, Walker } from './mirror-walk.js';
import { MirrorTree } from './mirror.js';
import type { SyntaxNode } from './mirror.js';
import { parseGo } from './parse.js';

/**
 * Parses a source, copies its tree and frees the wasm tree at once, so that mirroring a whole
 * package holds one wasm tree at a time. `hasError`: the tree had an ERROR or MISSING node.
 */
export function mirrorSource(source: string): { root: SyntaxNode; hasError: boolean } {
  const tree = parseGo(source);
  try {
    return { root: mirrorTree(tree, source), hasError: tree.rootNode.hasError };
  } finally {
    tree.delete();
  }
}

/**
 * Copies a tree into typed arrays with one cursor walk (see src/mirror-walk.ts for the cursors):
 * the fast cursor once it has been seen to copy a sample exactly as the public one does.
 */
export function mirrorTree(tree: Tree, source: string): SyntaxNode {
  const fast = fastCursor();
  // Read before a cursor exists: the fast cursor lives in the transfer buffer.
  const types = typeTable(tree.language);
  const root = tree.rootNode;
  const count = root.descendantCount;
  const r = walk(source, types, fast ? fast(tree) : publicCursor(tree), count);
  r.tree.hasError = root.hasError;
  return r;
}

let fastChecked = false;
let fastWalker: CursorMaker | undefined;

function fastCursor(): CursorMaker | undefined {
  if (fastChecked) return fastWalker;
  const candidate = fastCursorCandidate();
  if (!candidate) return undefined;
  fastChecked = true;
  try {
    const sample = 'package p\n\n// c\nfunc (r *T) f(a, b int) (x int, err error) {\n\tgo func() { m["é"] += a }()\n\treturn b, nil\n}\n\nvar m = map[string]int{"k": 1}\n';
    const tree = parseGo(sample);
    try {
      const types = typeTable(tree.language);
      if (sameShape(walk(sample, types, candidate(tree)), walk(sample, types, publicCursor(tree)))) fastWalker = candidate;
    } finally {
      tree.delete();
    }
  } catch {
    fastWalker = undefined;
  }
  return fastWalker;
}

/** True when two mirrors have the same types, extents, names and fields throughout. */
function sameShape(a: SyntaxNode, b: SyntaxNode): boolean {
  if (a.type !== b.type || a.isNamed !== b.isNamed || a.startIndex !== b.startIndex || a.endIndex !== b.endIndex || a.childCount !== b.childCount) return false;
  return a.children.every((c, i) => a.fieldNameForChild(i) === b.fieldNameForChild(i) && sameShape(c, b.children[i]));
}

/**
 * The walk itself, over either cursor: nodes are numbered in the order they are entered. `count`
 * is the number of nodes the runtime says the tree has; without it, a guess that grows.
 */
function walk(source: string, types: TypeTable, cursor: Walker, count?: number): SyntaxNode {
  // Go has about one node for every three characters of source.
  const m = new MirrorTree(source, types, Math.max(1, count ?? Math.ceil(source.length * 0.4)));
  const errorId = types.errorId;
  // The arrays in locals (a walk enters millions of nodes), read again when they grow.
  let { typeId, start, end, parent, fieldId, nextSibling, subtreeEnd } = m;
  const enter = (up: number, previous: number): number => {
    if (m.count === start.length) {
      m.add();
      m.count--;
      ({ typeId, start, end, parent, fieldId, nextSibling, subtreeEnd } = m);
    }
    const i = m.count++;
    const ty = cursor.typeId();
    typeId[i] = ty === 65535 ? errorId : ty;
    start[i] = cursor.startIndex();
    end[i] = cursor.endIndex();
    parent[i] = up;
    fieldId[i] = up < 0 ? 0 : cursor.fieldId();
    nextSibling[i] = -1;
    if (previous >= 0) nextSibling[previous] = i;
    return i;
  };
  try {
    let current = enter(-1, -1);
    for (;;) {
      if (cursor.firstChild()) {
        current = enter(current, -1);
        continue;
      }
      for (;;) {
        subtreeEnd[current] = m.count;
        const up = parent[current];
        if (up < 0) {
          m.seal();
          m.rootNode = m.node(0)!;
          return m.rootNode;
        }
        if (cursor.nextSibling()) {
          current = enter(up, current);
          break;
        }
        cursor.parent();
        current = up;
      }
    }
  } finally {
    cursor.done();
  }
}

/** True when trees are copied with the fast walk (the pinned runtime passed the check). */
export function fastMirrorInUse(): boolean {
  return fastCursor() !== undefined;
}
