/**
 * `--format sarif`: SARIF 2.1.0 on stdout, for GitHub code scanning and other SARIF viewers.
 *
 * One run; one rule per selected transform (rule id = transform name); one result per finding.
 * Fixable findings are "warning" and carry SARIF `fixes`; report-only findings are "note": gomend
 * saw the hazard pattern but could not prove a rewrite safe, and the message says which rule stopped
 * it, so they ask for a reader's judgement rather than a change.
 *
 * Positions. Findings and fix edits are UTF-16 offsets into the normalised text (no BOM, `\n` line
 * ends), so regions are computed from that text and the run declares `columnKind: utf16CodeUnits`.
 * Line numbers of the normalised text are those of the file on disk, and columns agree as well: a
 * CRLF file only differs by the `\r` that ends each line, which SARIF counts as part of the line
 * break, and SARIF positions do not depend on a byte-order mark (spec 3.30.2). Inserted text gets
 * `\r\n` line ends in a CRLF file, so a viewer applying every fix writes what `gomend --write`
 * writes (when the fixes applied in one pass). When the driver did not keep a file's text, its
 * results carry line numbers only and no `fixes`, rather than wrong columns.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FileResult, RunResult } from '../results.js';
import { LineIndex } from '../lines.js';
import type { LocatedFinding } from '../plan-types.js';
import type { AnyTransform } from '../types.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

interface Region {
  startLine: number;
  startColumn?: number;
  endLine: number;
  endColumn?: number;
}

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/**
 * gomend's version and home page, read from its package.json (three levels above this file, in the
 * source tree and in dist alike). The home page is the `homepage` field, else an http(s)
 * `repository` URL; with neither, SARIF's optional `informationUri` is left out.
 */
function toolInfo(): { version?: string; informationUri?: string } {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
      homepage?: string;
      repository?: string | { url?: string };
    };
    const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
    const fromRepo = repo?.replace(/^git\+/, '').replace(/\.git$/, '');
    const home = pkg.homepage ?? (fromRepo && /^https?:\/\//.test(fromRepo) ? fromRepo : undefined);
    return { version: pkg.version, informationUri: home };
  } catch {
    return {};
  }
}

/**
 * A file's location as SARIF wants it: a relative path becomes a relative URI (each segment
 * percent-encoded) against `%SRCROOT%`, the directory gomend ran in, which is what code scanning
 * resolves against the repository root; a path outside that directory becomes a `file:` URI.
 */
