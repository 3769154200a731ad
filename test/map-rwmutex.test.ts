/**
 * Unit tests of map-rwmutex: scope resolution, and rewrites that
 * the fixtures do not show one by one (naming, imports, refusals, goroutine ownership).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fileContext } from '../src/contract.js';
import { initParser } from '../src/parse.js';
import { openPackage } from '../src/pass.js';
import { findGofmt, layoutOutputs } from '../src/gofmt.js';
import { planPackage } from '../src/plan.js';
import { mapRwmutex } from '../transforms/map-rwmutex/index.js';
import { contextOf } from '../transforms/map-rwmutex/analyse.js';
import { declaredLocally } from '../transforms/map-rwmutex/resolve.js';

const test = suite('map-rwmutex');

test.before(async () => {
  await initParser();
});

/** Runs the transform alone over one file; returns its new text (or the input) and the findings. */
function run(source: string): { out: string; findings: string[]; fixable: boolean[] } {
  const plan = planPackage([{ path: 'a.go', source, goVersion: { major: 1, minor: 22 } }], [mapRwmutex]);
  return { out: plan.outputs.get('a.go') ?? source, findings: plan.findings.map((f) => f.message), fixable: plan.findings.map((f) => f.fixable) };
}

/** As `run`, with the output laid out by gofmt as the driver does (when gofmt is found). */
async function runLaidOut(source: string): Promise<string | undefined> {
  const gofmtBin = await findGofmt();
  if (!gofmtBin) return undefined;
  const plan = planPackage([{ path: 'a.go', source, goVersion: { major: 1, minor: 22 } }], [mapRwmutex]);
  assert.equal([...(await layoutOutputs(gofmtBin, plan.outputs, () => source, (p) => plan.gofmtLayout.has(p)))], []);
  return plan.outputs.get('a.go') ?? source;
}

test('scope: parameters, earlier statements and headers shadow a package name', () => {
  const src = 'package p\nvar m = map[int]int{}\nfunc f(m int) { _ = m }\nfunc g() { _ = m; m := 1; _ = m }\nfunc h() { for m := range 3 { _ = m } }\n';
  const open = openPackage([{ path: 'a.go', source: src, goVersion: { major: 1, minor: 22 } }], '.');
  const ctx = contextOf(fileContext(open.pkg, open.pkg.files[0]));
  const ids = ctx.pkg.files[0].root.descendantsOfType('identifier').filter((n) => n.text === 'm' && n.parent?.type !== 'var_spec' && n.parent?.type !== 'parameter_declaration');
  assert.equal(ids.map((n) => declaredLocally(n)), [true, false, true, true, true, true]);
  open.close();
});

const GO = `
func Start(keys []string) {
	for _, k := range keys {
		go func() { touch(k) }()
	}
}
`;

test('a one-line function body opens onto several lines', () => {
  const { out } = run(`package p\n\nvar seen = map[string]bool{}\n\nfunc touch(k string) { seen[k] = true }\n${GO}`);
  assert.ok(out.includes('func touch(k string) {\n\tseenMu.Lock()\n\tdefer seenMu.Unlock()\n\tseen[k] = true\n}'), out);
  assert.ok(out.includes('import "sync"'), out);
});

test('a grouped var gets its own declaration with a doc comment, and an aliased sync is used', () => {
  const src = `package p\n\nimport gosync "sync"\n\nvar (\n\tn    = 1\n\tseen = map[string]bool{}\n)\n\nvar _ gosync.Mutex\n\nfunc touch(k string) {\n\tseen[k] = true\n}\n${GO}`;
  const { out } = run(src);
  assert.ok(out.includes('// seenMu guards seen.\nvar seenMu gosync.RWMutex\n\nvar ('), out);
});

test('a struct that already has a lock gets <field>Mu, aligned by gofmt', async () => {
  const src = `package p

import "sync"

type server struct {
	mu    sync.Mutex
	count int
	cache map[string]string
}

func (s *server) inc() {
	s.mu.Lock()
	s.count++
	s.mu.Unlock()
}

func (s *server) Put(k, v string) {
	s.cache[k] = v
}

func Run(keys []string) {
	s := &server{cache: map[string]string{}}
	for _, k := range keys {
		go func() { s.Put(k, k) }()
	}
	s.inc()
}
`;
  const { out } = run(src);
  assert.ok(out.includes('\tcount int\n\tcacheMu sync.RWMutex // guards cache\n\tcache map[string]string\n'), out);
  const laid = await runLaidOut(src);
  if (laid !== undefined) assert.ok(laid.includes('\tcount   int\n\tcacheMu sync.RWMutex // guards cache\n\tcache   map[string]string\n'), laid);
  assert.ok(out.includes('\ts.cacheMu.Lock()\n\tdefer s.cacheMu.Unlock()\n\ts.cache[k] = v\n'), out);
});

