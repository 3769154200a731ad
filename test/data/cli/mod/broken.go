package main

func broken( {
	old := 2
}
