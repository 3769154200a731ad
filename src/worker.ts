/**
 * The worker-thread side of the pool: loads the transforms once per thread (built-ins by name,
 * user modules by path) and processes one directory per task.
 */
import { processDirectory } from './directory.js';
import type { DirectoryOutcome } from './results.js';
import type { CacheConfig } from './cache.js';
import { findGofmt } from './gofmt.js';
import { ModuleVersions } from './goversion.js';
import { loadTransforms } from './load.js';
import { initParser } from './parse.js';
import type { AnyTransform, GoVersion } from './types.js';
import { transforms as builtins } from '../transforms/index.js';

export interface DirectoryTask {
  dir: string;
  paths: string[];
  /** Files of the same directory read only as package context. */
  contextPaths: string[];
  cwd: string;
  goVersion: GoVersion | undefined;
  transformSpecs: string[];
  cache?: CacheConfig;
}

/** The parser loads as soon as the worker starts, while the main thread is still finding files. */
const parserReady = initParser();

let loaded: { key: string; transforms: AnyTransform[] } | undefined;
let versions: { key: string; cache: ModuleVersions } | undefined;

export default async function run(task: DirectoryTask): Promise<DirectoryOutcome> {
  await parserReady;
  const key = task.transformSpecs.join('\0');
  if (!loaded || loaded.key !== key) loaded = { key, transforms: await loadTransforms(task.transformSpecs, builtins, task.cwd) };
  const versionKey = JSON.stringify(task.goVersion ?? null);
  if (!versions || versions.key !== versionKey) versions = { key: versionKey, cache: new ModuleVersions(task.goVersion) };
  return processDirectory(task.dir, task.paths, task.cwd, { transforms: loaded.transforms }, versions.cache, await findGofmt(), task.contextPaths, task.cache);
}
