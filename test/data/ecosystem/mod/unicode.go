package eco

import (
	"errors"
	"fmt"
)

// Grüße, 世界: non-ASCII text before the edits, so byte, UTF-16 and code point columns differ 🙂.
func Greet(msg string, n int) error {
	return errors.Join(errors.New("größe ✓ 🙂"), errors.New(fmt.Sprintf("%s: %d", msg, n)))
}
