/**
 * The package as map-rwmutex's analysis reads it: every file's tree copied into JavaScript objects
 * (src/mirror.ts). The analysis climbs parents and searches descendants across a whole package
 * many times over, which through the wasm node API cost several times the parse itself.
 */
import { mirrorTree, type MirrorTree, type SyntaxNode } from '../../src/mirror.js';
import type { Context as BaseContext, Edit, GoFile as BaseGoFile } from '../../src/types.js';

export type Node = SyntaxNode;

/** A file of the package with its mirrored tree; `base` is the driver's file, for imports. */
export interface GoFile extends Omit<BaseGoFile, 'tree' | 'root'> {
  tree: MirrorTree;
  root: SyntaxNode;
  base: BaseGoFile;
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

/** Mirrors every file of the context's package (parsing those not parsed yet). */
export function mirrorContext(ctx: BaseContext): Context {
  const files = ctx.pkg.files.map((base): GoFile => {
    const root = mirrorTree(base.tree, base.source);
    return { ...base, tree: root.tree, root, base };
  });
  return {
    pkg: { dir: ctx.pkg.dir, name: ctx.pkg.name, files },
    ensureImport: (file, path) => ctx.ensureImport(file.base, path),
    importName: (file, path) => ctx.importName(file.base, path),
  };
}
