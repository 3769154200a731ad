module example.com/prove

go 1.22
