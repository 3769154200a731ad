// Package clean has nothing for gomend to change.
package clean

import "fmt"

// Fail already uses fmt.Errorf.
func Fail(n int) error {
	return fmt.Errorf("failed %d", n)
}
