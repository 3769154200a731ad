// Package broken does not compile before any fix.
package broken

var name int = "not a number"

// Sum returns a plus b.
func Sum(a, b int) int {
	return a + b
}
