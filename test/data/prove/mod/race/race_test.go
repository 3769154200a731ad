package race

import "testing"

func TestProcess(t *testing.T) {
	items := make([]string, 64)
	for i := range items {
		items[i] = "item"
	}
	results := make(chan int, 1)
	Process(items, 16, results)
	if n := <-results; n != 16 {
		t.Fatalf("counted %d items in the preview, want 16", n)
	}
}
