/**
 * A content-hash cache of directory results (`--cache`), so that a run over a tree that has not
 * changed since the last one only reads and hashes its files: nothing is parsed or analysed.
 *
 * One entry per directory (and working directory and configuration), replaced when it goes stale,
 * so the cache grows with the number of directories, not with the number of runs. An entry is used
 * only when its key matches, and the key covers everything a result depends on: gomend's own code,
 * the transforms (built-in code, or the bytes of a user module), the gofmt binary that verified
 * fixes, the default Go version, and for every file of the directory (context files included) its
 * path, its bytes and the Go version it is read with. A user transform that imports other local
 * modules is keyed by its entry module only: clear the cache after editing those.
 *
 * Entries are written atomically (temporary file, then rename); one that cannot be read or parsed
 * is a miss, never an error: the cache can only save time, not change a result.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocatedFinding } from './plan-types.js';
import type { GoVersion } from './types.js';

/** Bumped whenever the stored shape changes. */
const FORMAT = 'gomend-cache-1';

/** Where the cache lives and what the results of this run depend on besides the files. */
export interface CacheConfig {
  dir: string;
  fingerprint: string;
}

/** What is kept of one file's result (its texts are read again, or stored when changed). */
export interface CachedFile {
  absPath: string;
  status: 'changed' | 'unchanged' | 'skipped' | 'error';
  reason?: string;
  problem?: boolean;
  line?: number;
  column?: number;
  partial?: string;
  findings: LocatedFinding[];
  after?: string;
  transforms: string[];
}

export interface CachedOutcome {
  files: CachedFile[];
  fixes: number;
  conflicts: number;
}

/** The default cache folder: `$XDG_CACHE_HOME/gomend`, else `~/.cache/gomend`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'gomend');
}

/** Every .js file under a folder, sorted, for hashing gomend's own code. */
async function codeFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await fs.readdir(d, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.name.endsWith('.js')) out.push(full);
    }
  };
  await walk(dir);
  return out.sort();
}

/**
 * The part of the key shared by every directory of a run: gomend's compiled code (src and
 * transforms), the transform specs with the bytes of user modules, gofmt's identity and the
 * default Go version.
 */
export async function cacheFingerprint(transformSpecs: readonly string[], gofmtBin: string | undefined, goVersion: GoVersion | undefined): Promise<string> {
  const hash = createHash('sha256').update(FORMAT).update('\0');
  const compiled = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  for (const sub of ['src', 'transforms']) {
    for (const file of await codeFiles(path.join(compiled, sub))) {
      hash.update(path.relative(compiled, file)).update('\0').update(await fs.readFile(file)).update('\0');
    }
  }
  for (const spec of transformSpecs) {
    hash.update(spec).update('\0');
    if (path.isAbsolute(spec)) hash.update(await fs.readFile(spec).catch(() => Buffer.from('unreadable'))).update('\0');
  }
  if (gofmtBin) {
    const st = await fs.stat(gofmtBin).catch(() => undefined);
    hash.update(`${gofmtBin}\0${st?.size ?? ''}\0${st?.mtimeMs ?? ''}\0`);
  }
  hash.update(JSON.stringify(goVersion ?? null));
  return hash.digest('hex');
}

/** One file as the key sees it. */
export interface KeyedFile {
  absPath: string;
  bytes?: Buffer;
  /** Why it could not be read, when it could not. */
  unreadable?: string;
  goVersion?: GoVersion;
  contextOnly?: boolean;
}

/** The key of one directory's result: the fingerprint, the working directory and every file. */
export function directoryKey(config: CacheConfig, cwd: string, files: readonly KeyedFile[]): string {
  const hash = createHash('sha256').update(config.fingerprint).update('\0').update(cwd).update('\0');
  for (const f of files) {
    hash.update(f.absPath).update('\0').update(f.contextOnly ? 'c' : 'm').update(JSON.stringify(f.goVersion ?? null)).update('\0');
    if (f.bytes) hash.update(String(f.bytes.length)).update('\0').update(f.bytes);
    else hash.update(`unreadable:${f.unreadable ?? ''}`);
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** The entry file of a directory: one per directory, working directory and configuration. */
function entryPath(config: CacheConfig, cwd: string, dir: string): string {
  const name = createHash('sha256').update(config.fingerprint).update('\0').update(cwd).update('\0').update(dir).digest('hex').slice(0, 40);
  return path.join(config.dir, name.slice(0, 2), `${name}.json`);
}

/** The stored outcome for `key`, or undefined on a miss (absent, stale or unreadable). */
export async function readCached(config: CacheConfig, cwd: string, dir: string, key: string): Promise<CachedOutcome | undefined> {
  try {
    const stored = JSON.parse(await fs.readFile(entryPath(config, cwd, dir), 'utf8')) as { key?: string; outcome?: CachedOutcome };
    return stored.key === key && stored.outcome && Array.isArray(stored.outcome.files) ? stored.outcome : undefined;
  } catch {
    return undefined;
  }
}

/** Stores an outcome; failures are ignored (a read-only cache folder only costs time). */
export async function writeCached(config: CacheConfig, cwd: string, dir: string, key: string, outcome: CachedOutcome): Promise<void> {
  const file = entryPath(config, cwd, dir);
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(tmp, JSON.stringify({ key, outcome }));
    await fs.rename(tmp, file);
  } catch {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
  }
}
