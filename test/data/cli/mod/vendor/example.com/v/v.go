package v

var old = 1
