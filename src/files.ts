/**
 * Discovery: which files gomend looks at.
 *
 * It mirrors what the go command treats as source: `.go` files not starting with `.` or `_`, in
 * directories other than vendor/, testdata/, node_modules/, `.git` and those starting with `.` or
 * `_`. It also honours every .gitignore from the repository root down, because users run gomend on
 * working trees full of build output. Symbolic links to directories are not followed (as with
 * `go list ./...`), so a link loop can never make it hang. A symbolic link to a file is part of
 * its package for the go command, so it is taken too (the writer writes through it); one that
 * loops or dangles is reported, as is a named path that cannot be resolved, never fatal.
 * Discovery never reads file contents: that is the reader's job.
 */
import { promises as fs } from 'node:fs';
import type { Dirent } from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';

/** A path that does not exist, or a flag value that makes no sense: exit code 2. */
export class UsageError extends Error {}

export interface Discovered {
  /** Absolute paths of candidate .go files, sorted, without duplicates. */
  files: string[];
  /** Paths passed over with a reason (symlink loops, unreadable directories). */
  problems: { path: string; message: string }[];
}

const skippedDirs = new Set(['vendor', 'testdata', 'node_modules']);

/** True for a directory name the go command (and so gomend) does not descend into. */
export function isSkippedDir(name: string): boolean {
  return skippedDirs.has(name) || name.startsWith('.') || name.startsWith('_');
}

/** True for a file name the go command would compile. */
export function isGoSourceName(name: string): boolean {
  return name.endsWith('.go') && !name.startsWith('.') && !name.startsWith('_');
}

interface IgnoreLayer {
  base: string;
  matcher: Ignore;
}

async function readGitignore(dir: string): Promise<IgnoreLayer | undefined> {
  try {
    const text = await fs.readFile(path.join(dir, '.gitignore'), 'utf8');
    return { base: dir, matcher: ignore().add(text) };
  } catch {
    return undefined;
  }
}

function ignored(layers: IgnoreLayer[], absPath: string, isDir: boolean): boolean {
  for (const layer of layers) {
    const rel = path.relative(layer.base, absPath).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (layer.matcher.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

/** The .gitignore layers above `dir` up to the enclosing repository root (the folder with .git). */
async function ancestorLayers(dir: string): Promise<IgnoreLayer[]> {
  const chain: string[] = [];
  let cur = dir;
  for (;;) {
    chain.push(cur);
    const hasGit = await fs.stat(path.join(cur, '.git')).then(() => true, () => false);
    const parent = path.dirname(cur);
    if (hasGit || parent === cur) break;
    cur = parent;
  }
  // Only inside a repository do parent .gitignore files apply.
  const top = chain[chain.length - 1];
  const inRepo = await fs.stat(path.join(top, '.git')).then(() => true, () => false);
  const dirs = inRepo ? chain.slice(1).reverse() : [];
  const layers: IgnoreLayer[] = [];
  for (const d of dirs) {
    const layer = await readGitignore(d);
    if (layer) layers.push(layer);
  }
  return layers;
}

async function walk(dir: string, layers: IgnoreLayer[], out: Set<string>, problems: Discovered['problems']): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    problems.push({ path: dir, message: `cannot read directory: ${(err as NodeJS.ErrnoException).code ?? err}` });
    return;
  }
  const own = entries.some((e) => e.name === '.gitignore') ? await readGitignore(dir) : undefined;
  const here = own ? [...layers, own] : layers;
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (isSkippedDir(entry.name) || ignored(here, full, true)) continue;
      await walk(full, here, out, problems);
    } else if (entry.isFile() && isGoSourceName(entry.name)) {
      if (!ignored(here, full, false)) out.add(full);
    } else if (entry.isSymbolicLink() && isGoSourceName(entry.name) && !ignored(here, full, false)) {
      const problem = await linkedFileProblem(full);
      if (problem === undefined) out.add(full);
      else if (problem) problems.push({ path: full, message: problem });
    }
    // Sockets, devices and links to directories are passed over, as the go command does.
  }
}

/**
 * Why a symbolic link named like a Go file cannot be read as one: undefined when it leads to a
 * regular file (take it), '' when it leads to a directory or a device (pass over it silently, as
 * the go command does), else a message (a loop or a missing target: go build would fail on it).
 */
async function linkedFileProblem(link: string): Promise<string | undefined> {
  try {
    const st = await fs.stat(link);
    return st.isFile() ? undefined : '';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return 'symbolic link loop';
    if (code === 'ENOENT') return `symbolic link to a missing file (${await fs.readlink(link).catch(() => '?')})`;
    return `cannot follow symbolic link: ${code ?? err}`;
  }
}

/**
 * Expands the command line's paths into .go files. A path that does not exist throws UsageError.
 * A file named explicitly is taken even if it would be skipped in a walk.
 */
export async function discover(args: string[], cwd = process.cwd()): Promise<Discovered> {
  const out = new Set<string>();
  const problems: Discovered['problems'] = [];
  for (const arg of args.length ? args : ['.']) {
    const abs = path.resolve(cwd, arg);
    let st;
    try {
      st = await fs.stat(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') {
        problems.push({ path: abs, message: 'symbolic link loop' });
        continue;
      }
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(`${arg}: no such file or directory`);
      problems.push({ path: abs, message: `cannot stat: ${code ?? err}` });
      continue;
    }
    if (st.isDirectory()) {
      await walk(abs, await ancestorLayers(abs), out, problems);
    } else if (st.isFile()) {
      if (!abs.endsWith('.go')) throw new UsageError(`${arg}: not a .go file`);
      out.add(abs);
    } else {
      problems.push({ path: abs, message: 'not a regular file or directory' });
    }
  }
  return { files: [...out].sort(), problems };
}
