// Package notests has no test file.
package notests

// Twice returns n plus n.
func Twice(n int) int {
	return n + n
}
