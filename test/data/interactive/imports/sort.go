package demo

import "fmt"

func sortInts(xs []int) {}

// Show prints the sorted inputs.
func Show(a, b, c []int) {
	sortInts(a)
	sortInts(b)
	sortInts(c)
	fmt.Println(a, b, c)
}
