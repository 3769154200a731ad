// Package eco holds the errors that gomend's ecosystem tests rewrite.
package eco

import (
	"errors"
	"fmt"
)

// ErrClosed is the package's sentinel; it keeps the errors import in use after the fixes.
var ErrClosed = errors.New("closed")

// Lookup fails the way most code does.
func Lookup(id int) error {
	return errors.New(fmt.Sprintf("no user %d", id))
}

// Wrap uses %w, which Sprintf does not understand: reported, not fixed.
func Wrap(err error) error {
	return errors.New(fmt.Sprintf("lookup: %w", err))
}

// Spread splits its call over several lines.
func Spread(name string, n int) error {
	return errors.New(fmt.Sprintf(
		"%s: %d items",
		name,
		n,
	))
}
