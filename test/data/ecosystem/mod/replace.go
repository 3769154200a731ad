package eco

import "strings"

// Slashes turns backslashes into slashes.
func Slashes(p string) string {
	return strings.Replace(p, `\`, "/", -1)
}

// First replaces one match only: not a finding.
func First(p string) string {
	return strings.Replace(p, "a", "b", 1)
}
