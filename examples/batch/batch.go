// Package batch validates orders in batches: a small service with the three hazards gomend fixes.
package batch

import (
	"io"
	"strings"
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

// Forward reads frames from r and hands each to a consumer goroutine. buf is reused by the next
// Read while the consumer may still be reading the previous frame.
func Forward(r io.Reader, consume func([]byte), done chan<- struct{}) {
	buf := make([]byte, 512)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			go consume(buf[:n])
		}
		if err != nil {
			break
		}
	}
	close(done)
}
