package gen

import (
	"errors"
	"fmt"
)

var errGen = errors.New("gen")

// Gen lives in a folder that the tests' top-level .gitignore excludes.
func Gen(n int) error {
	return errors.New(fmt.Sprintf("gen %d", n))
}
