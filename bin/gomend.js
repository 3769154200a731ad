#!/usr/bin/env node
// gomend's entry point: the CLI lives in src/cli.ts (compiled to dist/ by `npm ci` / `npm run build`).
import v8 from 'node:v8';

// The optimising compiler inlines gomend's many small tree helpers into a few large functions and
// then compiles those again after each deoptimisation, in every worker: over Go's own source that
// cost more CPU than it saved (see the Performance section of the README). The flag is
// process-wide, so the workers started later inherit it.
v8.setFlagsFromString('--no-turbo-inlining');

const { main } = await import('../dist/src/cli.js');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`gomend: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 3;
  },
);
