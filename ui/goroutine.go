package ui

import "runtime"

// goroutineID is the calling goroutine's number, from the first line of
// its stack ("goroutine 123 [running]:"); Go gives no other way (Fyne
// tells its own goroutine the same way). runUI asks it only once Fyne's
// loop has been started, and the tests' serial runner (serial_test.go)
// for each update.
func goroutineID() uint64 {
	var buf [32]byte
	n := runtime.Stack(buf[:], false)
	var id uint64
	for _, c := range buf[len("goroutine "):n] {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + uint64(c-'0')
	}
	return id
}
