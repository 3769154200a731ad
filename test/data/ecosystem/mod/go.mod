module example.com/eco

go 1.21
