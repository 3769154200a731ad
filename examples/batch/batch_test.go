package batch

import (
	"strings"
	"testing"
	"time"
)

// Each test drives one hazard; under -race they fail before `gomend --write` and pass after.

func TestProcess(t *testing.T) {
	items := make([]Item, 64)
	for i := range items {
		items[i].SKU = "sku"
	}
	results := make(chan int, 1)
	Process(items, 16, results)
	if bad := <-results; bad != 0 {
		t.Fatalf("validate saw %d bad items in a clean preview", bad)
	}
}

func TestForward(t *testing.T) {
	input := strings.Repeat("abcdefgh", 4096)
	var stats Stats
	done := make(chan struct{})
	Forward(strings.NewReader(input), &stats, done)
	<-done
	want := int64(0)
	for _, c := range []byte(input) {
		want += int64(c)
	}
	deadline := time.Now().Add(5 * time.Second)
	for stats.sum.Load() != want && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if got := stats.sum.Load(); got != want {
		t.Fatalf("frames added up to %d, want %d: a frame was overwritten before it was read", got, want)
	}
}

func TestSessions(t *testing.T) {
	ids := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	done := make(chan struct{}, len(ids))
	TouchAll(ids, done)
	for i := 0; i < 1000; i++ {
		Touch("main")
		Active(ids[i%len(ids)], time.Minute)
	}
	for range ids {
		<-done
	}
	for _, id := range ids {
		if !Active(id, time.Minute) {
			t.Fatalf("%s not active after Touch", id)
		}
	}
}

func TestSettings(t *testing.T) {
	if Timeout() != 3000 || Name() != "batch" || Ratio() != 0.5 {
		t.Fatalf("settings = %d %q %v", Timeout(), Name(), Ratio())
	}
}
