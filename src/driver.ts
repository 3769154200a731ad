/**
 * The driver: files → directories → (pool or this thread) → results, in a fixed order.
 *
 * It owns all I/O except output: the sink decides what to print and what to write (sinks/sink.ts),
 * so the dry run, --check, --write, --json and interactive mode all share this one pipeline. Each
 * directory's files are read, grouped into packages, planned and verified by directory.ts, in this
 * thread or in a worker (pool.ts, worker.ts). Work is done a package at a time because transforms
 * need the whole package (a map declared in one file is written in another); a package in which no
 * file passes any transform's cheap text test is never parsed, which is what makes a
 * whole-repository run fast.
 */
import { promises as fs, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { cacheFingerprint } from './cache.js';
import type { CacheConfig } from './cache.js';
import { processDirectory } from './directory.js';
import type { DirectoryOptions } from './directory.js';
import { discover, linkedFileProblem, listGoSources } from './files.js';
import type { Listed } from './files.js';
import { findGofmt } from './gofmt.js';
import { ModuleVersions } from './goversion.js';
import { initParser } from './parse.js';
import type { Pool } from './pool.js';
import { displayPath } from './results.js';
import type { DirectoryOutcome, FileResult, RunResult, RunSummary } from './results.js';
import { streams } from './sinks/sink.js';
import type { GoVersion } from './types.js';

// The results' types and the display form of paths, for callers that take them from the driver.
export { displayPath } from './results.js';
export type { DirectoryOutcome, FileResult, FileStatus, RunResult, RunSummary } from './results.js';

export interface DriverOptions extends DirectoryOptions {
  paths: string[];
  cwd?: string;
  /** The Go version for files with no go.mod above them. */
  goVersion?: GoVersion;
  /**
   * Worker threads to spread directories over (default: the number of cores). Workers are used only
   * when `transformSpecs` says how to load the transforms there and the sink does not take packages
   * one at a time.
   */
  jobs?: number;
  /** How workers load `transforms`: built-in names or absolute module paths, in the same order. */
  transformSpecs?: string[];
  /**
   * The content-hash cache (`--cache`): directories whose files, configuration and gomend itself
   * are unchanged since a run stored them are not planned again. Ignored when the sink takes
   * packages one at a time (interactive mode).
   */
  cache?: { dir: string };
  /** Called after each directory with the number of files done so far. */
  onProgress?: (done: number, total: number, fixes: number) => void;
}

/**
 * The .go files beside the ones to process that were not named (a single file on the command line,
 * a pre-commit hook passing staged files, a .gitignore'd sibling): transforms need the whole
 * package, so they are read as context that is never edited nor reported. A directory the walk
 * listed is not read again.
 */
function siblingsNotNamed(byDir: Map<string, string[]>, listings: Map<string, Listed[]>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [dir, paths] of byDir) {
    const listed = listings.get(dir) ?? listGoSources(dir);
    const named = new Set(paths);
    const extra: string[] = [];
    for (const e of listed) {
      const full = path.join(dir, e.name);
      if (named.has(full)) continue;
      if (!e.link || linkedFileProblem(full) === undefined) extra.push(full);
    }
    if (extra.length) out.set(dir, extra.sort());
  }
  return out;
}

/** A file's size in bytes, 0 when it cannot be read (the reader reports why). */
function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Runs gomend over `options.paths` and returns what it found; writes nothing. */
export async function runDriver(options: DriverOptions): Promise<RunResult> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const notes: string[] = [];
  // Workers start first, so that they load while the files are found (see pool.ts).
  const jobs = Math.max(1, options.jobs ?? availableParallelism());
  const mayPool = jobs > 1 && !!options.transformSpecs && !streams(options.sink);
  const pool = mayPool && (await severalDirectories(options.paths, cwd)) ? (await import('./pool.js')).startPool(jobs) : undefined;
  try {
    return await runWith(options, cwd, notes, started, pool);
  } finally {
    await pool?.destroy();
  }
}

/**
 * True when the paths may hold several directories of Go files (only then is there work to
 * spread): several paths, or a directory with a sub-directory. A single package does not start
 * workers it would not use.
 */
