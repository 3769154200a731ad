/**
 * `gomend -i` end to end: the real CLI in a pseudo-terminal (util-linux `script`), answering prompts
 * with single keys the way a person would. Each test copies a small module from
 * test/data/interactive/ to a temporary directory and uses the demo transform defined there (FIXME
 * comments become FIXED; `sortInts(x)` becomes `slices.Sort(x)` with an import). A key is only sent
 * once its prompt is on the screen, and every session has a deadline.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { keyOf } from '../src/interactive-terminal.js';
import { editedFix, editTemplate, parseEdited, regionsOf } from '../src/interactive-hunk.js';
import { importArea, unusedAddedImports } from '../src/interactive-imports.js';
import { pagerCommand, screenLines } from '../src/interactive-pager.js';
import { closingList } from '../src/interactive.js';
import { colorsFor } from '../src/color.js';
import { initParser } from '../src/parse.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '..');
const root = path.resolve(dist, '..');
const data = path.join(root, 'test', 'data', 'interactive');
const launcher = path.join(data, 'gomend.mjs');
const transform = path.join(data, 'demo-transform.mjs');
const haveScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

const test = suite('interactive');

/** One step of a session: wait until `expect` is on screen (after the previous match), then send. */
interface Step {
  expect?: string;
  send?: string;
  /** Milliseconds to wait before sending (to show that an earlier key answered nothing). */
  pause?: number;
}

interface Session {
  /** Screen output without colour codes and carriage returns. */
  out: string;
  code: number;
  sttyBefore: string;
  sttyAfter: string;
}

function sh(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function prompt(i: number, m: number): string {
  return `Apply this fix (${i}/${m}) [y,n,a,d,q,e,?]? `;
}

/** A fresh copy of a test module. */
function copyModule(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gomend-i-'));
  cpSync(path.join(data, name), dir, { recursive: true });
  return dir;
}

const original = (name: string, file: string) => readFileSync(path.join(data, name, file), 'utf8');
const current = (dir: string, file: string) => readFileSync(path.join(dir, file), 'utf8');

/**
 * Runs `gomend . -i --transform demo` in `dir` inside a pseudo-terminal, recording `stty -g` before
 * and after, and plays `steps`. Rejects with the screen so far when a step or the run times out.
 */
function session(dir: string, steps: Step[], env: Record<string, string> = {}, redirect = ''): Promise<Session> {
  const cmd = [
    'echo "STTY0=$(stty -g)"',
    `node ${sh(launcher)} . -i --transform ${sh(transform)} ${redirect}`,
    'echo "EXIT=$?"',
    'echo "STTY1=$(stty -g)"',
  ].join('; ');
  const child = spawn('script', ['-qfec', cmd, '/dev/null'], {
    cwd: dir,
    env: { ...process.env, GOMEND_DIST: dist, EDITOR: 'false', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let raw = '';
  let pos = 0;
  let step = 0;
  let timer: NodeJS.Timeout | undefined;
  const screen = () => raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      child.kill('SIGKILL');
      reject(new Error(`${why}\n--- screen ---\n${screen()}`));
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => fail(step < steps.length ? `timed out waiting for ${JSON.stringify(steps[step].expect)}` : 'timed out waiting for exit'), 120_000);
    };
    const advance = () => {
      while (step < steps.length) {
        const s = steps[step];
        if (s.expect) {
          const at = screen().indexOf(s.expect, pos);
          if (at === -1) return;
          pos = at + s.expect.length;
        }
        step++;
        arm();
        if (s.send !== undefined) {
          const text = s.send;
          if (s.pause) {
            // Hold the queue until the pause is over, then go on.
            const rest = steps.splice(step);
            setTimeout(() => {
              child.stdin.write(text);
              steps.push(...rest);
              advance();
            }, s.pause);
            return;
          }
          child.stdin.write(text);
        }
      }
    };
    child.stdout.on('data', (d: Buffer) => {
      raw += d.toString('utf8');
      advance();
    });
    child.stderr.on('data', (d: Buffer) => {
      raw += d.toString('utf8');
    });
    child.on('exit', () => {
      clearTimeout(timer);
      child.stdin.destroy();
      const out = screen();
      if (step < steps.length) return reject(new Error(`exited before ${JSON.stringify(steps[step].expect)}\n--- screen ---\n${out}`));
      const code = /EXIT=(\d+)/.exec(out);
      const before = /STTY0=(\S+)/.exec(out);
      const after = /STTY1=(\S+)/.exec(out);
      if (!code || !before || !after) return reject(new Error(`no exit status or stty lines\n--- screen ---\n${out}`));
      resolve({ out, code: Number(code[1]), sttyBefore: before[1], sttyAfter: after[1] });
    });
    arm();
  });
}

