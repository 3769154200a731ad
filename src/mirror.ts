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
import { LineIndex } from './lines.js';
import type { TypeTable } from './mirror-walk.js';
export type { TypeTable } from './mirror-walk.js';
export { fastMirrorInUse, mirrorSource, mirrorTree } from './mirror-copy.js';

/**
 * The tree a mirrored node belongs to. Nodes are stored in document order (pre-order) in typed
 * arrays, all views of one buffer sized to the tree's node count, so a node's descendants are the
 * contiguous run up to `subtreeEnd`, and a search of a subtree is a scan that creates objects only
 * for the nodes it returns. Node objects are made on first use and kept, so the same node is
 * always the same object.
 */
export class MirrorTree {
  rootNode!: SyntaxNode;
  count = 0;
  start!: Int32Array;
  end!: Int32Array;
  parent!: Int32Array;
  nextSibling!: Int32Array;
  subtreeEnd!: Int32Array;
  /** Type and field ids, one byte each when the language allows (see `TypeTable.compact`). */
  typeId!: Uint8Array | Uint16Array;
  fieldId!: Uint8Array | Uint16Array;
  /** Node objects by index, made on first use; sized once the walk is done (see `seal`). */
  private handles: (SyntaxNode | undefined)[] = [];
  private lines?: LineIndex;
  /**
   * First id of this tree's nodes: ids are unique across all trees of the process, and numbered
   * densely so that they stay small integers (a map keyed by larger ones hashes boxed numbers).
   */
  idBase = 0;
  /** The parsed tree had an ERROR or MISSING node (known without the wasm tree, which may be freed). */
  hasError = false;

  constructor(
    readonly source: string,
    readonly types: TypeTable,
    capacity: number,
  ) {
    this.resize(capacity);
  }

  /**
   * A tree over `other`'s arrays (which no one writes once a tree is sealed), with its own node
   * objects and ids: what mirroring the same text again would give, without the parse and the
   * copy (see mirror-share.ts).
   */
  static over(other: MirrorTree): MirrorTree {
    const m = new MirrorTree(other.source, other.types, 0);
    [m.start, m.end, m.parent, m.nextSibling, m.subtreeEnd, m.typeId, m.fieldId] = [other.start, other.end, other.parent, other.nextSibling, other.subtreeEnd, other.typeId, other.fieldId];
    m.count = other.count;
    m.lines = other.lines;
    m.hasError = other.hasError;
    m.seal();
    m.rootNode = m.node(0)!;
    return m;
  }

  /** Moves the arrays to one buffer for `capacity` nodes, keeping the nodes there are. */
  private resize(capacity: number): void {
    const idBytes = this.types.compact ? 1 : 2;
    const buffer = new ArrayBuffer(capacity * (20 + 2 * idBytes));
    const i32 = (k: number) => new Int32Array(buffer, k * 4 * capacity, capacity);
    const id = (k: number) => (this.types.compact ? new Uint8Array(buffer, 20 * capacity + k * capacity, capacity) : new Uint16Array(buffer, 20 * capacity + k * 2 * capacity, capacity));
    const old = this.start && ([this.start, this.end, this.parent, this.nextSibling, this.subtreeEnd, this.typeId, this.fieldId] as const);
    [this.start, this.end, this.parent, this.nextSibling, this.subtreeEnd] = [i32(0), i32(1), i32(2), i32(3), i32(4)];
    [this.typeId, this.fieldId] = [id(0), id(1)];
    if (!old) return;
    const now = [this.start, this.end, this.parent, this.nextSibling, this.subtreeEnd, this.typeId, this.fieldId];
    old.forEach((a, k) => now[k].set(a.subarray(0, this.count)));
  }

  /** Room for one more node; returns its index. */
  add(): number {
    if (this.count === this.start.length) this.resize(this.count * 2);
    return this.count++;
  }

  /**
   * Ends the walk: the arrays are cut to the nodes there are (the walk is sized exactly when the
   * runtime tells the count), and the handle list is made at its full length, so that V8 keeps it
   * a flat array instead of a dictionary of the few indices used.
   */
  seal(): void {
    if (this.count !== this.start.length) this.resize(this.count);
    this.handles = new Array(this.count);
    this.idBase = nextId;
    nextId += this.count;
  }

  /** The node object of an index (-1: none). */
  node(index: number): SyntaxNode | null {
    if (index < 0) return null;
    return (this.handles[index] ??= new SyntaxNode(this, index));
  }

