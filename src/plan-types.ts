/**
 * The planner's vocabulary: the files it takes, the findings and fix candidates a pass offers, the
 * options it is given and the plan it returns. Types only, so that every stage (passes, planning,
 * verification, the driver, the sinks, the cache) can name them without importing another stage.
 */
import type { FileEdit } from './edits.js';
import type { Finding, Fix, GoVersion } from './types.js';

/** A file handed to the planner: already normalised text (no BOM, `\n` line ends). */
export interface SourceFile {
  path: string;
  source: string;
  goVersion: GoVersion | undefined;
  /** Part of the package view but never edited (generated code). */
  readOnly?: boolean;
}

/** A finding located in the original text of its file. */
export interface LocatedFinding {
  transform: string;
  path: string;
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  fixable: boolean;
  fix?: Fix;
  /** An explanation rather than a hazard (see `Finding.note`): shown only with `--explain`. */
  note?: boolean;
  /** Set when the fix was offered but left out, with the reason. */
  notApplied?: string;
}

/** A fix the planner left out, and why. `start` is its finding's start in the text of `pass`. */
export interface Dropped {
  transform: string;
  path: string;
  message: string;
  reason: string;
  pass: number;
  start: number;
}

/** A fix offered in a pass, with what the driver and the interactive prompt need to know of it. */
export interface Candidate {
  /** Stable within one pass: transform, file and position. */
  id: string;
  transform: string;
  path: string;
  finding: Finding;
  fix: Fix;
  edits: FileEdit[];
  /** Its transform emits plain edits and lets gofmt lay out the files they change (`layout: 'gofmt'`). */
  layout?: boolean;
}

export interface PackagePlan {
  /** New text of every file that changed. */
  outputs: Map<string, string>;
  /** Findings of the first pass, located in the original sources. */
  findings: LocatedFinding[];
  /** Fixes applied over all passes. */
  applied: number;
  /** Fixes left out because they overlapped an accepted one and never applied in a later pass. */
  conflicts: number;
  /** Fixes dropped because their result did not parse, or they edited a frozen or read-only file. */
  dropped: Dropped[];
  /** Transforms whose fixes changed each file. */
  transformsByFile: Map<string, Set<string>>;
  /** Files changed by a transform with `layout: 'gofmt'`: gofmt lays them out (see src/gofmt.ts). */
  gofmtLayout: Set<string>;
  passes: number;
  /** True when the last pass still had fixes to apply (the pass limit was hit). */
  unsettled: boolean;
  /**
   * Files found not to parse, with where: they are neither edited nor reported on. Only files a
   * transform looked at (or a fix would edit) are parsed, so only those can be listed here.
   */
  syntaxErrors: Map<string, string>;
  /**
   * Files named in `PlanOptions.localErrors` that tree-sitter could not read whole: where it first
   * fails, and how many findings fell in an error region (not reported, never fixed).
   */
  localErrors: Map<string, { line: number; column: number; hidden: number }>;
  /** Files on which a transform threw, with the first line of its error: never edited. */
  transformErrors: Map<string, string>;
}

export interface PlanOptions {
  maxPasses?: number;
  /**
   * Only fixes for which this returns true are applied (interactive approval); returning a Fix
   * applies that fix instead of the candidate's own (a hunk the user edited). Planning with
   * `accept` runs a single pass: the user approved exactly these fixes.
   */
  accept?: (candidate: Candidate) => boolean | Fix;
  /** Files that must not change: fixes touching them are dropped (used after a failed verify). */
  frozen?: ReadonlySet<string>;
  /**
   * Files tree-sitter cannot read whole but Go accepts (gofmt says so; see syntax.ts): worked on
   * outside their error regions instead of being left out.
   */
  localErrors?: ReadonlySet<string>;
}
