//go:build windows && cgo

package video

// pion/mediadevices' Windows camera driver (DirectShow, camera.go) is C++:
// its runtime, libstdc++ and libgcc, is linked into the program rather
// than left as DLLs Windows does not ship (scripts/package-windows.sh
// fails on those).

// #cgo LDFLAGS: -static-libgcc -static-libstdc++
import "C"
