package demo

// Add returns the sum.
func Add(a, b int) int {
	x := a + b // FIXME: check for overflow
	return x
}

// Sub returns the difference.
func Sub(a, b int) int {
	// FIXME: negative results
	return a - b
}
