// Package vetted passes go vet before any fix; a fix that makes the shift too wide does not.
package vetted

// Scale multiplies x by 128.
func Scale(x uint8) uint8 {
	return x << (9 + -2)
}
