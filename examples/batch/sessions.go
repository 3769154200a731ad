package batch

import "time"

// sessions maps a session id to its last activity; handlers write it from many goroutines.
var sessions = map[string]time.Time{}

// Touch records activity for id.
func Touch(id string) {
	sessions[id] = time.Now()
}

// Active reports whether id was seen within d.
func Active(id string, d time.Duration) bool {
	t, ok := sessions[id]
	return ok && time.Since(t) < d
}

// TouchAll records activity for every id concurrently.
func TouchAll(ids []string, done chan<- struct{}) {
	for _, id := range ids {
		go func(id string) {
			Touch(id)
			done <- struct{}{}
		}(id)
	}
}
