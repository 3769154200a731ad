/**
 * One parse per text: a mirror of a source that is already mirrored somewhere in the process is
 * made from the same arrays instead of parsing the text again.
 *
 * The same file is often mirrored twice: the package being analysed by its pass's model, and its
 * non-test files again by the module view's model of that package (a transform asks for the
 * package's own import path, as it would for any other package of the module); a package planned
 * again after its fixes has most of its texts unchanged. Parsing was most of a large package's
 * time (nats-server's `server` package parsed 16 MB for 12 MB of text).
 *
 * A shared mirror is a new `MirrorTree` over the other's arrays: its own node objects and ids, so
 * it is exactly what parsing the text again would give (no node is shared between two models).
 * The arrays are never written once a tree is sealed. Entries are held weakly: a text is shared
 * only while some mirror of it is alive, so this keeps nothing alive by itself, and whether a
 * mirror is shared or made anew changes only the time taken.
 */
import { MirrorTree, mirrorTree } from './mirror.js';
import type { SyntaxNode } from './mirror.js';
import { countSyntaxErrors } from './parse.js';
import { releaseShared, releaseTree } from './trees.js';
import type { GoFile } from './types.js';

interface Entry {
  tree: WeakRef<MirrorTree>;
  /** ERROR and MISSING nodes in the parsed tree (what `countSyntaxErrors` said before it was freed). */
  errors: number;
}

/** Live mirrors by their source text. */
const bySource = new Map<string, Entry>();
const forget = new FinalizationRegistry<string>((source) => {
  const e = bySource.get(source);
  if (e && !e.tree.deref()) bySource.delete(source);
});

/** A mirror of `source` over the arrays of a live mirror of the same text, with that parse's error count; undefined when there is none. */
export function sharedMirror(source: string): { root: SyntaxNode; errors: number } | undefined {
  const e = bySource.get(source);
  const tree = e?.tree.deref();
  if (!e || !tree) return undefined;
  return { root: MirrorTree.over(tree).rootNode, errors: e.errors };
}

/** Offers a new mirror for sharing; `errors` is its parse's count of ERROR and MISSING nodes. */
export function offerMirror(root: SyntaxNode, errors: number): void {
  const source = root.tree.source;
  if (bySource.get(source)?.tree.deref()) return;
  bySource.set(source, { tree: new WeakRef(root.tree), errors });
  forget.register(root.tree, source);
}

/**
 * A file's mirrored root: over a live mirror of the same text when there is one, else copied from
 * its tree, which `dropTrees` then frees (see trees.ts).
 */
export function mirrorFile(file: GoFile, dropTrees: boolean): SyntaxNode {
  const shared = sharedMirror(file.source);
  if (shared) {
    if (dropTrees) releaseShared(file, shared.errors);
    return shared.root;
  }
  const tree = file.tree;
  const root = mirrorTree(tree, file.source);
  offerMirror(root, root.tree.hasError ? countSyntaxErrors(tree.rootNode) : 0);
  if (dropTrees) releaseTree(file);
  return root;
}