test('a helper called under the lock leaves locking to its caller', () => {
  const src = `package p

var hits = map[string]int{}

func get(k string) int { return hits[k] }

// Get reports the hits of k.
func Get(k string) int { return get(k) }

func touch(k string) {
	hits[k] = get(k) + 1
}
${GO}`;
  const { out } = run(src);
  assert.ok(out.includes('func get(k string) int { return hits[k] }'), out);
  assert.ok(out.includes('func Get(k string) int {\n\thitsMu.RLock()\n\tdefer hitsMu.RUnlock()\n\treturn get(k)\n}'), out);
  assert.ok(out.includes('\thitsMu.Lock()\n\tdefer hitsMu.Unlock()\n\thits[k] = get(k) + 1\n'), out);
});

test('a loop that looks the map up runs as one section; a return in it keeps the defer', () => {
  const src = `package p

var seen = map[string]bool{}

func touch(k string) {
	seen[k] = true
}

func First(keys []string) string {
	for _, k := range keys {
		if seen[k] {
			return k
		}
	}
	return ""
}
${GO}`;
  const { out, fixable } = run(src);
  assert.equal(fixable, [true]);
  assert.ok(out.includes('func First(keys []string) string {\n\tseenMu.RLock()\n\tdefer seenMu.RUnlock()\n\tfor _, k := range keys {\n'), out);
});

test('a loop that blocks keeps a section per pass, unlocked before each jump out of it', () => {
  const src = `package p

var seen = map[string]bool{}

func touch(k string) {
	seen[k] = true
}

func drain(ch chan string, out chan<- string) {
	for k := range ch {
		// Skip what was seen.
		if seen[k] {
			continue
		}
		if k == "" {
			return
		}
		out <- k
	}
}
${GO}`;
  const { out, fixable } = run(src);
  assert.equal(fixable, [true]);
  assert.ok(
    out.includes('\t\t// Skip what was seen.\n\t\tseenMu.RLock()\n\t\tif seen[k] {\n\t\t\tseenMu.RUnlock()\n\t\t\tcontinue\n\t\t}\n\t\tseenMu.RUnlock()\n\t\tif k == "" {'),
    out,
  );
});

test('branches that each write take the lock once around the if; a write into a value of the map takes Lock', () => {
  const src = `package p

var seen = map[string]map[string]bool{}

func touch(k, v string, ch chan string) {
	for x := range ch {
		if v == "" {
			delete(seen, k)
		} else {
			seen[k][x] = true
		}
	}
}

func Has(k, x string) bool {
	return seen[k][x]
}

func Start(keys []string, ch chan string) {
	for _, k := range keys {
		go func() { touch(k, "", ch) }()
	}
}
`;
  const { out, fixable } = run(src);
  assert.equal(fixable, [true]);
  assert.ok(out.includes('\tfor x := range ch {\n\t\tseenMu.Lock()\n\t\tif v == "" {\n\t\t\tdelete(seen, k)\n\t\t} else {\n\t\t\tseen[k][x] = true\n\t\t}\n\t\tseenMu.Unlock()\n\t}\n'), out);
  assert.ok(out.includes('\tseenMu.RLock()\n\tdefer seenMu.RUnlock()\n\treturn seen[k][x]\n'), out);
});

test('a section a return leaves, followed by a channel send, is unlocked before the return instead of deferred', () => {
  const src = `package p

var seen = map[string]bool{}

func touch(k string) {
	seen[k] = true
}

func announce(k string, out chan<- string) {
	if seen[k] {
		return
	}
	out <- k
}
${GO}`;
  const { out, fixable } = run(src);
  assert.equal(fixable, [true]);
  assert.ok(out.includes('\tseenMu.RLock()\n\tif seen[k] {\n\t\tseenMu.RUnlock()\n\t\treturn\n\t}\n\tseenMu.RUnlock()\n\tout <- k\n'), out);
});