export function artifactLocation(file: Pick<FileResult, 'path' | 'absPath'>): ArtifactLocation {
  if (file.path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file.path)) return { uri: pathToFileURL(file.absPath).href };
  return { uri: file.path.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/** A text's line index with the SARIF region of a range. */
class RegionIndex extends LineIndex {
  region(start: number, end: number): Required<Region> {
    const a = this.position(start);
    const b = this.position(end);
    return { startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column };
  }
}

/** The normalised text of a file with its shape, when the driver kept it. */
interface KnownText {
  file: FileResult;
  index: RegionIndex;
  crlf: boolean;
}

/**
 * True when an offset cannot be written as a SARIF line and column: between the `\r` and `\n` of a
 * CRLF left in a file with mixed line ends, as SARIF counts `\r\n` as one line break.
 */
function unplaceable(known: KnownText, offset: number): boolean {
  const t = known.index.text;
  return offset > 0 && t[offset - 1] === '\r' && t[offset] === '\n';
}

/**
 * The SARIF `fixes` of a finding, or undefined when some edit's file text is unknown or unplaceable.
 * Each SARIF fix stands alone against the original files, like gomend's own fixes before merging.
 * TODO: a fix the planner dropped (its result did not parse, or it edits a file gomend must not
 * change) is still offered, as LocatedFinding does not say which fixes were dropped.
 */
function sarifFixes(finding: LocatedFinding, texts: (path: string) => KnownText | undefined): object[] | undefined {
  const fix = finding.fix;
  if (!fix || fix.edits.length === 0) return undefined;
  const byFile = new Map<string, typeof fix.edits>();
  for (const e of fix.edits) {
    const p = e.file ?? finding.path;
    byFile.set(p, [...(byFile.get(p) ?? []), e]);
  }
  const artifactChanges: object[] = [];
  for (const [p, edits] of byFile) {
    const known = texts(p);
    if (!known) return undefined;
    const length = known.index.text.length;
    const replacements: object[] = [];
    for (const e of [...edits].sort((a, b) => a.start - b.start || a.end - b.end)) {
      if (!(e.start >= 0 && e.start <= e.end && e.end <= length)) return undefined;
      if (unplaceable(known, e.start) || unplaceable(known, e.end)) return undefined;
      const replacement: Record<string, object> = { deletedRegion: known.index.region(e.start, e.end) };
      if (e.text !== '') replacement.insertedContent = { text: known.crlf ? e.text.replace(/\n/g, '\r\n') : e.text };
      replacements.push(replacement);
    }
    artifactChanges.push({ artifactLocation: artifactLocation(known.file), replacements });
  }
  return [{ description: { text: fix.message }, artifactChanges }];
}

/** The SARIF log of one gomend run. */
export function sarifReport(result: RunResult, transforms: readonly AnyTransform[]): object {
  const { version, informationUri } = toolInfo();
  const rules = transforms.map((t) => ({
    id: t.name,
    name: t.name,
    shortDescription: { text: t.description },
    defaultConfiguration: { level: 'warning' },
    ...(t.minGoVersion ? { properties: { minGoVersion: t.minGoVersion } } : {}),
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));

  const byPath = new Map(result.files.map((f) => [f.path, f]));
  const cache = new Map<string, KnownText | undefined>();
  const texts = (p: string): KnownText | undefined => {
    if (!cache.has(p)) {
      const f = byPath.get(p);
      cache.set(p, f?.before !== undefined ? { file: f, index: new RegionIndex(f.before), crlf: !!f.shape?.crlf } : undefined);
    }
    return cache.get(p);
  };

  // With --prove, a result carries its package's proof: outcomes before and after, and whether its fixes were withheld.
  const proofs = new Map((result.proofs ?? []).map((p) => [p.dir, p]));
  const proofOf = (file: FileResult) => proofs.get(path.posix.dirname(file.path));

  const results: object[] = [];
  for (const file of result.files) {
    for (const finding of file.findings) {
      if (!ruleIndex.has(finding.transform)) {
        // A finding from a transform not in the list given: still give it a rule to point at.
        ruleIndex.set(finding.transform, rules.length);
        rules.push({ id: finding.transform, name: finding.transform, shortDescription: { text: finding.transform }, defaultConfiguration: { level: 'warning' } });
      }
      const known = texts(file.path);
      const region: Region =
        known && !unplaceable(known, finding.start) && !unplaceable(known, finding.end)
          ? known.index.region(finding.start, finding.end)
          : { startLine: finding.line, endLine: finding.endLine };
      const fixes = sarifFixes(finding, texts);
      results.push({
        ruleId: finding.transform,
        ruleIndex: ruleIndex.get(finding.transform),
        level: finding.fixable ? 'warning' : finding.note ? 'none' : 'note',
        message: { text: finding.message },
        locations: [{ physicalLocation: { artifactLocation: artifactLocation(file), region } }],
        ...(fixes ? { fixes } : {}),
        ...(proofOf(file) ? { properties: { proof: proofOf(file) } } : {}),
      });
    }
  }

  // Files gomend could not process, and run-wide remarks, as tool notifications.
  const notifications: object[] = result.notes.map((note) => ({ level: 'warning', message: { text: note } }));
  for (const f of result.files) {
    if (f.status !== 'error' && !(f.status === 'skipped' && f.problem)) continue;
    notifications.push({
      level: f.status === 'error' ? 'error' : 'warning',
      message: { text: `${f.path}: ${f.status}: ${f.reason ?? 'not processed'}` },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(f), ...(f.line !== undefined ? { region: { startLine: f.line } } : {}) } }],
    });
  }

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gomend',
            ...(informationUri ? { informationUri } : {}),
            ...(version ? { version, semanticVersion: version } : {}),
            rules,
          },
        },
        invocations: [{ executionSuccessful: !result.files.some((f) => f.problem), toolExecutionNotifications: notifications }],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}
