package eco

import (
	"errors"
	"fmt"
)

// Parse is stored with CRLF line ends by the tests (this copy has LF ones).
func Parse(line string) error {
	if line == "" {
		return errors.New("empty line")
	}
	return errors.New(fmt.Sprintf("cannot parse %q", line))
}
