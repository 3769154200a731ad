/**
 * gomend as a library: run the pipeline, plan fixes on in-memory sources, or write transforms.
 *
 *   import { run, transforms } from 'gomend';
 *   const result = await run({ paths: ['./pkg'] });   // dry run: nothing is written
 */
export type { AnyTransform, Context, Edit, Finding, Fix, GoFile, GoVersion, Node, Package, PackageFinding, PackageTransform, Pass, Transform, Tree } from './types.js';
export { asPackageTransform, isPackageTransform } from './contract.js';
export { newModel } from './go/model.js';
export type { Model } from './go/model.js';
export * as gotypes from './go/index.js';
export { displayPath } from './results.js';
export type { DriverOptions } from './driver.js';
export type { FileResult, RunResult, RunSummary } from './results.js';
export type { Outcome, Proof } from './prove/index.js';
export { planPackage } from './plan.js';
export { collectCandidates, locate } from './candidates.js';
export type { Candidate, LocatedFinding, PackagePlan, PlanOptions, SourceFile } from './plan-types.js';
export { applyEdits, mergeFixes } from './edits.js';
export { ensureImport, importName } from './imports.js';
export { initParser, parseGo, query } from './parse.js';
export { parseGoVersion, goAtLeast } from './goversion.js';
export { writeChanges } from './writer.js';
export { renderDiff } from './sinks/diff.js';
export { jsonReport } from './sinks/json.js';
export { sarifReport } from './sinks/sarif.js';
export { transforms, transformByName } from '../transforms/index.js';

import { runDriver } from './driver.js';
import type { DriverOptions } from './driver.js';
import type { RunResult } from './results.js';
import { transforms as builtins } from '../transforms/index.js';

/** Options of `run`: as the driver's, with `transforms` defaulting to every built-in. */
export type RunOptions = Omit<DriverOptions, 'transforms'> & { transforms?: DriverOptions['transforms'] };

/** Runs gomend over `options.paths` (default `.`) without writing anything; see `writeChanges`. */
export function run(options: RunOptions): Promise<RunResult> {
  return runDriver({ ...options, transforms: options.transforms ?? [...builtins] });
}
