/**
 * Freeing a file's tree-sitter tree once it has been copied (src/mirror.ts).
 *
 * WebAssembly memory only grows: a package whose trees are all alive at once sets the process's
 * size for the rest of the run (nats-server's `server` package: about 330 MB of trees). The model
 * copies each tree as it first reads the file and then frees it, so at most one tree is alive.
 * A package opened by the planner registers how its trees are freed (it keeps them in a map and
 * counts their syntax errors first); other trees are simply deleted. Reading `file.tree` again
 * later parses the file again.
 */
import type { GoFile } from './types.js';

/** `errors`: when the copy was made without this file's tree (src/mirror-share.ts), its parse's error count. */
type Release = (errors?: number) => void;

const releasers = new WeakMap<GoFile, Release>();

/** Registers how `file`'s tree is freed (see the module comment). */
export function onRelease(file: GoFile, release: Release): void {
  releasers.set(file, release);
}

/** Frees `file`'s tree now that a copy of it exists. */
export function releaseTree(file: GoFile): void {
  const release = releasers.get(file);
  if (release) release();
  else file.tree.delete();
}

/**
 * Tells a planner's package that `file` was mirrored from another mirror of its text, whose parse
 * had `errors` ERROR and MISSING nodes: its tree, if parsed, is freed as by `releaseTree`, and the
 * count is kept as if it had been parsed. Other files have no tree to free (none was read).
 */
export function releaseShared(file: GoFile, errors: number): void {
  releasers.get(file)?.(errors);
}
