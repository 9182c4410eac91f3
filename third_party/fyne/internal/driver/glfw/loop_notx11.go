//go:build !linux || wayland || wasm || test_web_driver

package glfw

// runLoop is the main loop: here, the ticking one.
func (d *gLDriver) runLoop() {
	d.tickLoop()
}

// wakeLoop makes the ticking loop's waitEvents return.
func wakeLoop() {
	postEmptyEvent()
}
