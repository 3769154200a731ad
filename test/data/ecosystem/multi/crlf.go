package multi

// More calls the helper too; the tests give this file CRLF line ends.
func More() int {
	return oldHelper(3)
}
