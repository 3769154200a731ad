/**
 * The command line: flags → options → one run of the driver → one sink (see sinks/sink.ts): the
 * dry run's, `--write`'s or the interactive one. No logic of its own.
 *
 * Exit codes: 0 success, 1 `--check` found fixes to apply, 2 usage error, 3 some file could not be
 * processed, 128 + the signal's number when interrupted while writing (130 SIGINT, 143 SIGTERM).
 */
import path from 'node:path';
import { defaultCacheDir } from './cache.js';
import { createRequire } from 'node:module';
import type yargsType from 'yargs';

/**
 * yargs' CommonJS build: its ES-module build wraps help text with a minimal hard wrap that breaks
 * words in the middle ("def" / "ault"), where the CommonJS one wraps at word boundaries.
 */
const yargs = createRequire(import.meta.url)('yargs') as typeof yargsType;
import { colorsFor } from './color.js';
import { runDriver } from './driver.js';
import { gomendVersion, parseJobs, pathsWithoutGoFiles, usageMessage } from './args.js';
import { withoutNotes } from './explain.js';
import { UsageError } from './files.js';
import { parseGoVersion } from './goversion.js';
import { dryRunSink } from './sinks/dry-run.js';
import { EXIT_OK, EXIT_USAGE } from './sinks/sink.js';
import type { Format } from './sinks/sink.js';
import { writeSink } from './sinks/write.js';
import { loadTransforms, normaliseSpecs } from './load.js';
import { progressOn } from './progress.js';
import { openProver, proveFlags, proveResult } from './prove/index.js';
import { transforms as builtins } from '../transforms/index.js';

export { EXIT_CHECK_FAILED, EXIT_OK, EXIT_PROBLEM, EXIT_USAGE } from './sinks/sink.js';

interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
}

function parseArgs(argv: string[]) {
  return yargs(argv)
    .scriptName('gomend')
    .usage('$0 [paths..] [options]\n\nFind Go aliasing and concurrency hazards and fix them in place.')
    .epilogue('The default is a dry run: a unified diff on stdout, nothing written.')
    .option('write', { alias: 'w', type: 'boolean', describe: 'apply the fixes to the files' })
    .option('check', { type: 'boolean', describe: 'dry run; exit 1 if any fix would apply' })
    .option('interactive', { alias: 'i', type: 'boolean', describe: 'approve each fix in the terminal (git add -p keys)' })
    .option('json', { type: 'boolean', describe: 'same as --format json' })
    .option('format', { type: 'string', choices: ['diff', 'json', 'sarif'], default: 'diff', requiresArg: true, describe: 'output format' })
    .option('transform', { alias: 't', type: 'string', describe: 'transforms to run: names (comma-separated) or paths to modules; repeatable; default all' })
    .option('list', { type: 'boolean', describe: 'list the transforms and exit' })
    .option('go', { type: 'string', requiresArg: true, describe: 'Go version (1.N) for files with no go.mod above them' })
    .option('jobs', { alias: 'j', type: 'string', requiresArg: true, describe: 'worker threads (default: the number of cores)' })
    .option('cache', { type: 'boolean', describe: 'reuse results for directories unchanged since the last cached run' })
    .option('cache-dir', { type: 'string', requiresArg: true, describe: 'where --cache keeps its entries (default: $XDG_CACHE_HOME/gomend or ~/.cache/gomend); implies --cache' })
    .option('explain', { type: 'boolean', describe: 'also list candidates that were not fixed and why, where that is no hazard (e.g. an exported map)' })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'no summary line on stderr' })
    .option('color', { type: 'boolean', describe: 'force colour on or off (default: on for a terminal; NO_COLOR, FORCE_COLOR)' })
    .options(proveFlags)
    .conflicts('write', 'check')
    .conflicts('interactive', 'check')
    .conflicts('interactive', 'json')
    .strictOptions()
    .help()
    .alias('h', 'help')
    .version(false)
    .option('version', { type: 'boolean', describe: 'print the version and exit' })
    .wrap(Math.min(100, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      throw new UsageError(usageMessage(msg || err?.message || 'bad arguments'));
    });
}

function envWithColor(flag: boolean | undefined): NodeJS.ProcessEnv {
  if (flag === undefined) return process.env;
  return { ...process.env, FORCE_COLOR: flag ? '1' : '0' };
}

/** Runs the CLI and resolves with the exit code. */
export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }): Promise<number> {
  let args;
  try {
    const parser = parseArgs(argv);
    args = await parser.parseAsync();
    if (args.help) return EXIT_OK;
    if (args.version) {
      io.stdout.write(`${gomendVersion()}\n`);
      return EXIT_OK;
    }
  } catch (err) {
    io.stderr.write(`gomend: ${(err as Error).message}\nRun gomend --help for usage.\n`);
    return EXIT_USAGE;
  }

  const env = envWithColor(args.color);
  const out = colorsFor(io.stdout, env);
  const err = colorsFor(io.stderr, env);

  try {
    const given = args.transform === undefined ? [] : ([] as string[]).concat(args.transform as string | string[]);
    if (args.transform !== undefined && given.every((g) => g.split(',').every((p) => p.trim() === ''))) throw new UsageError('--transform needs a name or a path');
    const specs = normaliseSpecs(given, builtins, process.cwd());
    const selected = await loadTransforms(specs, builtins, process.cwd());
    if (args.list) {
      const width = Math.max(...selected.map((t) => t.name.length));
      for (const t of selected) io.stdout.write(`${t.name.padEnd(width)}  ${t.description}${t.minGoVersion ? ` (Go ≥ ${t.minGoVersion})` : ''}\n`);
      return EXIT_OK;
    }
    let goVersion;
    if (args.go !== undefined) {
      goVersion = parseGoVersion(args.go);
      if (!goVersion) throw new UsageError(`--go ${args.go}: expected a version like 1.21`);
    }
    // Go users write ./... out of habit: directories are searched recursively anyway.
    const paths = (args._ as (string | number)[]).map(String).map((p) => (p === '...' ? '.' : p.replace(/[\\/]\.\.\.$/, '') || '.'));
    if (args.json && args.format !== 'diff' && args.format !== 'json') throw new UsageError(`--json and --format ${args.format} ask for two formats`);
    const format = (args.json ? 'json' : args.format) as Format; // yargs allows only these choices

    const jobs = parseJobs(args.jobs);
    const prover = openProver({ ...args, jobs });
    if (args.interactive) {
      if (format !== 'diff') throw new UsageError('--interactive shows diffs; it cannot be combined with --format');
      const { runInteractive } = await import('./interactive.js');
      return await runInteractive({ paths, transforms: selected, goVersion, io, colors: out, prover });
    }

    const sink = args.write
      ? writeSink({ format, selected, io, err, quiet: args.quiet })
      : dryRunSink({ format, selected, io, out, err, quiet: args.quiet, check: args.check });
    const progress = progressOn(io.stderr);
    const cacheDir = args['cache-dir'] !== undefined ? path.resolve(args['cache-dir']) : args.cache ? defaultCacheDir() : undefined;
    const result = await runDriver({ paths, transforms: selected, transformSpecs: specs, jobs, goVersion, onProgress: progress.update, cache: cacheDir ? { dir: cacheDir } : undefined, sink });
    progress.clear();
    for (const p of pathsWithoutGoFiles(paths.length ? paths : ['.'], process.cwd(), result.files)) io.stderr.write(err.yellow(`gomend: warning: no Go files in ${p}\n`));
    if (!args.explain) withoutNotes(result);
    if (prover) await proveResult(prover, result, io.stderr, err);
    return await sink.finish(result);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`gomend: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}
