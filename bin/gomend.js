#!/usr/bin/env node
// gomend's entry point: the CLI lives in src/cli.ts (compiled to dist/ by `npm ci` / `npm run build`).
import { main } from '../dist/src/cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`gomend: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 3;
  },
);
