/**
 * The questions of `gomend -i` for one package: each fix in file then position order, answered with
 * `git add -p` keys.
 *
 * Before a fix is shown it is checked against the fixes accepted so far exactly as batch mode would
 * check the final file: it must merge (no overlap with an accepted fix), the merged file must parse,
 * and gofmt must accept it (and keep a gofmt-clean file clean). A fix that fails is skipped with a
 * note instead of being asked about, so an answer of `y` is never silently undone later and the
 * planner applies every accepted fix. An edited hunk goes through the same check; when it fails, the
 * user's text is kept and `e` opens it again.
 */
import path from 'node:path';
import type { Colors } from './color.js';
import { applyEdits, editsConflict, mergeFixes, resolveEdits } from './edits.js';
import type { FileEdit } from './edits.js';
import { editText } from './interactive-editor.js';
import { editedFix, editTemplate, parseEdited, regionsOf, renderFixDiff } from './interactive-hunk.js';
import { importArea, importPaths, unusedAddedImports } from './interactive-imports.js';
import { page, pagerCommand, screenLines } from './interactive-pager.js';
import type { Terminal } from './interactive-terminal.js';
import { verifyWithGofmt } from './gofmt.js';
import { syntaxErrorCount } from './parse.js';
import { locate } from './candidates.js';
import type { Candidate, SourceFile } from './plan-types.js';
import type { Fix } from './types.js';

/** Counters that run across packages. */
export interface SessionState {
  /** Fixes reached so far, asked or not: the i of (i/M). */
  index: number;
  /** Fixes known to exist: the M of (i/M). */
  total: number;
  /** Set by `q`, Ctrl-C or a signal: nothing more is asked or accepted. */
  quit: boolean;
  /** Every fix decided so far, in order, for the closing list (absent: not kept). */
  log?: LogEntry[];
}

/** A decided fix: accepted ones become `applied` (or `not written`) once their files are written. */
export interface LogEntry {
  id: string;
  /** `path:line:col` of its finding. */
  where: string;
  transform: string;
  message: string;
  status: 'accepted' | 'applied' | 'not written' | 'skipped';
  /** Why it was skipped, or how it was accepted (`edited`). */
  why?: string;
}

export interface SessionIo {
  out: { write(text: string): unknown };
  colors: Colors;
  terminal: Terminal;
  /** The gofmt binary, or undefined when there is none (then only parsing is checked). */
  gofmt: string | undefined;
  /** The terminal's size, when known: a fix taller than it is shown through a pager. */
  size?: () => { rows?: number; columns?: number };
  /** The pager command line (default: see interactive-pager.ts). */
  pager?: string;
}

/** A fix the user accepted: what the planner is told, and which files it needs written. */
export interface Accepted {
  id: string;
  path: string;
  edits: FileEdit[];
  fix?: Fix;
  /** From a transform whose files gofmt lays out. */
  layout?: boolean;
}

export interface Decision {
  answers: Map<string, true | Fix>;
  accepted: Accepted[];
}

export const PROMPT_KEYS = '[y,n,a,d,q,e,?]';

const HELP = `y - apply this fix
n - do not apply this fix
a - apply this fix and every later fix in this file
d - do not apply this fix or any later fix in this file
q - quit: apply nothing more (fixes accepted so far are kept and written)
e - edit the new text of this fix in $EDITOR, then apply it
? - print this help
`;

/** Line and column of a candidate's finding, `path:line:col`. */
function where(c: Candidate, sources: ReadonlyMap<string, string>): string {
  const at = locate(sources.get(c.path) ?? '', c.finding.start);
  return `${c.path}:${at.line}:${at.column}`;
}

