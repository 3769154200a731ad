/**
 * A plain JavaScript copy of a tree-sitter tree, for analyses that walk a tree many times.
 *
 * Every property of a web-tree-sitter node (`parent`, `type`, `childForFieldName`, …) is a call
 * into WebAssembly that marshals the node through a shared buffer; an analysis that climbs parents
 * and searches descendants over a whole package spent seven times its parse time there. This copy
 * is built with one cursor walk per file and then answers the same questions from JavaScript
 * objects. It mirrors the subset of the `Node` API that gomend's analyses use, with the same
 * meaning: indices are UTF-16 code units, `descendantsOfType` includes the node itself, children
 * include anonymous nodes. The wasm tree can be deleted once the copy is made.
 */
import type { Language, Tree } from 'web-tree-sitter';
import { parseGo, wasmBinding } from './parse.js';

/** The tree a mirrored node belongs to: its source, for `text`, and line starts, for positions. */
export class MirrorTree {
  rootNode!: SyntaxNode;
  private lineStarts?: number[];

  constructor(readonly source: string) {}

  /** Row and column (UTF-16 code units) of an index. */
  position(index: number): { row: number; column: number } {
    if (!this.lineStarts) {
      const starts = [0];
      for (let i = this.source.indexOf('\n'); i !== -1; i = this.source.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return { row: lo, column: index - starts[lo] };
  }
}

/** Ids unique across every mirrored tree of the process, so they can key maps over a package. */
let nextId = 1;

const NO_CHILDREN: readonly SyntaxNode[] = Object.freeze([]) as readonly SyntaxNode[];

export class SyntaxNode {
  readonly id = nextId++;
  parent: SyntaxNode | null = null;
  children: readonly SyntaxNode[] = NO_CHILDREN;
  /** The field name of each child, in step with `children`; null when no child has one. */
  fields: (string | null)[] | null = null;
  private named?: SyntaxNode[];

  constructor(
    readonly tree: MirrorTree,
    readonly type: string,
    readonly isNamed: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
  ) {}

  get text(): string {
    return this.tree.source.slice(this.startIndex, this.endIndex);
  }

  get startPosition(): { row: number; column: number } {
    return this.tree.position(this.startIndex);
  }

  get endPosition(): { row: number; column: number } {
    return this.tree.position(this.endIndex);
  }

  get childCount(): number {
    return this.children.length;
  }

  child(index: number): SyntaxNode | null {
    return this.children[index] ?? null;
  }

  get namedChildren(): SyntaxNode[] {
    return (this.named ??= this.children.filter((c) => c.isNamed));
  }

  get namedChildCount(): number {
    return this.namedChildren.length;
  }

  namedChild(index: number): SyntaxNode | null {
    return this.namedChildren[index] ?? null;
  }

  get firstChild(): SyntaxNode | null {
    return this.children[0] ?? null;
  }

  get lastChild(): SyntaxNode | null {
    return this.children[this.children.length - 1] ?? null;
  }

  get nextSibling(): SyntaxNode | null {
    const siblings = this.parent?.children;
    return siblings ? siblings[siblings.indexOf(this) + 1] ?? null : null;
  }

  get previousSibling(): SyntaxNode | null {
    const siblings = this.parent?.children;
    return siblings ? siblings[siblings.indexOf(this) - 1] ?? null : null;
  }

  childForFieldName(name: string): SyntaxNode | null {
    const i = this.fields ? this.fields.indexOf(name) : -1;
    return i === -1 ? null : this.children[i];
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    if (!this.fields) return [];
    return this.children.filter((_, i) => this.fields![i] === name);
  }

  fieldNameForChild(index: number): string | null {
    return this.fields?.[index] ?? null;
  }

  equals(other: SyntaxNode | null | undefined): boolean {
    return this === other;
  }

  /** This node and its descendants of the given types, in document order. */
  descendantsOfType(types: string | readonly string[]): SyntaxNode[] {
    const wanted = typeof types === 'string' ? [types] : types;
    const out: SyntaxNode[] = [];
    const stack: SyntaxNode[] = [this];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (wanted.includes(n.type)) out.push(n);
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    }
    return out;
  }
}

/**
 * Copies a tree into JavaScript objects with one cursor walk.
 *
 * The fast walk calls the runtime's cursor functions directly: each public `TreeCursor` method
 * copies the cursor's four words into a shared transfer buffer and back around its call, which
 * was most of the cost, while the functions themselves keep the moved cursor in that buffer. The
 * walk leaves the cursor there between calls and copies it back once at the end. It relies on the
 * pinned web-tree-sitter's internals, so it is checked against the public API on a sample the
 * first time, and the public walk is used when the check fails.
 */
export function mirrorTree(tree: Tree, source: string): SyntaxNode {
  const fast = fastCursor();
  return fast ? walk(tree, source, fast(tree)) : walk(tree, source, publicCursor(tree));
}

/** The cursor operations a walk needs. */
interface Walker {
  typeId(): number;
  startIndex(): number;
  endIndex(): number;
  fieldId(): number;
  firstChild(): boolean;
  nextSibling(): boolean;
  parent(): boolean;
  done(): void;
}

function publicCursor(tree: Tree): Walker {
  const c = tree.walk();
  return {
    typeId: () => c.nodeTypeId,
    startIndex: () => c.startIndex,
    endIndex: () => c.endIndex,
    fieldId: () => c.currentFieldId,
    firstChild: () => c.gotoFirstChild(),
    nextSibling: () => c.gotoNextSibling(),
    parent: () => c.gotoParent(),
    done: () => c.delete(),
  };
}

/** The runtime functions of the fast walk (names as web-tree-sitter 0.25 exports them). */
interface CursorExports {
  HEAP32: Int32Array;
  _ts_init(): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
}

type FastCursor = (tree: Tree) => Walker;

let fastChecked = false;
let fastWalker: FastCursor | undefined;

/** The fast walk, once it has been seen to copy a sample exactly as the public walk does. */
function fastCursor(): FastCursor | undefined {
  if (fastChecked) return fastWalker;
  const b = wasmBinding() as Partial<CursorExports> | undefined;
  if (!b) return undefined;
  fastChecked = true;
  const names = ['_ts_init', '_ts_tree_cursor_current_node_type_id_wasm', '_ts_tree_cursor_start_index_wasm', '_ts_tree_cursor_end_index_wasm', '_ts_tree_cursor_current_field_id_wasm', '_ts_tree_cursor_goto_first_child_wasm', '_ts_tree_cursor_goto_next_sibling_wasm', '_ts_tree_cursor_goto_parent_wasm'] as const;
  if (!names.every((n) => typeof b[n] === 'function')) return undefined;
  const exports = b as CursorExports;
  const buffer = exports._ts_init() >> 2;
  const candidate: FastCursor = (tree) => {
    const cursor = tree.walk(); // leaves the new cursor in the transfer buffer
    const t = (tree as unknown as Record<number, number>)[0];
    return {
      typeId: () => exports._ts_tree_cursor_current_node_type_id_wasm(t),
      startIndex: () => exports._ts_tree_cursor_start_index_wasm(t),
      endIndex: () => exports._ts_tree_cursor_end_index_wasm(t),
      fieldId: () => exports._ts_tree_cursor_current_field_id_wasm(t),
      firstChild: () => exports._ts_tree_cursor_goto_first_child_wasm(t) === 1,
      nextSibling: () => exports._ts_tree_cursor_goto_next_sibling_wasm(t) === 1,
      parent: () => exports._ts_tree_cursor_goto_parent_wasm(t) === 1,
      done: () => {
        // The cursor moved inside the runtime (its stack may have been reallocated): take its
        // words back from the buffer so that delete() frees the right memory.
        const words = cursor as unknown as Record<number, number>;
        const heap = (b as CursorExports).HEAP32;
        for (let i = 0; i < 4; i++) words[i] = heap[buffer + i];
        cursor.delete();
      },
    };
  };
  try {
    const sample = 'package p\n\n// c\nfunc (r *T) f(a, b int) (x int, err error) {\n\tgo func() { m["é"] += a }()\n\treturn b, nil\n}\n\nvar m = map[string]int{"k": 1}\n';
    const tree = parseGo(sample);
    try {
      if (sameShape(walk(tree, sample, candidate(tree)), walk(tree, sample, publicCursor(tree)))) fastWalker = candidate;
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

/** The walk itself, over either cursor. */
function walk(tree: Tree, source: string, cursor: Walker): SyntaxNode {
  const language = tree.language;
  const types = typeTable(language);
  const mirror = new MirrorTree(source);
  const open = (parent: SyntaxNode | null): SyntaxNode => {
    const typeId = cursor.typeId();
    const node = new SyntaxNode(mirror, types.names[typeId] ?? 'ERROR', types.named[typeId] ?? true, cursor.startIndex(), cursor.endIndex());
    if (parent) {
      const fieldId = cursor.fieldId();
      node.parent = parent;
      const siblings = parent.children === NO_CHILDREN ? (parent.children = []) : (parent.children as SyntaxNode[]);
      if (fieldId) (parent.fields ??= siblings.map(() => null))[siblings.length] = language.fields[fieldId] ?? null;
      else if (parent.fields) parent.fields.push(null);
      siblings.push(node);
    }
    return node;
  };
  try {
    const root = open(null);
    mirror.rootNode = root;
    let current = root;
    for (;;) {
      if (cursor.firstChild()) {
        current = open(current);
        continue;
      }
      for (;;) {
        const up = current.parent;
        if (!up) return root;
        if (cursor.nextSibling()) {
          current = open(up);
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

const tables = new WeakMap<Language, { names: string[]; named: boolean[] }>();

/** Type names and named-ness by type id, read once per language (the error symbol is ERROR). */
function typeTable(language: Language): { names: string[]; named: boolean[] } {
  let t = tables.get(language);
  if (!t) {
    const names = language.types.map((n) => n ?? 'ERROR');
    t = { names, named: names.map((_, id) => language.nodeTypeIsNamed(id)) };
    tables.set(language, t);
  }
  return t;
}

/** True when trees are copied with the fast walk (the pinned runtime passed the check). */
export function fastMirrorInUse(): boolean {
  return fastCursor() !== undefined;
}
