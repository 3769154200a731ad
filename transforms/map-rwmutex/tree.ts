/**
 * The package as map-rwmutex's analysis reads it: every file's tree copied into JavaScript objects
 * (src/mirror.ts). The analysis climbs parents and searches descendants across a whole package
 * many times over, which through the wasm node API cost several times the parse itself.
 */
import { mirrorSource, mirrorTree, type MirrorTree, type SyntaxNode } from '../../src/mirror.js';
import { parsedTree } from '../../src/pass.js';
import type { Context as BaseContext, Edit, GoFile as BaseGoFile } from '../../src/types.js';

export type Node = SyntaxNode;

/**
 * A file of the package with its mirrored tree; `base` is the driver's file, for imports.
 * `hasError`: tree-sitter found an error or a missing node in it.
 */
export interface GoFile extends Omit<BaseGoFile, 'tree' | 'root'> {
  tree: MirrorTree;
  root: SyntaxNode;
  base: BaseGoFile;
  hasError: boolean;
}

export interface Package {
  dir: string;
  name: string;
  files: GoFile[];
}

/** The transform context over the mirrored package. */
export interface Context {
  pkg: Package;
  ensureImport(file: GoFile, path: string): Edit | null;
  importName(file: GoFile, path: string): string | undefined;
}

/**
 * Mirrors every file of the context's package. A file the planner has parsed already (for another
 * transform) is copied from its tree; any other is parsed here and its wasm tree freed as soon as
 * it is copied: holding the planner's trees of a whole large package at once took more memory than
 * everything else (nats-server's `server` package: 310 MB of trees for 12 MB of Go). The planner's
 * own tree of such a file (`base.tree`, `base.root`) is made only where it is needed: for a file
 * tree-sitter cannot read whole, so that the planner sees its syntax errors as when it parsed every
 * file itself, and for the imports of a file a fix edits. `base` is never spread: its `tree` and
 * `root` are getters that parse.
 */
export function mirrorContext(ctx: BaseContext): Context {
  const files = ctx.pkg.files.map((base): GoFile => {
    const parsed = parsedTree(base);
    const { root, hasError } = parsed ? { root: mirrorTree(parsed, base.source), hasError: parsed.rootNode.hasError } : mirrorSource(base.source);
    if (hasError) void base.tree;
    return { path: base.path, source: base.source, packageName: base.packageName, goVersion: base.goVersion, isTest: base.isTest, tree: root.tree, root, base, hasError };
  });
  return {
    pkg: { dir: ctx.pkg.dir, name: ctx.pkg.name, files },
    ensureImport: (file, path) => ctx.ensureImport(file.base, path),
    importName: (file, path) => ctx.importName(file.base, path),
  };
}
