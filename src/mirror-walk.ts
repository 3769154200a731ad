/**
 * The cursors src/mirror.ts copies a tree with: web-tree-sitter's public `TreeCursor`, and a fast
 * one that calls the runtime's cursor functions directly.
 *
 * Each public `TreeCursor` method copies the cursor's four words into a shared transfer buffer and
 * back around its call, which was most of the cost of a copy, while the functions themselves keep
 * the moved cursor in that buffer. The fast cursor leaves it there between calls and copies it
 * back once at the end. It relies on the pinned web-tree-sitter's internals, so mirror.ts checks
 * it against the public one on a sample before using it.
 */
import type { Language, Tree } from 'web-tree-sitter';
import { wasmBinding } from './parse.js';

/** The cursor operations a walk needs. */
export interface Walker {
  typeId(): number;
  startIndex(): number;
  endIndex(): number;
  fieldId(): number;
  firstChild(): boolean;
  nextSibling(): boolean;
  parent(): boolean;
  done(): void;
}

export type CursorMaker = (tree: Tree) => Walker;

export function publicCursor(tree: Tree): Walker {
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

const NAMES = ['_ts_init', '_ts_tree_cursor_current_node_type_id_wasm', '_ts_tree_cursor_start_index_wasm', '_ts_tree_cursor_end_index_wasm', '_ts_tree_cursor_current_field_id_wasm', '_ts_tree_cursor_goto_first_child_wasm', '_ts_tree_cursor_goto_next_sibling_wasm', '_ts_tree_cursor_goto_parent_wasm'] as const;

/** The fast cursor, unchecked; undefined before `initParser` or when the runtime lacks a function. */
export function fastCursorCandidate(): CursorMaker | undefined {
  const b = wasmBinding() as Partial<CursorExports> | undefined;
  if (!b || !NAMES.every((n) => typeof b[n] === 'function')) return undefined;
  const exports = b as CursorExports;
  const buffer = exports._ts_init() >> 2;
  return (tree) => {
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
        const heap = exports.HEAP32;
        for (let i = 0; i < 4; i++) words[i] = heap[buffer + i];
        cursor.delete();
      },
    };
  };
}

/** Names of a language's node types and fields by id, and type ids by name. */
export class TypeTable {
  readonly names: string[];
  readonly named: boolean[];
  readonly fields: (string | null)[];
  readonly fieldIds = new Map<string, number>();
  /**
   * A tree stores a type id and a field id per node in one byte each when the language has fewer
   * than 255 types and 256 fields (Go: 219 and 36), else in two. An ERROR node (id 65535 in the
   * runtime) is stored as `errorId`: 255, or 65535; `names` has no entry there either way.
   */
  readonly compact: boolean;
  readonly errorId: number;
  private readonly masks = new Map<string, Uint8Array>();
  /** The same masks by frozen list (see `maskOf`). */
  private readonly masksByList = new WeakMap<readonly string[], Uint8Array>();
  private readonly byName = new Map<string, number[]>();

  constructor(language: Language) {
    this.names = language.types.map((n) => n ?? 'ERROR');
    this.named = this.names.map((_, id) => language.nodeTypeIsNamed(id));
    this.fields = language.fields.map((f) => f ?? null);
    this.fields.forEach((f, id) => {
      if (f) this.fieldIds.set(f, id);
    });
    this.compact = this.names.length < 255 && this.fields.length <= 256;
    this.errorId = this.compact ? 255 : 65535;
    this.names.forEach((n, id) => this.byName.set(n, [...(this.byName.get(n) ?? []), id]));
    this.byName.set('ERROR', [...(this.byName.get('ERROR') ?? []), this.errorId]);
  }

  /** The id a tree stores for a type id of the runtime. */
  storedId(runtimeId: number): number {
    return runtimeId === 65535 ? this.errorId : runtimeId;
  }

  /**
   * The stored ids of the given type names (one name may have several ids) as a mask indexed by
   * id: 1 for the types asked for. A frozen list (a constant of the caller) is remembered by
   * identity, so that asking with it often does not build its key.
   */
  maskOf(types: string | readonly string[]): Uint8Array {
    const frozen = typeof types !== 'string' && Object.isFrozen(types);
    if (frozen) {
      const known = this.masksByList.get(types);
      if (known) return known;
    }
    const key = typeof types === 'string' ? types : types.join(' ');
    let mask = this.masks.get(key);
    if (!mask) {
      mask = new Uint8Array(this.compact ? 256 : 65536);
      for (const t of typeof types === 'string' ? [types] : types) for (const id of this.byName.get(t) ?? []) mask[id] = 1;
      this.masks.set(key, mask);
    }
    if (frozen) this.masksByList.set(types as readonly string[], mask);
    return mask;
  }
}

const tables = new WeakMap<Language, TypeTable>();

export function typeTable(language: Language): TypeTable {
  let t = tables.get(language);
  if (!t) {
    t = new TypeTable(language);
    tables.set(language, t);
  }
  return t;
}
