package sub

// Twice doubles.
func Twice(old int) int {
	return old * 2 // “doubled”
}

func Kept(old int) int { //gomend:ignore rename-old
	return 0
}
