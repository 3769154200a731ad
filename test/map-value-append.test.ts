/**
 * map-value-append with map-rwmutex: the store-back is a write to a map shared between goroutines,
 * and the lock placed on the next pass must cover the read, the appends and the store together.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initParser } from '../src/parse.js';
import { findGofmt, layoutOutputs } from '../src/gofmt.js';
import { planPackage } from '../src/plan.js';
import { mapRwmutex } from '../transforms/map-rwmutex/index.js';
import { mapValueAppend } from '../transforms/map-value-append/index.js';

const test = suite('map-value-append');

test.before(async () => {
  await initParser();
});

const shared = `package reg

import "sync"

type registry struct {
	handlers map[string][]string
}

func (r *registry) on(event, name string) {
	hs := r.handlers[event]
	hs = append(hs, name)
}

func (r *registry) count(event string) int {
	return len(r.handlers[event])
}

func many(r *registry, names []string) {
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.on("x", n)
			_ = r.count("x")
		}()
	}
	wg.Wait()
}
`;

test('the store-back and the lock of a shared map merge into one read-modify-write', async () => {
  const plan = planPackage([{ path: 'a.go', source: shared, goVersion: { major: 1, minor: 22 } }], [mapValueAppend, mapRwmutex]);
  const out = plan.outputs.get('a.go') ?? '';
  // The field is planned as a plain line; gofmt aligns it, as the driver does for gofmt-clean files.
  assert.ok(out.includes('\tmu sync.RWMutex // guards handlers\n'), out);
  const gofmtBin = await findGofmt();
  if (gofmtBin) {
    assert.equal([...(await layoutOutputs(gofmtBin, plan.outputs, () => shared, (p) => plan.gofmtLayout.has(p)))], []);
    assert.ok((plan.outputs.get('a.go') ?? '').includes('\tmu       sync.RWMutex // guards handlers\n'), plan.outputs.get('a.go'));
  }
  assert.ok(
    out.includes('\tr.mu.Lock()\n\tdefer r.mu.Unlock()\n\ths := r.handlers[event]\n\ths = append(hs, name)\n\tr.handlers[event] = hs\n}'),
    out,
  );
  assert.is(plan.unsettled, false);
});

test.run();
