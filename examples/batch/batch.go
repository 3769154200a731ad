// Package batch validates orders in batches: a small service with the three hazards gomend fixes.
package batch

import (
	"io"
	"strings"
	"sync/atomic"
)

// Item is one order line.
type Item struct {
	SKU    string
	Status string
}

func validate(items []Item) int {
	bad := 0
	for _, it := range items {
		if strings.TrimSpace(it.SKU) == "" || it.Status == "cancelled" {
			bad++
		}
	}
	return bad
}

// Process validates a preview of the batch in the background while it marks every item.
// The goroutine reads items[:limit] while the loop below writes the same array.
func Process(items []Item, limit int, results chan<- int) {
	preview := items[:limit]
	go func() { results <- validate(preview) }()
	for i := range items {
		items[i].Status = "processing"
	}
}

// Stats adds up the bytes of every frame handed to it.
type Stats struct {
	sum atomic.Int64
}

func (s *Stats) record(frame []byte) {
	n := int64(0)
	for _, c := range frame {
		n += int64(c)
	}
	s.sum.Add(n)
}

// Forward reads frames from r and records each in the background. buf is reused by the next Read
// while a goroutine may still be reading the previous frame.
func Forward(r io.Reader, stats *Stats, done chan<- struct{}) {
	buf := make([]byte, 512)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			go stats.record(buf[:n])
		}
		if err != nil {
			break
		}
	}
	close(done)
}
