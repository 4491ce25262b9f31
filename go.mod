module github.com/circulate-dev/circulate

go 1.26
