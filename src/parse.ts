/**
 * Parsing Go with the wasm build of tree-sitter.
 *
 * The wasm build is used instead of the native binding because it keeps trees in a linear memory
 * that `tree.delete()` really frees: the native binding holds trees outside the JavaScript heap and
 * grew to about 2 GB when parsing Go's standard library in one process. Every caller that parses
 * must delete its tree (see `withTree`). Indices are UTF-16 code units, like `String.prototype.slice`.
 */
import { createRequire } from 'node:module';
import { Language, Parser, Query } from 'web-tree-sitter';
import type { Node, Tree } from 'web-tree-sitter';

const require = createRequire(import.meta.url);

let goLanguage: Language | undefined;
let parser: Parser | undefined;

/**
 * The options object handed to the runtime at start-up, which Emscripten fills in with the
 * module's exports: src/mirror.ts reads trees through them directly (see there).
 */
const binding: Record<string, unknown> = {};

/** The runtime's module object, once `initParser` has run. */
export function wasmBinding(): Record<string, unknown> | undefined {
  return parser ? binding : undefined;
}

/** Loads the runtime and the Go grammar once per process (or worker). */
export async function initParser(): Promise<void> {
  if (parser) return;
  await Parser.init(binding);
  goLanguage = await Language.load(require.resolve('tree-sitter-go/tree-sitter-go.wasm'));
  parser = new Parser();
  parser.setLanguage(goLanguage);
}

function ready(): { parser: Parser; language: Language } {
  if (!parser || !goLanguage) throw new Error('initParser() must be awaited before parsing');
  return { parser, language: goLanguage };
}

/** Parses Go source. The caller owns the tree and must call `tree.delete()`. */
export function parseGo(source: string): Tree {
  const tree = ready().parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/** The Go grammar, for building queries. */
export function goLanguageLoaded(): Language {
  return ready().language;
}

const queryCache = new Map<string, Query>();

/**
 * A compiled query, built once per process. Misspelt node types or fields throw here, so a grammar
 * upgrade breaks loudly instead of silently matching nothing.
 */
export function query(source: string): Query {
  let q = queryCache.get(source);
  if (!q) {
    q = new Query(ready().language, source);
    queryCache.set(source, q);
  }
  return q;
}

/** The first ERROR or MISSING node in document order, or undefined when the tree is clean. */
export function firstSyntaxError(root: Node): Node | undefined {
  if (!root.hasError) return undefined;
  const cursor = root.walk();
  try {
    for (;;) {
      const n = cursor.currentNode;
      if (n.isError || n.isMissing) return n;
      if (n.hasError && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return root;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** Counts ERROR and MISSING nodes: an edit must never add one. */
export function countSyntaxErrors(root: Node): number {
  if (!root.hasError) return 0;
  let count = 0;
  const cursor = root.walk();
  try {
    for (;;) {
      const n = cursor.currentNode;
      if (n.isError || n.isMissing) count++;
      else if (n.hasError && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return count;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** Runs `fn` on a freshly parsed tree and always frees it. */
export function withTree<T>(source: string, fn: (tree: Tree) => T): T {
  const tree = parseGo(source);
  try {
    return fn(tree);
  } finally {
    tree.delete();
  }
}

/** The number of ERROR and MISSING nodes in `source`'s tree, parsed and freed at once. */
export function syntaxErrorCount(source: string): number {
  return withTree(source, (tree) => countSyntaxErrors(tree.rootNode));
}
