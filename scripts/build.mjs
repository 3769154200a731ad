#!/usr/bin/env node
// Builds what gomend runs (src/ and transforms/ into dist/, tsconfig.build.json) and is the package's
// `prepare` script, so it must work wherever npm runs `prepare`, not only in a developer's clone:
//
// - `npm ci` / `npm install` in a clone: the TypeScript compiler of devDependencies is there; use it.
// - A global install from git (`npm install -g --install-links git+…`, which is how pre-commit
//   installs a hook), `npm install --omit=dev` in a clone: npm prepares the package without
//   devDependencies, so there is no `tsc`. Then the build tools are installed here first, at the
//   versions of package-lock.json, by a nested `npm install` that gets none of the outer npm's
//   settings: an inherited `global=true` or `prefix` would send them elsewhere, an inherited
//   `omit=dev` would leave them out.
//
// npm 7 to 11 leave a global install from git of any package with a `prepare` script as a link to
// a deleted temporary clone unless `--install-links` is given (npm/cli#4148, #6984); no script can
// prevent that, so the README gives the command with the flag.
//
// Usage: node scripts/build.mjs [tsconfig] (default tsconfig.build.json)
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const project = process.argv[2] ?? 'tsconfig.build.json';

function fail(message) {
  process.stderr.write(`gomend build: ${message}\n`);
  process.exit(1);
}

/** npm settings a nested npm may inherit: where to find packages and how to reach them, nothing else. */
const KEEP = /^npm_config_(cache|registry|userconfig|proxy|https_proxy|http_proxy|noproxy|no_proxy|strict_ssl|cafile|ca|offline|prefer_offline|prefer_online|fetch_.*|loglevel|node_gyp|nodedir|user_agent)$/i;

function nestedNpmEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) && !KEEP.test(k)) continue;
    env[k] = v;
  }
  return env;
}

function localTsc() {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const types = path.join(root, 'node_modules', '@types', 'node', 'package.json');
  return existsSync(tsc) && existsSync(types) ? tsc : undefined;
}

function installBuildTools() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = ['install', '--no-save', '--include=dev', '--omit=optional', '--ignore-scripts', '--no-audit', '--no-fund', '--no-progress'];
  process.stderr.write(`gomend build: no TypeScript compiler in node_modules; installing the devDependencies (npm ${args.join(' ')})\n`);
  const r = spawnSync(npm, args, { cwd: root, env: nestedNpmEnv(), stdio: ['ignore', 2, 2], shell: process.platform === 'win32' });
  if (r.error) fail(`could not run npm: ${r.error.message}`);
  if (r.status !== 0) fail(`npm install of the build tools failed (exit code ${r.status})`);
}

let tsc = localTsc();
if (!tsc) {
  installBuildTools();
  tsc = localTsc();
  if (!tsc) fail('npm install finished but node_modules/typescript is still missing');
}

// Files of deleted sources must not stay in dist/ (and in the package).
for (const dir of ['src', 'transforms']) rmSync(path.join(root, 'dist', dir), { recursive: true, force: true });

const r = spawnSync(process.execPath, [tsc, '-p', project], { cwd: root, stdio: 'inherit' });
if (r.error) fail(r.error.message);
process.exit(r.status ?? 1);
