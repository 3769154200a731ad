/**
 * Which files of a directory can be compiled together, from their names and `//go:build` lines:
 * a package such as syscall holds files for every operating system, and a map declared in
 * `fs_js.go` is never in the same build as a goroutine started in `exec_plan9.go`. Analyses that
 * read a whole package can look at each build's files instead of their union.
 *
 * Only the operating system is decided. Every other constraint (architecture, cgo, custom tags,
 * Go versions) counts as "maybe", so a file is left out of an operating system's files only when
 * no build for that system can include it: each group is a superset of some real build's files.
 */

/** GOOS values known to go/build (syslist.go), which file names and build lines may name. */
const KNOWN_OS = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl', 'netbsd', 'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos']);

/** GOARCH values known to go/build, for reading `name_GOOS_GOARCH.go`. */
const KNOWN_ARCH = new Set(['386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'loong64', 'mips', 'mipsle', 'mips64', 'mips64le', 'mips64p32', 'mips64p32le', 'ppc', 'ppc64', 'ppc64le', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm']);

/** Operating systems the `unix` build tag stands for. */
const UNIX_OS = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'linux', 'netbsd', 'openbsd', 'solaris']);

/** Systems a build can target today (nacl is gone): the builds whose files are grouped. */
const TARGET_OS = [...KNOWN_OS].filter((os) => os !== 'nacl');

/** True, false, or undefined for "depends on something other than the operating system". */
type Maybe = boolean | undefined;

/** Whether a build for `os` satisfies the tag or file-name element `tag` (android is also linux, ios darwin, illumos solaris). */
function osMatches(tag: string, os: string): boolean {
  return tag === os || (tag === 'linux' && os === 'android') || (tag === 'darwin' && os === 'ios') || (tag === 'solaris' && os === 'illumos');
}

function tagValue(tag: string, os: string): Maybe {
  if (KNOWN_OS.has(tag)) return osMatches(tag, os);
  if (tag === 'unix') return UNIX_OS.has(os);
  return undefined;
}

/** Evaluates a `//go:build` expression for `os` in three-valued logic; undefined also when it does not parse. */
export function evalBuildLine(expr: string, os: string, value: (tag: string) => Maybe = (tag) => tagValue(tag, os)): Maybe {
  const tokens = expr.match(/&&|\|\||[!()]|[^\s!()&|]+/g) ?? [];
  let i = 0;
  let bad = false;
  const or = (): Maybe => {
    let v = and();
    while (tokens[i] === '||') {
      i++;
      const w = and();
      v = v === true || w === true ? true : v === false && w === false ? false : undefined;
    }
    return v;
  };
  const and = (): Maybe => {
    let v = not();
    while (tokens[i] === '&&') {
      i++;
      const w = not();
      v = v === false || w === false ? false : v === true && w === true ? true : undefined;
    }
    return v;
  };
  const not = (): Maybe => {
    const t = tokens[i++];
    if (t === '!') {
      const v = not();
      return v === undefined ? undefined : !v;
    }
    if (t === '(') {
      const v = or();
      if (tokens[i++] !== ')') bad = true;
      return v;
    }
    if (t === undefined || t === ')' || t === '&&' || t === '||') {
      bad = true;
      return undefined;
    }
    return value(t);
  };
  const v = or();
  return bad || i !== tokens.length ? undefined : v;
}

/** The operating system a file name restricts to (`x_linux.go`, `x_linux_amd64_test.go`), if any. */
export function fileNameOS(name: string): string | undefined {
  const base = name.slice(name.lastIndexOf('/') + 1).replace(/\.go$/, '').replace(/_test$/, '');
  const parts = base.split('_');
  const n = parts.length;
  if (n >= 3 && KNOWN_OS.has(parts[n - 2]) && KNOWN_ARCH.has(parts[n - 1])) return parts[n - 2];
  if (n >= 2 && KNOWN_OS.has(parts[n - 1])) return parts[n - 1];
  return undefined;
}

/** The `//go:build` expression of a file: a line of its header, before the package clause. */
export function buildLine(source: string): string | undefined {
  const header = source.slice(0, Math.max(0, source.search(/^package\s/m)));
  return /^\/\/go:build[ \t]+(.*?)[ \t]*$/m.exec(header)?.[1] || undefined;
}

/** False when no build for `os` can include the file (`value`: what each tag of its build line is, as in `evalBuildLine`). */
function mayBuildFor(name: string, source: string, os: string, value?: (tag: string) => Maybe): boolean {
  const nameOS = fileNameOS(name);
  if (nameOS && !osMatches(nameOS, os)) return false;
  const line = buildLine(source);
  return !line || evalBuildLine(line, os, value) !== false;
}

/**
 * The distinct groups of files (indices into `files`) that builds for some operating system may
 * compile together, largest first. One group holding every file means the names and build lines
 * do not split the package.
 */
export function buildGroups(files: readonly { name: string; source: string }[]): number[][] {
  const seen = new Map<string, number[]>();
  for (const os of TARGET_OS) {
    const group = files.flatMap((f, i) => (mayBuildFor(f.name, f.source, os) ? [i] : []));
    if (group.length > 0) seen.set(group.join(','), group);
  }
  return [...seen.values()].sort((a, b) => b.length - a.length);
}

/** The GOOS and GOARCH of the machine gomend runs on, as Go names them. */
const HOST_OS = ({ win32: 'windows', sunos: 'solaris' } as Record<string, string>)[process.platform] ?? process.platform;
const HOST_ARCH = ({ x64: 'amd64', ia32: '386', ppc64: 'ppc64le' } as Record<string, string>)[process.arch] ?? process.arch;

/** The architecture a file name restricts to (`x_amd64.go`, `x_linux_arm64.go`), if any. */
function fileNameArch(name: string): string | undefined {
  const parts = name.slice(name.lastIndexOf('/') + 1).replace(/\.go$/, '').replace(/_test$/, '').split('_');
  return parts.length >= 2 && KNOWN_ARCH.has(parts[parts.length - 1]) ? parts[parts.length - 1] : undefined;
}

/**
 * A tag as `go build` sets it on this machine without `-tags`: its system, architecture, `unix`,
 * every `go1.N`, `gc` and `cgo`; every other tag (custom ones, `ignore`) is unset.
 */
function hostTag(tag: string): boolean {
  if (KNOWN_OS.has(tag)) return osMatches(tag, HOST_OS);
  if (KNOWN_ARCH.has(tag)) return tag === HOST_ARCH;
  if (tag === 'unix') return UNIX_OS.has(HOST_OS);
  return tag === 'gc' || tag === 'cgo' || /^go1\.\d+$/.test(tag);
}

/**
 * The files of another package that `go build` compiles on this machine (by file name and
 * `//go:build` line, without `-tags`), or all of them when none is left. Another package is read
 * only for the types and functions it declares, and syscall or runtime hold every system's and
 * architecture's copy of them, net/http a variant of its HTTP/2 names behind a tag: one build's
 * view is what the compiler sees here.
 */
export function hostBuildFiles<T extends { name: string; source: string }>(files: readonly T[]): readonly T[] {
  const kept = files.filter((f) => {
    const arch = fileNameArch(f.name);
    return (!arch || arch === HOST_ARCH) && mayBuildFor(f.name, f.source, HOST_OS, hostTag);
  });
  return kept.length > 0 ? kept : files;
}
