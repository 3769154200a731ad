/**
 * `//gomend:ignore` suppression comments.
 *
 * A finding is suppressed by a `//gomend:ignore` comment at the end of its own line, or alone on
 * the line above (a comment ending the line above belongs to that line, as with nolint).
 * `//gomend:ignore a, b` names the transforms it silences; a bare one silences all, and so does one
 * followed only by a reason (`//gomend:ignore: buffer is never reused`) — words that name no
 * selected transform are taken as the reason. Users reach for this when gomend is right in general
 * but wrong about one place, so it must be cheap and local.
 */

const directive = /\/\/\s*gomend:ignore\b:?([^\n]*)/;

function lineBounds(source: string, index: number): { start: number; end: number } {
  const start = source.lastIndexOf('\n', index - 1) + 1;
  const nl = source.indexOf('\n', index);
  return { start, end: nl === -1 ? source.length : nl };
}

/** The transform names a directive lists: leading kebab-case words, separated by commas or spaces. */
export function directiveNames(rest: string): string[] {
  const names: string[] = [];
  for (const token of rest.trim().split(/[\s,]+/)) {
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(token)) break;
    names.push(token);
  }
  return names;
}

function lineSilences(line: string, transform: string, known: readonly string[] | undefined): boolean {
  const m = directive.exec(line);
  if (!m) return false;
  const names = directiveNames(m[1]);
  const named = known ? names.filter((n) => known.includes(n)) : names;
  if (named.length === 0) return true;
  return named.includes(transform);
}

/**
 * True when the finding starting at `index` is silenced for `transform`. `known` lists the
 * transforms of the run, so a reason written after the directive is not mistaken for names.
 */
export function suppressed(source: string, index: number, transform: string, known?: readonly string[]): boolean {
  if (!source.includes('gomend:ignore')) return false;
  const here = lineBounds(source, index);
  if (lineSilences(source.slice(here.start, here.end), transform, known)) return true;
  if (here.start === 0) return false;
  const above = lineBounds(source, here.start - 1);
  const line = source.slice(above.start, above.end);
  return /^\s*\/\/\s*gomend:ignore\b/.test(line) && lineSilences(line, transform, known);
}
