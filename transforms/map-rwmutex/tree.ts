/**
 * The package as map-rwmutex's analysis reads it: the shared model's mirrored trees
 * (`pass.model.rootOf`), so a package is parsed and mirrored once for every transform.
 */
import type { Model } from '../../src/go/model.js';
import type { MirrorTree, SyntaxNode } from '../../src/mirror.js';
import type { Edit, GoFile as BaseGoFile, Pass } from '../../src/types.js';

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
  model: Model;
  ensureImport(file: GoFile, path: string): Edit | null;
  importName(file: GoFile, path: string): string | undefined;
}

/** The model each mirrored tree belongs to: resolution helpers start from a node alone. */
const modelByTree = new WeakMap<MirrorTree, Model>();

/** The model of a node of the package being analysed. */
export function modelOf(node: Node): Model {
  const m = modelByTree.get(node.tree);
  if (!m) throw new Error('map-rwmutex: a node outside the analysed package');
  return m;
}

/** The context of a pass: every file mirrored by the pass's model. */
export function passContext(pass: Pick<Pass, 'pkg' | 'model' | 'ensureImport' | 'importName'>): Context {
  const model = pass.model;
  const files = pass.pkg.files.map((base): GoFile => {
    const root = model.rootOf(base);
    modelByTree.set(root.tree, model);
    return { path: base.path, source: base.source, packageName: base.packageName, goVersion: base.goVersion, isTest: base.isTest, tree: root.tree, root, base, hasError: root.tree.hasError };
  });
  return {
    pkg: { dir: pass.pkg.dir, name: pass.pkg.name, files },
    model,
    ensureImport: (file, path) => {
      const e = pass.ensureImport(file.base, path);
      return e && { start: e.start, end: e.end, text: e.text };
    },
    importName: (file, path) => pass.importName(file.base, path),
  };
}