test('a jump whose value reads the map inside a blocking loop is refused', () => {
  const src = `package p

var seen = map[string]int{}

func touch(k string) {
	seen[k]++
}

func find(ch chan string) int {
	for k := range ch {
		if _, ok := seen[k]; ok {
			return seen[k]
		}
	}
	return 0
}
${GO}`;
  const { out, findings, fixable } = run(src);
  assert.is(out, src);
  assert.equal(fixable, [false]);
  assert.match(findings[0], /inside a loop, and the return at line 12 reads the map after the lock would be released/);
});

test('a function that takes the lock passed as a value under the lock is refused', () => {
  const src = `package p

var rank = map[string]int{}

func Less(a, b string) bool {
	return rank[a] < rank[b]
}

func find(k string, less func(a, b string) bool) int { return len(k) }

func touch(k string) {
	rank[k] = find(k, Less)
}
${GO}`;
  const { findings, fixable } = run(src);
  assert.equal(fixable, [false]);
  assert.match(findings[0], /a use of Less as a value/);
});

test('a local variable with the map name is not the map', () => {
  const src = `package p

var seen = map[string]bool{}

func touch(k string) {
	seen[k] = true
}

func local() int {
	seen := map[string]bool{}
	seen["x"] = true
	return len(seen)
}
${GO}`;
  const { out } = run(src);
  assert.ok(out.includes('\tseen := map[string]bool{}\n\tseen["x"] = true\n\treturn len(seen)\n'), out);
});

test('named map types without methods count as maps', () => {
  const src = `package p\n\ntype set map[string]bool\n\nvar seen = set{}\n\nfunc touch(k string) {\n\tseen[k] = true\n}\n${GO}`;
  assert.ok(run(src).out.includes('var seenMu sync.RWMutex\nvar seen = set{}'));
});

test('no goroutine, or a goroutine that owns its value: nothing to do', () => {
  const none = `package p\n\nvar seen = map[string]bool{}\n\nfunc Touch(k string) {\n\tseen[k] = true\n}\n`;
  assert.equal(run(none).findings, []);
  const owned = `package p

type conn struct{ pending map[int]string }

func (c *conn) serve() {
	c.pending[1] = "x"
}

func (c *conn) Pending() int { return len(c.pending) }

func Accept(n int) {
	for i := 0; i < n; i++ {
		c := &conn{pending: map[int]string{}}
		go c.serve()
	}
}
`;
  assert.equal(run(owned).findings, []);
});

test('broken code does not crash the transform', () => {
  const src = `package p\n\nvar seen = map[string]bool{\n\nfunc touch(k string) { seen[k] = \n go func() { seen[ }()\n`;
  run(src);
  assert.ok(true);
});


/** Runs the transform over several files; returns the findings' messages. */
function runFiles(files: Record<string, string>): string[] {
  const plan = planPackage(Object.entries(files).map(([path, source]) => ({ path, source, goVersion: { major: 1, minor: 22 } })), [mapRwmutex]);
  return plan.findings.map((f) => f.message);
}

test('a handler type of a test, or a handler a test builds, runs only when the test calls it', () => {
  const pkg = 'package p\n\nimport "net/http"\n\ntype Balancer struct{ next http.Handler }\n\nfunc (b *Balancer) ServeHTTP(w http.ResponseWriter, r *http.Request) { b.next.ServeHTTP(w, r) }\n';
  const test = 'package p\n\nimport (\n\t"net/http"\n\t"testing"\n)\n\ntype recorder struct {\n\thttp.ResponseWriter\n\tsaved map[string]int\n}\n\nfunc (r *recorder) WriteHeader(code int) { r.saved[http.StatusText(code)]++ }\n\ntype fake struct{ calls map[string]int }\n\nfunc (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.calls[r.URL.Path]++ }\n\nfunc TestB(t *testing.T) {\n\trec := &recorder{saved: map[string]int{}}\n\tf := &fake{calls: map[string]int{}}\n\tb := &Balancer{next: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) })}\n\tb.ServeHTTP(rec, nil)\n\tf.ServeHTTP(rec, nil)\n\tif rec.saved["OK"] != 1 || f.calls["/"] != 1 {\n\t\tt.Fatal()\n\t}\n}\n';
  assert.equal(runFiles({ 'a.go': pkg, 'a_test.go': test }), []);
});

