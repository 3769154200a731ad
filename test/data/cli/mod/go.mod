module example.com/clitest

go 1.22
