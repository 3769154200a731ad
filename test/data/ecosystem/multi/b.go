package multi

// Use calls the helper after some non-ASCII text: «größer» 🙂.
func Use() int { s := "ü🙂"; _ = s; return oldHelper(1) + oldHelper(2) }
