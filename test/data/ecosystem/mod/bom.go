package eco

import (
	"errors"
	"fmt"
)

// Open is stored with a byte-order mark by the tests (this copy has none).
func Open(name string) error {
	if name == "" {
		return errors.New("no name")
	}
	return errors.New(fmt.Sprintf("cannot open %s", name))
}