test('what a handler does through its ResponseWriter is per request', () => {
  const src = 'package p\n\nimport "net/http"\n\ntype rec struct {\n\thttp.ResponseWriter\n\tsaved map[int]int\n}\n\nfunc (r *rec) WriteHeader(code int) { r.saved[code]++ }\n\nfunc handle(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }\n\nfunc Routes(m *http.ServeMux) { m.HandleFunc("/", handle) }\n\nfunc Check() int {\n\tr := &rec{saved: map[int]int{}}\n\thandle(r, nil)\n\treturn r.saved[200]\n}\n';
  assert.equal(runFiles({ 'a.go': src }), []);
});

test('an exported struct in package main is no exported type', async () => {
  const src = 'package main\n\nimport "sync"\n\ntype Tally struct{ counts map[string]int }\n\nfunc (t *Tally) Add(k string) { t.counts[k]++ }\n\nfunc main() {\n\tt := &Tally{counts: map[string]int{}}\n\tvar wg sync.WaitGroup\n\tfor _, k := range []string{"a", "b"} {\n\t\twg.Add(1)\n\t\tgo func() {\n\t\t\tdefer wg.Done()\n\t\t\tt.Add(k)\n\t\t}()\n\t}\n\twg.Wait()\n}\n';
  const { out, fixable } = run(src);
  assert.equal(fixable, [true]);
  assert.ok(out.includes('\tmu sync.RWMutex // guards counts\n'), out);
  const laid = await runLaidOut(src);
  if (laid !== undefined) assert.ok(laid.includes('\tmu     sync.RWMutex // guards counts\n\tcounts map[string]int\n'), laid);
});


const WATCHER = `package p

type watcher struct{ cached map[string]bool }

func (w *watcher) Poll(a string) bool {
	if w.cached[a] {
		return false
	}
	w.cached[a] = true
	return true
}

type loop struct{ w *watcher }

func (l *loop) Run(in <-chan string) {
	for a := range in {
		l.w.Poll(a)
	}
}

func Start(in <-chan string) {
	l := &loop{w: &watcher{cached: map[string]bool{}}}
	go l.Run(in)
	_ = l
}
`;

test('exported methods of an unexported type are entry points only when a value of it leaves the package', () => {
  assert.equal(run(WATCHER).findings, []);
  const returned = WATCHER + '\ntype Poller interface{ Poll(string) bool }\n\nfunc Shared(in <-chan string) Poller {\n\tw := &watcher{cached: map[string]bool{}}\n\tgo (&loop{w: w}).Run(in)\n\treturn w\n}\n';
  assert.equal(run(returned).findings.length, 1, 'returned as an interface');
  const exportedVar = WATCHER + '\nvar Default = &watcher{cached: map[string]bool{}}\n\nfunc StartDefault(in <-chan string) { go (&loop{w: Default}).Run(in) }\n';
  assert.equal(run(exportedVar).findings.length, 1, 'held by an exported variable');
});

const JOINED = `package p

import "sync"

type tally struct{ seen map[string]int }

func fill(t *tally, words []string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, w := range words {
			t.seen[w]++
		}
	}()
	MIDDLE
	wg.Wait()
}

func Count(words []string) int {
	t := &tally{seen: map[string]int{}}
	fill(t, words)
	return len(t.seen)
}
`;

test('a goroutine joined before its starter returns meets only the code between its start and the join', () => {
  assert.equal(run(JOINED.replace('MIDDLE', '_ = len(words)')).findings, []);
  assert.equal(run(JOINED.replace('MIDDLE', '_ = len(t.seen)')).findings.length, 1, 'a read between start and join');
  assert.equal(run(JOINED.replace('MIDDLE', 'peek(t)') + '\nfunc peek(t *tally) { _ = len(t.seen) }\n').findings.length, 1, 'a read called between start and join');
  assert.equal(run(JOINED.replace('MIDDLE', 'if len(words) == 0 {\n\t\treturn\n\t}')).findings.length, 1, 'a return before the join');
  assert.equal(run(JOINED.replace('defer wg.Done()', 'wg.Done()').replace('MIDDLE', '')).findings.length, 1, 'Done before the writes');
});

const OWNED = `package p

type txn struct{ writes map[string]string }

func newTxn() *txn {
	t := &txn{writes: map[string]string{}}
	return t
}

func (t *txn) Put(k, v string) { t.writes[k] = v }

func run(t *txn, done chan<- bool) {
	go func() {
		t.writes["x"] = "y"
		done <- true
	}()
}

func Apply(done chan<- bool) { run(ARG, done) }
`;