/** Asks about every candidate of one package and returns the answers for the planner. */
export async function decidePackage(candidates: Candidate[], files: SourceFile[], state: SessionState, io: SessionIo): Promise<Decision> {
  const { out, colors: c, terminal } = io;
  const sources = new Map(files.map((f) => [f.path, f.source]));
  const readOnly = new Set(files.filter((f) => f.readOnly).map((f) => f.path));
  const accepted: Accepted[] = [];
  const answers = new Map<string, true | Fix>();
  const fileMode = new Map<string, 'all' | 'none'>();
  const drafts = new Map<string, string>();
  const seen = new Set<string>();

  /** Why `edits` cannot join the accepted fixes, or undefined when they can. */
  const problemWith = async (edits: FileEdit[], layout = false): Promise<string | undefined> => {
    const generated = edits.find((e) => readOnly.has(e.file));
    if (generated) return `it edits ${generated.file}, a generated file`;
    const merged = mergeFixes([...accepted.map((a) => a.edits), edits], (x) => x, (p) => sources.get(p)?.length);
    const rejected = merged.rejected.find((r) => r.item === edits);
    if (rejected?.reason === 'conflict') {
      const other = accepted.find((a) => a.edits.some((x) => edits.some((e) => editsConflict(x, e))));
      const at = other ? ` at ${where(candidates.find((k) => k.id === other.id)!, sources)}` : '';
      return `it overlaps the fix already accepted${at}`;
    }
    if (rejected) return `it is not a valid fix: ${rejected.detail}`;
    for (const file of new Set(edits.map((e) => e.file))) {
      const before = sources.get(file)!;
      const after = applyEdits(before, merged.editsByFile.get(file) ?? []);
      if (syntaxErrorCount(after) > 0) {
        return `${file} would not parse${accepted.length ? ' with the fixes accepted so far' : ''}`;
      }
      if (io.gofmt) {
        // Plain edits of a transform that lets gofmt lay out its files need not be aligned.
        const laidOut = layout || accepted.some((a) => a.layout && a.edits.some((e) => e.file === file));
        const verdict = await verifyWithGofmt(io.gofmt, before, after, laidOut);
        if (!verdict.ok) return `${file}: ${verdict.reason}`;
      }
    }
    return undefined;
  };
  const log = (cand: Candidate, status: 'accepted' | 'skipped', why?: string) => {
    state.log?.push({ id: cand.id, where: where(cand, sources), transform: cand.transform, message: cand.fix.message, status, why });
  };
  const accept = (cand: Candidate, fix?: Fix) => {
    const edits = fix ? resolveEdits(fix, cand.path) : cand.edits;
    accepted.push({ id: cand.id, path: cand.path, edits, fix, ...(cand.layout ? { layout: true } : {}) });
    answers.set(cand.id, fix ?? true);
    log(cand, 'accepted', fix ? 'edited' : undefined);
  };
  /** A file's text with the accepted fixes and `extra` applied (`extra` left out if it conflicts). */
  const textWith = (file: string, extra?: FileEdit[]): string => {
    const merged = mergeFixes([...accepted.map((a) => a.edits), ...(extra ? [extra] : [])], (x) => x, (p) => sources.get(p)?.length);
    return applyEdits(sources.get(file) ?? '', merged.editsByFile.get(file) ?? []);
  };
  /**
   * An edited fix whose imports the edited text no longer uses: the edits that add them are
   * dropped, or the reason the edit cannot be used.
   */
  const settleImports = (cand: Candidate, edits: FileEdit[]): { edits: FileEdit[]; dropped: string[] } | { reason: string } => {
    let out = edits;
    const dropped: string[] = [];
    for (const file of new Set(edits.map((e) => e.file))) {
      const unused = unusedAddedImports(textWith(file), textWith(file, cand.edits), textWith(file, out));
      if (unused.length === 0) continue;
      const refuse = {
        reason: `the edited hunk no longer uses ${unused.map((p) => `"${p}"`).join(', ')}, which the fix imports in ${file}, and the import cannot be taken out alone; remove it in the hunk too`,
      };
      const area = importArea(sources.get(file) ?? '');
      if (!area) return refuse;
      const kept = out.filter((e) => e.file !== file || e.start < area.start || e.end > area.end);
      const want = [...importPaths(textWith(file, out))].filter((p) => !unused.includes(p));
      const got = importPaths(textWith(file, kept));
      if (kept.length === 0 || got.size !== want.length || want.some((p) => !got.has(p))) return refuse;
      out = kept;
      dropped.push(...unused);
    }
    return { edits: out, dropped };
  };
  /** Shows a fix; one taller than the terminal goes through the pager, then its header again. */
  const show = (cand: Candidate, head: string, body: string) => {
    const size = io.size?.() ?? {};
    const pager = io.pager ?? pagerCommand();
    if (pager && size.rows && screenLines(head + body, size.columns) + 1 > size.rows && page(head + body, pager, terminal.handOver)) {
      out.write(`${c.dim('(shown in the pager)')} ${c.bold(where(cand, sources))} ${c.magenta(cand.transform)}: ${cand.fix.message}\n`);
      return;
    }
    out.write(head + body);
  };
  const note = (text: string) => out.write(`${c.yellow(text)}\n`);
  const counter = () => `(${state.index}/${state.total})`;

  for (const [k, cand] of candidates.entries()) {
    if (state.quit) break;
    if (seen.has(cand.id)) continue; // the planner matches answers by id: one question per id
    seen.add(cand.id);
    state.index++;
    const mode = fileMode.get(cand.path);
    if (mode === 'none') {
      log(cand, 'skipped', 'd');
      continue;
    }
    const problem = await problemWith(cand.edits, cand.layout);
    if (problem) {
      note(`skipped ${counter()} ${where(cand, sources)}: ${cand.fix.message}: ${problem}`);
      log(cand, 'skipped', problem);
      continue;
    }
    if (mode === 'all') {
      accept(cand);
      continue;
    }

    const head = `\n${c.bold(where(cand, sources))} ${c.magenta(cand.transform)}: ${cand.finding.message}\n${c.bold('fix:')} ${cand.fix.message}\n`;
    show(cand, head, renderFixDiff(cand.path, cand.edits, sources, c));
    for (;;) {
      out.write(c.bold(c.blue(`Apply this fix ${counter()} ${PROMPT_KEYS}? `)));
      const key = await terminal.key();
      out.write(key === 'interrupt' ? '^C\n' : key === 'eof' ? '^D\n' : `${key}\n`);
      if (key === 'y') accept(cand);
      else if (key === 'n') log(cand, 'skipped', 'n');
      else if (key === 'a' || key === 'd') {
        const later = candidates.slice(k + 1).filter((x) => x.path === cand.path && !seen.has(x.id)).length;
        fileMode.set(cand.path, key === 'a' ? 'all' : 'none');
        if (key === 'a') accept(cand);
        else log(cand, 'skipped', 'd');
        if (later) note(`${key === 'a' ? 'applying' : 'skipping'} this fix and the ${later} later one${later === 1 ? '' : 's'} in ${cand.path}`);
      } else if (key === 'q' || key === 'eof' || key === 'interrupt') {
        state.quit = true;
        log(cand, 'skipped', key === 'q' ? 'q' : key === 'eof' ? 'Ctrl-D' : 'interrupted');
      } else if (key === 'e') {
        const outcome = await editOnce(cand, sources, drafts, io, (edits) => problemWith(edits, cand.layout), (edits) => settleImports(cand, edits));
        if (terminal.interrupted) state.quit = true;
        else if (outcome.fix) accept(cand, outcome.fix);
        else {
          note(outcome.reason);
          continue;
        }
      } else if (key === '?') {
        out.write(c.red(HELP));
        continue;
      } else {
        note(`unknown key ${JSON.stringify(key)}; press ? for help`);
        continue;
      }
      break;
    }
  }
  return { answers, accepted };
}

