package sub

import (
	"errors"
	"fmt"
)

// Ignored is listed in sub/.gitignore by the tests, so gomend never reads it.
func Ignored(n int) error {
	return errors.New(fmt.Sprintf("ignored %d", n))
}