/** No temporary file of the writer or the editor is left in `dir`. */
function noLeftovers(dir: string): void {
  const stray = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.includes('gomend'));
  assert.equal(stray, []);
}

const fixed = (text: string, what: string) => text.replace(`FIXME: ${what}`, `FIXED: ${what}`);

const cases: [string, () => Promise<void>][] = [];
const pty = (name: string, fn: () => Promise<void>) => cases.push([name, fn]);

pty('y/n/q writes exactly the accepted fix; Enter answers nothing; ? prints help', async () => {
  const dir = copyModule('mod');
  try {
    const s = await session(dir, [
      { expect: prompt(1, 3), send: '\r' },
      { pause: 300, send: '?' },
      { expect: 'y - apply this fix' },
      { expect: prompt(1, 3), send: 'y' },
      { expect: prompt(2, 3), send: 'n' },
      { expect: prompt(3, 3), send: 'q' },
    ]);
    assert.is(s.code, 0, s.out);
    assert.ok(s.out.includes('a.go:5:13 demo-fixme: unresolved FIXME: check for overflow'), s.out);
    assert.ok(s.out.includes('+\tx := a + b // FIXED: check for overflow'), s.out);
    assert.ok(s.out.includes('applied 1 of 3 fixes in 1 file'), s.out);
    // The closing list says what became of each fix, in the order asked, before the summary.
    const list = s.out.slice(s.out.indexOf('gomend: fixes:'));
    assert.match(list, /^gomend: fixes:\n  applied +a\.go:5:13 demo-fixme: Mark the FIXME as fixed\n  skipped +a\.go:\d+:\d+ demo-fixme: Mark the FIXME as fixed \(answered n\)\n  skipped +b\.go:\d+:\d+ demo-fixme: Mark the FIXME as fixed \(answered q\)\ngomend: applied 1 of 3 fixes/);
    assert.is(current(dir, 'a.go'), fixed(original('mod', 'a.go'), 'check for overflow'));
    assert.is(current(dir, 'b.go'), original('mod', 'b.go'));
    assert.is(s.sttyAfter, s.sttyBefore);
    noLeftovers(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

pty('a fix taller than the terminal is shown through $PAGER, then its header again', async () => {
  const dir = copyModule('mod');
  const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'gomend-i-log-')), 'page');
  try {
    const env = { PAGER: `node ${sh(path.join(data, 'pager.mjs'))}`, PAGE_LOG: log, LINES: '4', COLUMNS: '80' };
    const s = await session(dir, [
      { expect: '[pager showed' },
      { expect: '(shown in the pager) a.go:5:13 demo-fixme: Mark the FIXME as fixed' },
      { expect: prompt(1, 3), send: 'y' },
      { expect: prompt(2, 3), send: 'q' },
    ], env);
    assert.is(s.code, 0, s.out);
    const paged = readFileSync(log, 'utf8').replace(/\x1b\[[0-9;]*m/g, '').split('=== end of page ===\n');
    assert.is(paged.length, 3, 'two fixes were paged');
    assert.ok(paged[0].includes('a.go:5:13 demo-fixme: unresolved FIXME: check for overflow'), paged[0]);
    assert.ok(paged[0].includes('+\tx := a + b // FIXED: check for overflow'), paged[0]);
    assert.not.ok(s.out.includes('+\tx := a + b // FIXED: check for overflow'), 'the diff went to the pager only');
    assert.is(current(dir, 'a.go'), fixed(original('mod', 'a.go'), 'check for overflow'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(path.dirname(log), { recursive: true, force: true });
  }
});

pty('a applies the rest of the current file only', async () => {
  const dir = copyModule('mod');
  try {
    const s = await session(dir, [
      { expect: prompt(1, 3), send: 'a' },
      { expect: prompt(3, 3), send: 'n' },
    ]);
    assert.is(s.code, 0, s.out);
    assert.not.ok(s.out.includes(prompt(2, 3)), 'the second fix of a.go was asked about');
    assert.is(current(dir, 'a.go'), fixed(fixed(original('mod', 'a.go'), 'check for overflow'), 'negative results'));
    assert.is(current(dir, 'b.go'), original('mod', 'b.go'));
    assert.ok(s.out.includes('applied 2 of 3 fixes in 1 file'), s.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

pty('d skips the rest of the current file only', async () => {
  const dir = copyModule('mod');
  try {
    const s = await session(dir, [
      { expect: prompt(1, 3), send: 'd' },
      { expect: prompt(3, 3), send: 'y' },
    ]);
    assert.is(s.code, 0, s.out);
    assert.not.ok(s.out.includes(prompt(2, 3)), 'the second fix of a.go was asked about');
    assert.is(current(dir, 'a.go'), original('mod', 'a.go'));
    assert.is(current(dir, 'b.go'), fixed(original('mod', 'b.go'), 'overflow again'));
    assert.ok(s.out.includes('applied 1 of 3 fixes in 1 file'), s.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

pty('e applies the hunk as edited in $EDITOR', async () => {
  const dir = copyModule('mod');
  const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'gomend-i-log-')), 'edit');
  try {
    const env = { EDITOR: `node ${sh(path.join(data, 'editor.mjs'))}`, EDIT_LOG: log, EDIT_STEPS: JSON.stringify([['FIXED: check', 'FIXED by hand: check']]) };
    const s = await session(dir, [
      { expect: prompt(1, 3), send: 'e' },
      { expect: 'applying the edited hunk' },
      { expect: prompt(2, 3), send: 'n' },
      { expect: prompt(3, 3), send: 'n' },
    ], env);
    assert.is(s.code, 0, s.out);
    assert.ok(readFileSync(`${log}.1`, 'utf8').includes('\tx := a + b // FIXED: check for overflow\n'), 'the editor got the new text of the hunk');
    assert.is(current(dir, 'a.go'), original('mod', 'a.go').replace('FIXME: check', 'FIXED by hand: check'));
    assert.is(current(dir, 'b.go'), original('mod', 'b.go'));
    assert.ok(s.out.includes('applied 1 of 3 fixes in 1 file'), s.out);
    assert.is(s.sttyAfter, s.sttyBefore);
    noLeftovers(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(path.dirname(log), { recursive: true, force: true });
  }
});

pty('e: an edit that does not parse or is not gofmt-clean is refused and kept for the next e', async () => {
  const dir = copyModule('mod');
  const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'gomend-i-log-')), 'edit');
  try {
    const steps = [
      ['a + b // FIXED', 'a + b + // FIXED'],
      ['a + b + // FIXED: check', 'a  +  b // EDITED: check'],
      ['a  +  b', 'a + b'],
    ];
    const env = { EDITOR: `node ${sh(path.join(data, 'editor.mjs'))}`, EDIT_LOG: log, EDIT_STEPS: JSON.stringify(steps) };
    const s = await session(dir, [
      { expect: prompt(1, 3), send: 'e' },
      { expect: 'would not parse' },
      { expect: prompt(1, 3), send: 'e' },
      { expect: 'not gofmt-clean' },
      { expect: prompt(1, 3), send: 'e' },
      { expect: 'applying the edited hunk' },
      { expect: prompt(2, 3), send: 'q' },
    ], env);
    assert.is(s.code, 0, s.out);
    assert.ok(readFileSync(`${log}.2`, 'utf8').includes('a + b + // FIXED'), 'the second edit starts from the first');
    assert.ok(readFileSync(`${log}.3`, 'utf8').includes('a  +  b // EDITED'), 'the third edit starts from the second');
    assert.is(current(dir, 'a.go'), original('mod', 'a.go').replace('FIXME: check', 'EDITED: check'));
    assert.is(current(dir, 'b.go'), original('mod', 'b.go'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(path.dirname(log), { recursive: true, force: true });
  }
});

pty('Ctrl-C keeps the accepted fixes of the package, writes files whole and restores the terminal', async () => {
  const dir = copyModule('mod');
  try {
    const s = await session(dir, [
      { expect: prompt(1, 3), send: 'y' },
      { expect: prompt(2, 3), send: '\x03' },
    ]);
    assert.is(s.code, 130, s.out);
    assert.is(current(dir, 'a.go'), fixed(original('mod', 'a.go'), 'check for overflow'));
    assert.is(current(dir, 'b.go'), original('mod', 'b.go'));
    assert.ok(s.out.includes('applied 1 of 3 fixes in 1 file'), s.out);
    assert.is(s.sttyAfter, s.sttyBefore);
    noLeftovers(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

pty('Ctrl-C at the first prompt leaves every file untouched', async () => {
  const dir = copyModule('mod');
  try {
    const s = await session(dir, [{ expect: prompt(1, 3), send: '\x03' }]);
    assert.is(s.code, 130, s.out);
    assert.is(current(dir, 'a.go'), original('mod', 'a.go'));
    assert.is(current(dir, 'b.go'), original('mod', 'b.go'));
    assert.ok(s.out.includes('applied 0 of 3 fixes in 0 files'), s.out);
    assert.is(s.sttyAfter, s.sttyBefore);
    noLeftovers(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

pty('q leaves later packages untouched and unasked', async () => {
  const dir = copyModule('twopkg');
  try {
    const s = await session(dir, [
      { expect: prompt(1, 3), send: 'y' },
      { expect: prompt(2, 3), send: 'q' },
    ]);
    assert.is(s.code, 0, s.out);
    assert.not.ok(s.out.includes('sub/c.go'), s.out);
    assert.is(current(dir, 'a.go'), original('twopkg', 'a.go').replace('FIXME: first', 'FIXED: first'));
    assert.is(current(dir, 'sub/c.go'), original('twopkg', 'sub/c.go'));
    assert.ok(s.out.includes('applied 1 of 3 fixes in 1 file'), s.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

pty('an import is added once, for the accepted fixes only', async () => {
  const dir = copyModule('imports');
  try {
    const s = await session(dir, [
      { expect: prompt(1, 3), send: 'y' },
      { expect: prompt(2, 3), send: 'n' },
      { expect: prompt(3, 3), send: 'y' },
    ]);
    assert.is(s.code, 0, s.out);
    const want = original('imports', 'sort.go')
      .replace('import "fmt"', 'import (\n\t"fmt"\n\t"slices"\n)')
      .replace('\tsortInts(a)', '\tslices.Sort(a)')
      .replace('\tsortInts(c)', '\tslices.Sort(c)');
    assert.is(current(dir, 'sort.go'), want);
    assert.ok(s.out.includes('applied 2 of 3 fixes in 1 file'), s.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

pty('e: an import the edited hunk no longer uses is dropped with the edit', async () => {
  const dir = copyModule('imports');
  const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'gomend-i-log-')), 'edit');
  try {
    const env = { EDITOR: `node ${sh(path.join(data, 'editor.mjs'))}`, EDIT_LOG: log, EDIT_STEPS: JSON.stringify([['slices.Sort(a)', 'sortInts(a) // by hand']]) };
    const s = await session(dir, [
      { expect: prompt(1, 3), send: 'e' },
      { expect: 'dropped the import of "slices", which the edited hunk no longer uses' },
      { expect: 'applying the edited hunk' },
      { expect: prompt(2, 3), send: 'n' },
      { expect: prompt(3, 3), send: 'n' },
    ], env);
    assert.is(s.code, 0, s.out);
    assert.ok(readFileSync(`${log}.1`, 'utf8').includes('"slices"'), 'the editor got the import region');
    assert.is(current(dir, 'sort.go'), original('imports', 'sort.go').replace('\tsortInts(a)', '\tsortInts(a) // by hand'));
    assert.match(s.out, /applied +sort\.go:9:2 demo-fixme: Call slices\.Sort \(edited\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(path.dirname(log), { recursive: true, force: true });
  }
});

pty('e: an import the edited hunk still uses is kept', async () => {
  const dir = copyModule('imports');
  const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'gomend-i-log-')), 'edit');
  try {
    const env = { EDITOR: `node ${sh(path.join(data, 'editor.mjs'))}`, EDIT_LOG: log, EDIT_STEPS: JSON.stringify([['slices.Sort(a)', 'slices.Sort(a) // by hand']]) };
    const s = await session(dir, [
      { expect: prompt(1, 3), send: 'e' },
      { expect: 'applying the edited hunk' },
      { expect: prompt(2, 3), send: 'q' },
    ], env);
    assert.is(s.code, 0, s.out);
    assert.not.ok(s.out.includes('dropped the import'), s.out);
    const want = original('imports', 'sort.go').replace('import "fmt"', 'import (\n\t"fmt"\n\t"slices"\n)').replace('\tsortInts(a)', '\tslices.Sort(a) // by hand');
    assert.is(current(dir, 'sort.go'), want);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(path.dirname(log), { recursive: true, force: true });
  }
});

pty('stdout redirected: refused with exit 2, nothing written', async () => {
  const dir = copyModule('mod');
  try {
    const s = await session(dir, [], {}, '> out.txt');
    assert.is(s.code, 2, s.out);
    assert.ok(s.out.includes('--interactive needs a terminal, but stdout is not one'), s.out);
    assert.is(current(dir, 'a.go'), original('mod', 'a.go'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stdin redirected: refused with exit 2, nothing written', () => {
  const dir = copyModule('mod');
  try {
    const r = spawnSync(process.execPath, [launcher, '.', '-i', '--transform', transform], {
      cwd: dir,
      env: { ...process.env, GOMEND_DIST: dist },
      input: 'y\ny\ny\n',
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.is(r.status, 2, r.stderr);
    assert.ok(r.stderr.includes('--interactive needs a terminal, but stdin is not one'), r.stderr);
    assert.is(current(dir, 'a.go'), original('mod', 'a.go'));
    assert.is(current(dir, 'b.go'), original('mod', 'b.go'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keys: Enter and escape sequences answer nothing; Ctrl-D is eof', () => {
  assert.is(keyOf('\r'), undefined);
  assert.is(keyOf('\n'), undefined);
  assert.is(keyOf('\x1b[A'), undefined);
  assert.is(keyOf('Y'), 'y');
  assert.is(keyOf('\ryn'), 'y');
  assert.is(keyOf('\x04'), 'eof');
});

test('hunk editing: regions, template round trip, kept and minimal edits', () => {
  const src = 'package p\n\nimport "fmt"\n\nfunc f() {\n\tsortInts(a)\n\tfmt.Println(a)\n}\n';
  const sources = new Map([['p.go', src]]);
  const call = src.indexOf('sortInts');
  const imp = { file: 'p.go', start: src.indexOf('import'), end: src.indexOf('import') + 12, text: 'import (\n\t"fmt"\n\t"slices"\n)' };
  const edits = [{ file: 'p.go', start: call, end: call + 8, text: 'slices.Sort' }, imp];
  const regions = regionsOf(edits, sources);
  assert.equal(regions.map((r) => [r.firstLine, r.lastLine]), [[3, 3], [6, 6]]);
  const template = editTemplate(regions, 'Call slices.Sort');
  const same = parseEdited(template, regions);
  assert.ok(same.ok && same.texts.every((t, i) => t === regions[i].after));
  const changed = parseEdited(template.replace('slices.Sort(a)', 'slices.Sort(a) // sorted'), regions);
  assert.ok(changed.ok);
  const fix = editedFix('Call slices.Sort', regions, changed.ok ? changed.texts : []);
  // The import region was left alone: its edit is the fix's own, so it still coalesces.
  assert.equal(fix?.edits[0], imp);
  // The changed region becomes one edit of just the characters that differ.
  assert.equal(fix?.edits[1], { file: 'p.go', start: call + 1, end: src.indexOf('\n', call), text: 'lices.Sort(a) // sorted' });
  assert.ok(!parseEdited('', regions).ok);
  assert.ok(!parseEdited(template.replace(/\/\/gomend:edit @@ region 2[^\n]*\n/, ''), regions).ok);
});

test('imports after an edit: only an import the fix added, used as offered and no longer', async () => {
  await initParser();
  const before = 'package p\n\nimport "fmt"\n\nfunc f(a []int) {\n\tsortInts(a)\n\tfmt.Println(a)\n}\n';
  const offered = before.replace('import "fmt"', 'import (\n\t"fmt"\n\t"slices"\n)').replace('sortInts(a)', 'slices.Sort(a)');
  assert.equal(unusedAddedImports(before, offered, offered), []);
  assert.equal(unusedAddedImports(before, offered, offered.replace('slices.Sort(a)', 'sortInts(a)')), ['slices']);
  // "fmt" was there before the fix: not the fix's to drop, used or not.
  assert.equal(unusedAddedImports(before, offered, offered.replace('slices.Sort(a)', 'sortInts(a)').replace('fmt.Println(a)', '_ = a')), ['slices']);
  // The name is the alias or the last element of the path (gopkg.in/yaml.v3 is yaml)...
  const yaml = before.replace('import "fmt"', 'import (\n\t"fmt"\n\n\t"gopkg.in/yaml.v3"\n)').replace('sortInts(a)', 'yaml.Marshal(a)');
  assert.equal(unusedAddedImports(before, yaml, yaml.replace('yaml.Marshal(a)', 'sortInts(a)')), ['gopkg.in/yaml.v3']);
  // ...and a package whose name the path does not tell (the fix uses z, the path ends in y) is never called unused.
  const z = before.replace('import "fmt"', 'import (\n\t"fmt"\n\n\t"example.com/y/v2"\n)').replace('sortInts(a)', 'z.Do(a)');
  assert.equal(unusedAddedImports(before, z, z.replace('z.Do(a)', 'sortInts(a)')), []);
  const area = importArea(before)!;
  assert.equal([area.start, before.slice(area.start, area.end)], [0, 'package p\n\nimport "fmt"']);
});

test('pager: $PAGER, empty or cat for none, else less when installed; lines as the terminal wraps them', () => {
  assert.is(pagerCommand({ PAGER: 'most -s', PATH: '' }), 'most -s');
  assert.is(pagerCommand({ PAGER: '', PATH: '/usr/bin:/bin' }), undefined);
  assert.is(pagerCommand({ PAGER: 'cat', PATH: '/usr/bin:/bin' }), undefined);
  assert.is(pagerCommand({ PATH: '' }), undefined);
  assert.is(screenLines('a\nb\n', 80), 2);
  assert.is(screenLines('\x1b[31m' + 'x'.repeat(100) + '\x1b[39m\n', 80), 2);
});

test('closing list: applied, skipped with the answer or the reason, and fixes never asked', () => {
  const c = colorsFor({ isTTY: false } as NodeJS.WriteStream, {});
  const text = closingList(
    {
      index: 3,
      total: 5,
      quit: true,
      log: [
        { id: '1', where: 'a.go:1:1', transform: 't', message: 'Fix it', status: 'applied' },
        { id: '2', where: 'a.go:2:1', transform: 't', message: 'Fix it', status: 'skipped', why: 'n' },
        { id: '3', where: 'b.go:3:1', transform: 't', message: 'Fix it', status: 'skipped', why: 'b.go would not parse' },
      ],
    },
    c,
  );
  assert.is(
    text,
    'gomend: fixes:\n  applied     a.go:1:1 t: Fix it\n  skipped     a.go:2:1 t: Fix it (answered n)\n  skipped     b.go:3:1 t: Fix it (b.go would not parse)\n  not asked   2 fixes\n',
  );
});

if (haveScript) {
  for (const [name, fn] of cases) test(name, fn);
} else {
  test.skip('pseudo-terminal tests (util-linux `script` not found)', () => undefined);
}

test.run();
