// Package slow has a test that never ends on its own.
package slow

// Inc returns n plus one.
func Inc(n int) int {
	return n + 1
}