test('a goroutine started on a parameter every caller builds afresh owns it', () => {
  assert.equal(run(OWNED.replace('ARG', 'newTxn()')).findings, []);
  const kept = OWNED.replace('ARG', 'shared') + '\nvar shared = newTxn()\n\nfunc Put(k, v string) { shared.Put(k, v) }\n';
  assert.equal(run(kept).findings.length, 1, 'a value the caller keeps');
});

test('client_golang metric calls run under the lock: they call nothing of the package; another external call may', () => {
  const body = (call: string): string => `package p

import (
	"example.com/other"
	"github.com/prometheus/client_golang/prometheus"
)

var requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "requests"}, []string{"k"})

var seen = map[string]bool{}

// Export is called back by a registry.
type Export struct{}

// Collect forgets a key.
func (Export) Collect() { forget("x") }

func forget(k string) { delete(seen, k) }

func flush() {
	for k := range seen {
		${call}
		delete(seen, k)
	}
}
${GO}
func touch(k string) { seen[k] = true; flush() }
`;
  const quiet = run(body('requests.WithLabelValues(k).Inc()'));
  assert.equal(quiet.fixable, [true], quiet.findings.join('\n'));
  const other = run(body('other.Send(k)'));
  assert.equal(other.fixable, [false]);
  assert.match(other.findings[0], /may call back into Collect/);
});

test('a package mutex made by a value (`var mu = &sync.Mutex{}`) is evidence like a declared one; one assigned again is not', () => {
  const src = (extra: string): string => `package p

import "sync"

var mu = &sync.Mutex{}

var m = map[string]int{}

// Put stores v under k.
func Put(k string, v int) {
	mu.Lock()
	m[k] = v
	mu.Unlock()
}

// Get reads k.
func Get(k string) int {
	return m[k]
}
${extra}`;
  const made = run(src(''));
  assert.equal(made.fixable, [true], made.findings.join('\n'));
  assert.match(made.findings[0], /used without mu at line 18, while its other uses hold it/);
  assert.ok(made.out.includes('func Get(k string) int {\n\tmu.Lock()\n\tdefer mu.Unlock()\n\treturn m[k]\n}'), made.out);
  const again = run(src('\n// Reset starts over with a new mutex.\nfunc Reset() { mu = &sync.Mutex{} }\n'));
  assert.equal(again.fixable, []);
});

test('a Prometheus collector registered in its own package: Collect runs per scrape, concurrently; unregistered, it is left alone', () => {
  const src = (register: string): string => `package p

import "github.com/prometheus/client_golang/prometheus"

type collector struct {
	desc   *prometheus.Desc
	totals map[string]float64
}

// Collect counts one scrape.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	c.totals["a"]++
	v := c.totals["a"]
	ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, v)
}

func init() {
	c := &collector{totals: map[string]float64{}}
	${register}
}
`;
  const registered = run(src('prometheus.MustRegister(c)'));
  assert.equal(registered.fixable, [true], registered.findings.join('\n'));
  assert.equal(run(src('_ = c')).findings, []);
});

test("a lock of the program's own that returns a guard (g := w.mu.Lock(\"job\") … g.Unlock()) guards the map", () => {
  const src = `package p

import "example.com/obslock"

type worker struct {
	mu   obslock.RWMutex
	jobs map[string]int
}

func (w *worker) add(k string) {
	g := w.mu.Lock("add")
	defer g.Unlock()
	w.jobs[k]++
}

func (w *worker) get(k string) int {
	g := w.mu.RLock("get")
	n := w.jobs[k]
	g.RUnlock()
	return n
}

func Start(w *worker, keys []string) {
	for _, k := range keys {
		go w.add(k)
		go w.get(k)
	}
}
`;
  assert.equal(run(src).findings, []);
});

test('a map handed to a testify assertion in a test is left alone, and no reason to decline', () => {
  const test = `package p

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTouch(t *testing.T) {
	touch("a")
	require.Len(t, seen, 1)
}
`;
  const plan = planPackage(
    [
      { path: 'a.go', source: `package p\n\nvar seen = map[string]bool{}\n\nfunc touch(k string) { seen[k] = true }\n${GO}`, goVersion: { major: 1, minor: 22 } },
      { path: 'a_test.go', source: test, goVersion: { major: 1, minor: 22 } },
    ],
    [mapRwmutex],
  );
  assert.equal(plan.findings.map((f) => f.fixable), [true], plan.findings.map((f) => f.message).join('\n'));
  assert.is(plan.outputs.get('a_test.go'), undefined, 'the assertion is left as it is');
});

test.run();