  /** Row and column (0-based, UTF-16 code units) of an index. */
  position(index: number): { row: number; column: number } {
    const { line, column } = (this.lines ??= new LineIndex(this.source)).position(index);
    return { row: line - 1, column: column - 1 };
  }
}

/** Ids unique across every mirrored tree of the process, so they can key maps over a package. */
let nextId = 1;

/** A node of a mirrored tree: a handle on its index, answering as web-tree-sitter's `Node` does. */
export class SyntaxNode {
  constructor(
    readonly tree: MirrorTree,
    readonly index: number,
  ) {}

  get id(): number {
    return this.tree.idBase + this.index;
  }

  get type(): string {
    return this.tree.types.names[this.tree.typeId[this.index]] ?? 'ERROR';
  }

  get isNamed(): boolean {
    return this.tree.types.named[this.tree.typeId[this.index]] ?? true;
  }

  get startIndex(): number {
    return this.tree.start[this.index];
  }

  get endIndex(): number {
    return this.tree.end[this.index];
  }

  get text(): string {
    return this.tree.source.slice(this.startIndex, this.endIndex);
  }

  get startPosition(): { row: number; column: number } {
    return this.tree.position(this.startIndex);
  }

  get endPosition(): { row: number; column: number } {
    return this.tree.position(this.endIndex);
  }

  get parent(): SyntaxNode | null {
    return this.tree.node(this.tree.parent[this.index]);
  }

  /** Position of the first child (-1: none). */
  private firstIndex(): number {
    const t = this.tree;
    const first = this.index + 1;
    return first < t.count && t.parent[first] === this.index ? first : -1;
  }

  /**
   * The children, made on each call (not kept: a list kept per node cost a large package more
   * memory than remaking the few lists it asks for again). Node objects are kept, see `node`.
   */
  get children(): SyntaxNode[] {
    const t = this.tree;
    const first = this.firstIndex();
    let n = 0;
    for (let c = first; c !== -1; c = t.nextSibling[c]) n++;
    // Counted first and filled in place: an array grown by push keeps room for 17 elements.
    const kids = new Array<SyntaxNode>(n);
    for (let c = first, k = 0; k < n; c = t.nextSibling[c], k++) kids[k] = t.node(c)!;
    return kids;
  }

  get childCount(): number {
    const t = this.tree;
    let n = 0;
    for (let c = this.firstIndex(); c !== -1; c = t.nextSibling[c]) n++;
    return n;
  }

  child(index: number): SyntaxNode | null {
    const t = this.tree;
    if (index < 0) return null;
    let c = this.firstIndex();
    for (let k = 0; c !== -1 && k < index; k++) c = t.nextSibling[c];
    return t.node(c);
  }

  /** The named children, from the arrays (no object is made for the punctuation between them); made on each call as `children`. */
  get namedChildren(): SyntaxNode[] {
    const t = this.tree;
    const named = t.types.named;
    const first = this.firstIndex();
    let n = 0;
    for (let c = first; c !== -1; c = t.nextSibling[c]) if (named[t.typeId[c]] ?? true) n++;
    const out = new Array<SyntaxNode>(n);
    if (n > 0) for (let c = first, k = 0; c !== -1; c = t.nextSibling[c]) if (named[t.typeId[c]] ?? true) out[k++] = t.node(c)!;
    return out;
  }

  get namedChildCount(): number {
    const t = this.tree;
    const named = t.types.named;
    let n = 0;
    for (let c = this.firstIndex(); c !== -1; c = t.nextSibling[c]) if (named[t.typeId[c]] ?? true) n++;
    return n;
  }

  namedChild(index: number): SyntaxNode | null {
    const t = this.tree;
    const named = t.types.named;
    if (index < 0) return null;
    for (let c = this.firstIndex(), k = 0; c !== -1; c = t.nextSibling[c]) if ((named[t.typeId[c]] ?? true) && k++ === index) return t.node(c);
    return null;
  }

  get firstChild(): SyntaxNode | null {
    return this.tree.node(this.firstIndex());
  }

  get lastChild(): SyntaxNode | null {
    const t = this.tree;
    let last = -1;
    for (let c = this.firstIndex(); c !== -1; c = t.nextSibling[c]) last = c;
    return t.node(last);
  }

  get nextSibling(): SyntaxNode | null {
    return this.tree.node(this.tree.nextSibling[this.index]);
  }

  get previousSibling(): SyntaxNode | null {
    const t = this.tree;
    const up = t.parent[this.index];
    if (up < 0) return null;
    let prev = -1;
    for (let c = up + 1; c !== this.index && c !== -1; c = t.nextSibling[c]) prev = c;
    return t.node(prev);
  }

