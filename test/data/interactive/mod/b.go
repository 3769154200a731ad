package demo

// Mul returns the product.
func Mul(a, b int) int {
	return a * b // FIXME: overflow again
}
