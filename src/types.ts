/**
 * The public contract between gomend's driver and its transforms.
 *
 * A transform is data plus one pure function: it reads parsed Go files and returns findings, each
 * with an optional fix. It never touches the file system or the console; the driver owns all I/O,
 * merges fixes, verifies the result and decides what to print or write. Users write their own
 * transforms against exactly these types, so keep them stable.
 */
import type { Node, Tree } from 'web-tree-sitter';

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
  run(file: GoFile, ctx: Context): Finding[];
}