async function severalDirectories(paths: string[], cwd: string): Promise<boolean> {
  if (paths.length > 1) return true;
  const entries = await fs.readdir(path.resolve(cwd, paths[0] ?? '.'), { withFileTypes: true }).catch(() => []);
  return entries.some((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_') && e.name !== 'testdata');
}

async function runWith(options: DriverOptions, cwd: string, notes: string[], started: number, pool: Pool | undefined): Promise<RunResult> {
  const gofmtBin = await findGofmt();
  if (!gofmtBin) notes.push('gofmt not found on PATH or under `go env GOROOT`: changed files are checked by re-parsing only, not by gofmt');

  const found = await discover(options.paths, cwd);

  // Work a directory at a time (a package never spans directories), reading its files only then,
  // so memory holds one directory's sources plus the changed files, never the whole tree.
  const byDir = new Map<string, string[]>();
  for (const abs of found.files) {
    const dir = path.dirname(abs);
    const list = byDir.get(dir) ?? [];
    list.push(abs);
    byDir.set(dir, list);
  }
  const dirs = [...byDir];
  const contextOf = siblingsNotNamed(byDir, found.listings);

  // The cache needs to know what the transforms are: it is used when they are given by name or path.
  const cache: CacheConfig | undefined =
    options.cache && options.transformSpecs ? { dir: options.cache.dir, fingerprint: await cacheFingerprint(options.transformSpecs, gofmtBin, options.goVersion) } : undefined;

  const usePool = pool && dirs.length > 1;
  const outcomes: DirectoryOutcome[] = new Array(dirs.length);
  let done = 0;
  let fixesSoFar = 0;
  const record = (i: number, outcome: DirectoryOutcome) => {
    outcomes[i] = outcome;
    done += outcome.files.length;
    fixesSoFar += outcome.fixes;
    options.onProgress?.(done, found.files.length, fixesSoFar);
  };
  let versions: ModuleVersions | undefined;
  /** One directory in this thread: the path without workers, and the one for a directory a worker could not finish. */
  const inProcess = async (i: number): Promise<DirectoryOutcome> => {
    await initParser(); // workers load their own parser; the main thread needs one only here
    versions ??= new ModuleVersions(options.goVersion);
    return processDirectory(dirs[i][0], dirs[i][1], cwd, options, versions, gofmtBin, contextOf.get(dirs[i][0]), cache);
  };
  if (usePool) {
    // Sizes for the order of the work, heaviest first: a synchronous stat is a few microseconds.
    const weights = dirs.map(([, paths]) => paths.reduce((bytes, p) => bytes + sizeOf(p), 0));
    const { redone } = await pool.run(
      dirs.map(([dir, paths]) => ({ dir, paths, contextPaths: contextOf.get(dir) ?? [], cwd, goVersion: options.goVersion, transformSpecs: options.transformSpecs!, cache })),
      record,
      weights,
      inProcess,
    );
    if (redone.length > 0) {
      const names = redone.map((i) => displayPath(cwd, dirs[i][0]) || '.');
      const which = names.length === 1 ? names[0] : `${names.length} directories (${names.join(', ')})`;
      notes.push(`${which} did not fit a worker's ${pool.heapLimitMb} MB heap and ran again in the main thread`);
    }
  } else {
    for (let i = 0; i < dirs.length; i++) record(i, await inProcess(i));
  }

  const files: FileResult[] = [];
  let fixes = 0;
  let conflicts = 0;
  for (const o of outcomes) {
    files.push(...o.files);
    fixes += o.fixes;
    conflicts += o.conflicts;
  }
  for (const p of found.problems) {
    files.push({ path: displayPath(cwd, p.path), absPath: p.path, status: 'error', reason: p.message, problem: true, findings: [], transforms: [] });
  }
  const summary: RunSummary = {
    files: found.files.length,
    changed: files.filter((f) => f.status === 'changed').length,
    findings: files.reduce((n, f) => n + f.findings.length, 0),
    fixes,
    skipped: files.filter((f) => f.status === 'skipped').length,
    errors: files.filter((f) => f.status === 'error').length,
    conflicts,
    seconds: (performance.now() - started) / 1000,
  };
  return { files, summary, notes };
}
