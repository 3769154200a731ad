/**
 * Build groups: which files of a directory one operating system's builds can compile together,
 * from file names and `//go:build` lines, deciding only the operating system.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildGroups, buildLine, evalBuildLine, fileNameOS, hostBuildFiles } from '../src/buildtags.js';

const test = suite('build groups');

test('file names: GOOS and GOOS_GOARCH suffixes, _test too, never the first element', () => {
  assert.is(fileNameOS('fs_js.go'), 'js');
  assert.is(fileNameOS('dir/zerrors_linux_amd64.go'), 'linux');
  assert.is(fileNameOS('exec_plan9_test.go'), 'plan9');
  assert.is(fileNameOS('linux.go'), undefined);
  assert.is(fileNameOS('linux_amd64.go'), undefined);
  assert.is(fileNameOS('syscall_unix.go'), undefined); // unix is a tag, not a file-name element
  assert.is(fileNameOS('state.input.go'), undefined);
});

test('build lines: only in the header, before the package clause', () => {
  assert.is(buildLine('// Copyright\n\n//go:build linux && !cgo\n\npackage p\n'), 'linux && !cgo');
  assert.is(buildLine('package p\n\n//go:build linux\n'), undefined);
});

test('three-valued evaluation: the OS is known, every other tag may go either way', () => {
  assert.is(evalBuildLine('linux', 'linux'), true);
  assert.is(evalBuildLine('linux', 'android'), true);
  assert.is(evalBuildLine('darwin', 'ios'), true);
  assert.is(evalBuildLine('solaris', 'illumos'), true);
  assert.is(evalBuildLine('linux', 'windows'), false);
  assert.is(evalBuildLine('unix', 'freebsd'), true);
  assert.is(evalBuildLine('unix', 'plan9'), false);
  assert.is(evalBuildLine('!windows', 'windows'), false);
  assert.is(evalBuildLine('cgo', 'linux'), undefined);
  assert.is(evalBuildLine('linux && cgo', 'windows'), false);
  assert.is(evalBuildLine('linux && cgo', 'linux'), undefined);
  assert.is(evalBuildLine('(linux || darwin) && !amd64', 'darwin'), undefined);
  assert.is(evalBuildLine('(linux || darwin) && !amd64', 'js'), false);
  assert.is(evalBuildLine('linux ||', 'linux'), undefined); // does not parse: maybe
});

test('groups: one when nothing is constrained, one per distinct set otherwise', () => {
  const plain = [
    { name: 'a.go', source: 'package p\n' },
    { name: 'b_test.go', source: 'package p\n' },
  ];
  assert.equal(buildGroups(plain), [[0, 1]]);
  const split = [
    { name: 'common.go', source: 'package p\n' },
    { name: 'fs_js.go', source: 'package p\n' },
    { name: 'exec_plan9.go', source: 'package p\n' },
    { name: 'tagged.go', source: '//go:build cgo\n\npackage p\n' },
    { name: 'never.go', source: '//go:build linux && windows\n\npackage p\n' },
  ];
  const groups = buildGroups(split);
  assert.ok(groups.some((g) => g.join() === '0,1,3'), 'js');
  assert.ok(groups.some((g) => g.join() === '0,2,3'), 'plan9');
  assert.ok(groups.some((g) => g.join() === '0,3'), 'any other system');
  assert.ok(!groups.some((g) => g.includes(1) && g.includes(2)), 'js and plan9 files never together');
  assert.ok(!groups.some((g) => g.includes(4)), 'a file no system can build is in no group');
});

test("another package's files as this machine builds them: other systems and architectures left out, all when none is left", () => {
  const hostOS = ({ win32: 'windows' } as Record<string, string>)[process.platform] ?? process.platform;
  const otherOS = hostOS === 'plan9' ? 'windows' : 'plan9';
  const hostArch = ({ x64: 'amd64', ia32: '386' } as Record<string, string>)[process.arch] ?? process.arch;
  const otherArch = hostArch === 'mips' ? 'arm' : 'mips';
  const files = [
    { name: 'a.go', source: 'package p\n' },
    { name: `z_${otherOS}.go`, source: 'package p\n' },
    { name: `z_${hostOS}_${otherArch}.go`, source: 'package p\n' },
    { name: `z_${hostOS}_${hostArch}.go`, source: 'package p\n' },
    { name: `z_${otherArch}.go`, source: 'package p\n' },
    { name: 'tagged.go', source: `//go:build ${otherOS}\n\npackage p\n` },
    { name: 'maybe.go', source: '//go:build cgo\n\npackage p\n' },
  ];
  assert.equal(hostBuildFiles(files).map((f) => f.name), ['a.go', `z_${hostOS}_${hostArch}.go`, 'maybe.go']);
  const foreign = [{ name: `only_${otherOS}.go`, source: 'package p\n' }];
  assert.equal(hostBuildFiles(foreign), foreign);
});

test.run();
