module github.com/gen2brain/malgo

go 1.17