/**
 * One round of `e`: open the hunk (or the user's last failed edit of it) in the editor and turn
 * what was saved into a checked fix, or say why not. A failed edit is kept as the next draft.
 */
async function editOnce(
  cand: Candidate,
  sources: ReadonlyMap<string, string>,
  drafts: Map<string, string>,
  io: SessionIo,
  problemWith: (edits: FileEdit[]) => Promise<string | undefined>,
  settleImports: (edits: FileEdit[]) => { edits: FileEdit[]; dropped: string[] } | { reason: string },
): Promise<{ fix: Fix; reason?: undefined } | { fix?: undefined; reason: string }> {
  const regions = regionsOf(cand.edits, sources);
  const template = drafts.get(cand.id) ?? editTemplate(regions, cand.fix.message);
  const saved = editText(template, path.basename(cand.path), io.terminal.handOver);
  if (!saved.ok) return { reason: saved.reason };
  const keep = (why: string) => {
    drafts.set(cand.id, saved.text);
    return { reason: `${why}; your edit is kept: e edits it again, y applies the fix as offered, n skips it` };
  };
  const parsed = parseEdited(saved.text, regions);
  if (!parsed.ok) {
    if (parsed.cancelled) {
      drafts.delete(cand.id);
      return { reason: parsed.reason };
    }
    return keep(parsed.reason);
  }
  if (parsed.texts.every((t, i) => t === regions[i].after)) {
    drafts.delete(cand.id);
    return { reason: 'the hunk was not changed; y applies it as offered' };
  }
  let fix = editedFix(cand.fix.message, regions, parsed.texts);
  if (!fix) return keep('the edited hunk changes nothing in the file (n skips this fix)');
  // An import the fix added for code the user edited away would not build ("imported and not used").
  const settled = settleImports(resolveEdits(fix, cand.path));
  if ('reason' in settled) return keep(settled.reason);
  const edits = settled.edits;
  if (settled.dropped.length) fix = { message: fix.message, edits: edits.map((e) => ({ file: e.file, start: e.start, end: e.end, text: e.text })) };
  const problem = await problemWith(edits);
  if (problem) return keep(`the edited hunk cannot be applied: ${problem}`);
  drafts.delete(cand.id);
  for (const p of settled.dropped) io.out.write(`${io.colors.yellow(`dropped the import of "${p}", which the edited hunk no longer uses`)}\n`);
  io.out.write(`${io.colors.bold('applying the edited hunk:')}\n`);
  io.out.write(renderFixDiff(cand.path, edits, sources, io.colors));
  return { fix };
}
