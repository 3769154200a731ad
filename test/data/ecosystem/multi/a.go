package multi

// oldHelper doubles n.
func oldHelper(n int) int { return 2 * n }
