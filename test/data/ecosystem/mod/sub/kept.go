package sub

import (
	"errors"
	"fmt"
)

var errBase = errors.New("base")

// Kept is seen by gomend.
func Kept(n int) error {
	return errors.New(fmt.Sprintf("kept %d", n))
}
