#!/usr/bin/env node
// gomend's entry point: the CLI lives in src/cli.ts (compiled to dist/ by `npm ci` / `npm run build`).
import v8 from 'node:v8';

// The optimising compiler inlines gomend's many small tree helpers into a few large functions and
// then compiles those again after each deoptimisation, in every worker, and it optimised many
// functions that run only briefly: over Go's own source that cost more CPU than it saved (see the
// Performance section of the README). No inlining, and a function must run about four times longer
// than V8's default before it is optimised. The flags are process-wide: the workers inherit them.
v8.setFlagsFromString('--no-turbo-inlining');
v8.setFlagsFromString('--interrupt-budget=600000');

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
