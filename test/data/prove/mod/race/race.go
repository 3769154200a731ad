// Package race hands a subslice to a goroutine while the caller writes the same array.
package race

func count(items []string) int {
	n := 0
	for _, it := range items {
		if it != "" {
			n++
		}
	}
	return n
}

// Process counts a preview of items in the background while it overwrites every item.
func Process(items []string, limit int, results chan<- int) {
	preview := items[:limit]
	go func() { results <- count(preview) }()
	for i := range items {
		items[i] = "done"
	}
}
