package demo

// One is one. FIXME: first
const One = 1

// Two is two. FIXME: second
const Two = 2
