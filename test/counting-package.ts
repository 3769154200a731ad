/**
 * A package for tests of laziness: its files count how often their tree (asking parses) and their
 * text are asked for, so a test can assert that a transform parses or reads only what it needs.
 */
import { parseGo } from '../src/parse.js';
import type { GoFile, GoVersion, Package, Tree } from '../src/types.js';

export interface CountingPackage {
  pkg: Package;
  files: GoFile[];
  /** Tree requests per path. */
  parses: Map<string, number>;
  /** Text requests per path. */
  reads: Map<string, number>;
  trees: Tree[];
  /** Deletes the trees parsed so far. */
  done(): void;
}

export function countingPackage(sources: Record<string, string>, goVersion: GoVersion): CountingPackage {
  const parses = new Map<string, number>();
  const reads = new Map<string, number>();
  const trees: Tree[] = [];
  const files = Object.entries(sources).map(([path, source]) => {
    let tree: Tree | undefined;
    const get = (): Tree => {
      parses.set(path, (parses.get(path) ?? 0) + 1);
      if (!tree) trees.push((tree = parseGo(source)));
      return tree;
    };
    const file = { path, packageName: 'p', goVersion, isTest: false } as GoFile;
    Object.defineProperty(file, 'source', { get: () => (reads.set(path, (reads.get(path) ?? 0) + 1), source) });
    Object.defineProperty(file, 'tree', { get });
    Object.defineProperty(file, 'root', { get: () => get().rootNode });
    return file;
  });
  return { pkg: { dir: '', name: 'p', files }, files, parses, reads, trees, done: () => trees.forEach((t) => t.delete()) };
}
