/**
 * The module view's importer index: which packages of a module import a package, start goroutines
 * and call which exported names. Read from the text of a small module laid out in a temp folder.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { newModel } from '../src/go/model.js';
import { importPathsOf, interfaceMethodNames } from '../src/go/module.js';
import { initParser } from '../src/parse.js';
import { planPackage } from '../src/plan.js';
import { mapRwmutex } from '../transforms/map-rwmutex/index.js';
import { mayNeedLock } from '../transforms/map-rwmutex/gate.js';
import { mayBeEntered, spawnHint } from '../transforms/map-rwmutex/module-gate.js';

const test = suite('module importers');
test.before(async () => {
  await initParser();
});

/** Runs `body` over a fresh module folder (module example.com/m), removed afterwards; `write` lays out a file and returns its text. */
function withModule(body: (root: string, write: (rel: string, text: string) => string) => void): void {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gomend-module-'));
  try {
    const write = (rel: string, text: string): string => {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
      return text;
    };
    write('go.mod', 'module example.com/m\n\ngo 1.22\n');
    body(root, write);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('import paths of single imports, blocks and named imports', () => {
  const src = 'package p\n\nimport "fmt"\nimport x "example.com/m/x"\n\nimport (\n\t"sync"\n\t_ "embed"\n\ty "example.com/m/y"\n)\n\nfunc F() {}\n';
  assert.equal(importPathsOf(src), ['fmt', 'example.com/m/x', 'sync', 'embed', 'example.com/m/y']);
});

test('importers: packages importing a path whose text may start a goroutine, outside vendor, testdata and nested modules', () => {
  withModule((root, write) => {
    write('store/store.go', 'package store\n\nfunc Put(k string) {}\n');
    write('server/server.go', 'package server\n\nimport "example.com/m/store"\n\nfunc Run() {\n\tgo store.Put("a")\n}\n');
    write('quiet/quiet.go', 'package quiet\n\nimport "example.com/m/store"\n\nfunc Run() { store.Put("a") }\n');
    write('web/web.go', 'package web\n\nimport (\n\t"net/http"\n\n\t"example.com/m/store"\n)\n\nfunc init() {\n\thttp.HandleFunc("/", func(http.ResponseWriter, *http.Request) { store.Put("b") })\n}\n');
    write('server/server_test.go', 'package server\n\nimport "example.com/m/other"\n\nfunc T() { go other.X() }\n');
    write('vendor/v/v.go', 'package v\n\nimport "example.com/m/store"\n\nfunc R() { go store.Put("") }\n');
    write('nested/go.mod', 'module example.com/n\n');
    write('nested/n.go', 'package n\n\nimport "example.com/m/store"\n\nfunc R() { go store.Put("") }\n');
    const view = newModel({ dir: path.join(root, 'store'), name: 'store', files: [] }).module!;
    assert.ok(view);
    assert.equal(view.importers('example.com/m/store', spawnHint()).sort(), ['example.com/m/server', 'example.com/m/web']);
    assert.equal(view.importers('example.com/m/other', spawnHint()), [], 'test files are not read');
    assert.ok(view.calledNames('example.com/m/server').has('Put'));
    assert.not.ok(view.calledNames('example.com/m/server').has('X'));
  });
});

test('a package with no goroutine of its own is let in when an importer that may spawn calls one of its exported names', () => {
  withModule((root, write) => {
    const store = write('store/store.go', 'package store\n\nvar seen = map[string]bool{}\n\nfunc Put(k string) { seen[k] = true }\n');
    const plain = write('plain/plain.go', 'package plain\n\nvar seen = map[string]bool{}\n\nfunc Put(k string) { seen[k] = true }\n');
    const nomap = write('nomap/nomap.go', 'package nomap\n\nfunc Put(k string) {}\n');
    write('server/server.go', 'package server\n\nimport (\n\t"example.com/m/nomap"\n\t"example.com/m/store"\n)\n\nfunc Run() {\n\tgo store.Put("a")\n\tgo nomap.Put("a")\n}\n');
    write('quiet/quiet.go', 'package quiet\n\nimport "example.com/m/plain"\n\nfunc Run() { plain.Put("a") }\n');
    assert.not.ok(mayNeedLock([store]), 'the gate alone says no: no goroutine in the package');
    assert.ok(mayBeEntered([store], path.join(root, 'store')));
    assert.not.ok(mayBeEntered([store], undefined), 'no directory, no module');
    assert.not.ok(mayBeEntered([plain], path.join(root, 'plain')), 'its importer starts no goroutine');
    assert.not.ok(mayBeEntered([nomap], path.join(root, 'nomap')), 'no map type');
  });
});

test('interface method names: every interface body (inline ones too), nested braces included, exported methods only', () => {
  const src = 'package p\n\ntype Input interface {\n\tGather(acc Acc) error\n\tSet(v interface{}) // set\n\tprivate()\n}\n\ntype S struct{ F func() }\n\nfunc f(x interface{ Close() error }) {}\n';
  assert.equal(interfaceMethodNames(src), ['Gather', 'Set', 'Close']);
});

test('a plugin is let in when a package that may spawn reaches one of its methods through an interface its imports declare', () => {
  withModule((root, write) => {
    write('plugin/plugin.go', 'package plugin\n\ntype Input interface {\n\tGather() error\n}\n');
    write('models/models.go', 'package models\n\nimport "example.com/m/plugin"\n\ntype R struct{ In plugin.Input }\n\nfunc (r *R) Gather() error { return r.In.Gather() }\n');
    write('agent/agent.go', 'package agent\n\nimport "example.com/m/models"\n\nfunc Run(rs []*models.R) {\n\tfor _, r := range rs {\n\t\tgo r.Gather()\n\t}\n}\n');
    const cpu = write('cpu/cpu.go', 'package cpu\n\nimport "example.com/m/plugin"\n\nvar _ plugin.Input = (*CPU)(nil)\n\nvar seen = map[string]int{}\n\ntype CPU struct{}\n\nfunc (c *CPU) Gather() error { seen["x"]++; return nil }\n');
    const other = write('other/other.go', 'package other\n\nvar seen = map[string]int{}\n\ntype O struct{}\n\nfunc (o *O) Gather() error { seen["x"]++; return nil }\n');
    const lone = write('lone/lone.go', 'package lone\n\nimport "example.com/m/plugin"\n\nvar _ plugin.Input = (*L)(nil)\n\nvar seen = map[string]int{}\n\ntype L struct{}\n\nfunc (l *L) Collect() error { seen["x"]++; return nil }\n\nfunc (l *L) Gather() error { return nil }\n');
    assert.ok(mayBeEntered([cpu], path.join(root, 'cpu')), 'agent depends on plugin through models and calls Gather');
    assert.not.ok(mayBeEntered([other], path.join(root, 'other')), 'the package imports no package declaring the interface');
    assert.ok(mayBeEntered([lone], path.join(root, 'lone')), 'the text gate cannot tell which method writes; the analysis does');
  });
});

test('a Prometheus collector registered by another package runs its Collect once per scrape, scrapes at the same time', () => {
  withModule((root, write) => {
    const exporter = write(
      'exporter/exporter.go',
      'package exporter\n\nimport "github.com/prometheus/client_golang/prometheus"\n\n// Exporter counts scrapes.\ntype Exporter struct {\n\tdesc   *prometheus.Desc\n\ttotals map[string]float64\n}\n\n// New returns an exporter.\nfunc New() *Exporter {\n\treturn &Exporter{totals: map[string]float64{}}\n}\n\n// Collect counts one scrape.\nfunc (e *Exporter) Collect(ch chan<- prometheus.Metric) {\n\te.totals["a"]++\n\tv := e.totals["a"]\n\tch <- prometheus.MustNewConstMetric(e.desc, prometheus.GaugeValue, v)\n}\n',
    );
    write('cmd/main.go', 'package main\n\nimport (\n\t"github.com/prometheus/client_golang/prometheus"\n\n\t"example.com/m/exporter"\n)\n\nfunc main() {\n\te := exporter.New()\n\tprometheus.MustRegister(e)\n\t_ = prometheus.DefaultGatherer\n}\n');
    const files = [{ path: path.join(root, 'exporter/exporter.go'), source: exporter, goVersion: { major: 1, minor: 22 } }];
    const plan = planPackage(files, [mapRwmutex], {}, path.join(root, 'exporter'));
    assert.equal(plan.findings.map((f) => f.fixable), [true], plan.findings.map((f) => f.message).join('\n'));
    assert.ok(plan.outputs.get(files[0].path)?.includes('\te.mu.Lock()\n\te.totals["a"]++\n\tv := e.totals["a"]\n\te.mu.Unlock()\n\tch <- '));
  });
});

test.run();
