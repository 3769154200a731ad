/**
 * The public contract between gomend's driver and its transforms.
 *
 * A transform is data plus one pure function: it reads parsed Go files and returns findings, each
 * with an optional fix. It never touches the file system or the console; the driver owns all I/O,
 * merges fixes, verifies the result and decides what to print or write. Users write their own
 * transforms against exactly these types, so keep them stable.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { Model } from './go/model.js';

export type { Node, Tree };

/**
 * One text replacement. `start`/`end` are indices into `GoFile.source` as JavaScript counts them
 * (UTF-16 code units, the same units as tree-sitter's `startIndex` in gomend), never byte offsets.
 * `file` names another file of the same package (its `GoFile.path`); absent means the file the
 * finding was reported in. An insertion has `start === end`.
 */
export interface Edit {
  start: number;
  end: number;
  text: string;
  file?: string;
}

/** A group of edits applied whole or not at all. `message` is a verb phrase: "Clone the subslice". */
export interface Fix {
  message: string;
  edits: Edit[];
}

/**
 * Something a transform noticed. `message` says what is wrong; with no `fix` the finding is report
 * only, and the message should say why gomend declined to fix it.
 */
export interface Finding {
  start: number;
  end: number;
  message: string;
  fix?: Fix;
  /**
   * An explanation, not a hazard: why a candidate does not qualify (an exported map, a use the
   * rewrite cannot follow). Shown only with `--explain`; never counted as a finding otherwise.
   */
  note?: boolean;
}

/** A Go language version, compared on major.minor only. */
export interface GoVersion {
  major: number;
  minor: number;
}

/** One parsed Go source file, as transforms see it. */
export interface GoFile {
  /** Path as shown to users (relative to the working directory when possible, `/` separated). */
  path: string;
  /** The file's text, without a byte-order mark and with `\r\n` line ends turned into `\n`. */
  source: string;
  tree: Tree;
  root: Node;
  /** The package clause's name. */
  packageName: string;
  /** Effective language version of this file; `undefined` when unknown (no go.mod, no --go). */
  goVersion: GoVersion | undefined;
  isTest: boolean;
}

/** All files of one directory sharing a package clause (`_test.go` files of that package included). */
export interface Package {
  dir: string;
  name: string;
  files: GoFile[];
}

/** What a transform's `run` gets besides the file: the package around it and shared helpers. */
export interface Context {
  pkg: Package;
  /** Same as `file.goVersion`; a transform compares it with `atLeast`. */
  goVersion: GoVersion | undefined;
  /** True when `file.goVersion` is known and at least `major.minor`. */
  atLeast(version: string): boolean;
  /**
   * The edit that imports `path` into `file`, or `null` when it is imported already. The same file
   * and path give the same edit every time, so fixes that need the same import coalesce.
   */
  ensureImport(file: GoFile, path: string): Edit | null;
  /**
   * The local name under which `path` is usable at the package level of `file` (`slices`, or an
   * alias), or `undefined` when it is not imported.
   */
  importName(file: GoFile, path: string): string | undefined;
}

export interface Transform {
  /** Kebab-case noun naming the hazard; also its `--transform` value and fixtures folder. */
  name: string;
  /** One line, lower case, no final period. */
  description: string;
  /** Files below this language version ("1.21") are not offered this transform's fixes. */
  minGoVersion?: string;
  /**
   * A cheap test on a file's raw text: `false` means this file cannot hold a finding. A package in
   * which no file passes any selected transform's test is never parsed.
   */
  mayMatch?(source: string): boolean;
  /**
   * 'gofmt': fixes are plain edits (right line breaks and indentation, no alignment) and gofmt lays
   * out every file they change that was gofmt-clean (see src/gofmt.ts). Otherwise a fix must leave
   * a gofmt-clean file gofmt-clean itself, or the file is left unchanged.
   */
  layout?: 'gofmt';
  run(file: GoFile, ctx: Context): Finding[];
}

/** A finding of a package transform: as `Finding`, plus the path (`GoFile.path`) of its file. */
export interface PackageFinding extends Finding {
  file: string;
}

/**
 * What a package transform's `run` gets: the package once, with the model of its Go code and the
 * helpers a fix needs. Modelled on go/analysis's `Pass`.
 */
export interface Pass {
  pkg: Package;
  /** Same as `pkg.files`: every file of the package, `_test.go` files included. */
  files: GoFile[];
  /**
   * Declarations, scopes and types of the package (see src/go/model.ts), built on first use and
   * shared by every transform that runs on this version of the package's text.
   */
  readonly model: Model;
  /** Effective language version of a file; `undefined` when unknown. */
  goVersion(file: GoFile): GoVersion | undefined;
  /** True when the file's version is known and at least `major.minor` ("1.21"). */
  atLeast(file: GoFile, version: string): boolean;
  /** As `Context.ensureImport`: the edit importing `path` into `file` (with `file` set), or `null`. */
  ensureImport(file: GoFile, path: string): Edit | null;
  /** As `Context.importName`. */
  importName(file: GoFile, path: string): string | undefined;
  /** A replacement of `[start, end)` in `file`, with `Edit.file` set. */
  edit(file: GoFile, start: number, end: number, text: string): Edit;
  /** An insertion at `at` in `file`. */
  insert(file: GoFile, at: number, text: string): Edit;
  /** Records a finding; with no `fix` it is report only and its message should say why. */
  report(finding: PackageFinding): void;
  /**
   * Records that the transform could not analyse `file`: the file is then neither edited nor
   * reported on, and the run goes on. A `run` that throws does this for every file of the package.
   */
  fail(file: GoFile, error: unknown): void;
}

/**
 * A transform that runs once per package (go/analysis's `Run(pass)`), for analyses that read the
 * whole package. `Transform` (per file) stays supported: gomend wraps it (src/contract.ts).
 */
export interface PackageTransform {
  name: string;
  description: string;
  scope: 'package';
  minGoVersion?: string;
  /**
   * A cheap test on the raw texts of the package's files: `false` means the package cannot hold a
   * finding, and it is not parsed for this transform. Absent: every package is looked at. `dir`,
   * the package's directory when known, lets a gate look at the rest of its module.
   */
  mayMatch?(texts: string[], dir?: string): boolean;
  /**
   * 'gofmt': fixes are plain edits (right line breaks and indentation, no alignment) and gofmt lays
   * out every file they change that was gofmt-clean (see src/gofmt.ts). Otherwise a fix must leave
   * a gofmt-clean file gofmt-clean itself, or the file is left unchanged.
   */
  layout?: 'gofmt';
  run(pass: Pass): void;
}

/** Either contract; `scope: 'package'` tells them apart. */
export type AnyTransform = Transform | PackageTransform;