  childForFieldName(name: string): SyntaxNode | null {
    const t = this.tree;
    const field = t.types.fieldIds.get(name);
    if (field === undefined) return null;
    const first = this.index + 1;
    if (first >= t.subtreeEnd[this.index]) return null;
    for (let c = first; c !== -1; c = t.nextSibling[c]) if (t.fieldId[c] === field) return t.node(c);
    return null;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    const field = this.tree.types.fieldIds.get(name);
    return field === undefined ? [] : this.children.filter((c) => this.tree.fieldId[c.index] === field);
  }

  fieldNameForChild(index: number): string | null {
    const c = this.children[index];
    return c ? this.tree.types.fields[this.tree.fieldId[c.index]] ?? null : null;
  }

  equals(other: SyntaxNode | null | undefined): boolean {
    return this === other;
  }


  /** The text of the node at a position, without making its node object. */
  private textAt(index: number): string {
    return this.tree.source.slice(this.tree.start[index], this.tree.end[index]);
  }

  /**
   * This node and its descendants of the given types whose text passes `keep`, in document order.
   * Node objects are made only for the nodes kept: most identifiers of a file are never asked for.
   * `keep` also gets the node's position, to ask the tree's arrays more before a node is made.
   */
  descendantsWhere(types: string | readonly string[], keep: (type: string, text: string, index: number) => boolean): SyntaxNode[] {
    const t = this.tree;
    const out: SyntaxNode[] = [];
    const mask = t.types.maskOf(types);
    const ids = t.typeId;
    const end = t.subtreeEnd[this.index];
    for (let i = this.index; i < end; i++) if (mask[ids[i]] === 1 && keep(t.types.names[ids[i]] ?? 'ERROR', this.textAt(i), i)) out.push(t.node(i)!);
    return out;
  }

  /** Positions (see `MirrorTree.node`) of this node and its descendants of the given types, by text. */
  indexByText(types: string | readonly string[]): Map<string, number[]> {
    const out = new Map<string, number[]>();
    const t = this.tree;
    const mask = t.types.maskOf(types);
    const ids = t.typeId;
    const end = t.subtreeEnd[this.index];
    for (let i = this.index; i < end; i++) {
      if (mask[ids[i]] !== 1) continue;
      const text = this.textAt(i);
      const list = out.get(text);
      if (list) list.push(i);
      else out.set(text, [i]);
    }
    return out;
  }

  /**
   * The nearest proper ancestor of one of the given types, or null. Climbs the arrays: no object is
   * made for the nodes in between (an analysis asking "which function is this in" of every call of
   * a large package would otherwise make one for every statement and block around them).
   */
  closest(types: string | readonly string[]): SyntaxNode | null {
    const t = this.tree;
    const mask = t.types.maskOf(types);
    for (let p = t.parent[this.index]; p >= 0; p = t.parent[p]) if (mask[t.typeId[p]] === 1) return t.node(p);
    return null;
  }

  /**
   * The smallest node (named or not) under this one spanning `[start, end]`, as web-tree-sitter
   * answers. Descends the arrays: only the node returned gets an object.
   */
  descendantForIndex(start: number, end = start): SyntaxNode {
    const t = this.tree;
    let n = this.index;
    for (;;) {
      let next = -1;
      for (let c = n + 1 < t.subtreeEnd[n] ? n + 1 : -1; c !== -1; c = t.nextSibling[c]) {
        if (t.start[c] <= start && end <= t.end[c] && t.end[c] > t.start[c]) {
          next = c;
          break;
        }
      }
      if (next < 0) return t.node(n)!;
      n = next;
    }
  }

  /**
   * The ancestor (or this node) whose parent is a node of type `type`, climbing no further than
   * the first such parent; null when none is (`topLevelDecl` over the arrays, see `closest`).
   */
  childOfNearest(type: string): SyntaxNode | null {
    const t = this.tree;
    const mask = t.types.maskOf(type);
    let i = this.index;
    while (t.parent[i] >= 0 && mask[t.typeId[t.parent[i]]] !== 1) i = t.parent[i];
    return t.parent[i] >= 0 ? t.node(i) : null;
  }

  /** This node and its descendants of the given types, in document order. */
  descendantsOfType(types: string | readonly string[]): SyntaxNode[] {
    const t = this.tree;
    const out: SyntaxNode[] = [];
    const mask = t.types.maskOf(types);
    const ids = t.typeId;
    const end = t.subtreeEnd[this.index];
    for (let i = this.index; i < end; i++) if (mask[ids[i]] === 1) out.push(t.node(i)!);
    return out;
  }
}
