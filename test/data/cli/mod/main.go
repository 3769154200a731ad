package main

import "fmt"

func main() {
	old := 1 // the value
	fmt.Println(old)
}
