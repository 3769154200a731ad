/**
 * When a model resolves what. A whole-package model resolves every file at once; a lazy one
 * resolves a top-level declaration when something in it is asked about (declarations see only
 * the file and package scopes, so each can be resolved alone), a local's uses by resolving the
 * declaration that declares it, and resolves every file again, in file order, the first time a
 * question needs the whole package: an object's uses then come in the order a whole-package model
 * gives, and the objects handed out before stay the same (see scope.ts).
 */
import type { MirrorTree, SyntaxNode } from '../mirror.js';
import type { FileInfo } from './decls.js';
import type { Obj, Scope } from './objects.js';
import { resolveFile } from './scope.js';
import { topLevelDecl } from './syntax.js';
import type { Resolution } from './scope.js';

export class PackageResolution {
  readonly res: Resolution = { uses: new Map(), defs: new Map(), usesOf: new Map() };
  private readonly resolved = new Set<SyntaxNode>();
  private complete = false;

  constructor(
    /** Every file of the package, in order (loading them if need be). */
    private readonly files: () => readonly FileInfo[],
    /** The file of a node (loading its declarations if need be). */
    private readonly fileOf: (n: SyntaxNode) => FileInfo | undefined,
  ) {}

  /**
   * Records a file's package-level objects as declared by their identifiers: each object the
   * package scope holds (the one that counts when a name is declared twice), and every method.
   */
  declare(info: FileInfo, scope: Scope): void {
    for (const o of info.declared) if (o.ident && (o.kind === 'method' || scope.names.get(o.name) === o)) this.res.defs.set(o.ident.id, o);
  }

  /** The resolution with the top-level declaration around `n` resolved. */
  at(n: SyntaxNode): Resolution {
    if (this.complete) return this.res;
    const top = topLevelDecl(n);
    if (!top || this.resolved.has(top)) return this.res;
    const info = this.fileOf(top);
    if (!info) return this.res;
    this.resolved.add(top);
    resolveFile(info, this.res, top);
    return this.res;
  }

  /** The resolution of every file, resolved again in file order the first time. */
  full(): Resolution {
    if (!this.complete) {
      const files = this.files();
      this.res.uses.clear();
      this.res.usesOf.clear();
      for (const f of files) resolveFile(f, this.res);
      this.complete = true;
    }
    return this.res;
  }

  /** The resolution holding every use of `o`: a local's lie in its declaration, others anywhere. */
  forUses(o: Obj): Resolution {
    if (this.complete || o.pkgLevel || !o.ident || o.kind === 'field' || o.kind === 'method' || o.kind === 'pkgname') return this.full();
    return this.at(o.ident);
  }
}

/** The node of an id among trees sorted by their first id (ids are dense per tree, see mirror.ts). */
export function nodeOfId(trees: readonly MirrorTree[], id: number): SyntaxNode {
  let lo = 0;
  let hi = trees.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (trees[mid].idBase <= id) lo = mid;
    else hi = mid - 1;
  }
  return trees[lo].node(id - trees[lo].idBase)!;
}
