package glfw

import "time"

// idleTicks is how many ticks in a row must find nothing to do before the
// loop blocks in waitEvents: a second's worth. While the main thread is
// blocked in C for more than 10 ms the Go runtime takes its P away, which
// costs a burst of scheduler wake-ups when it returns; blocking after every
// quiet tick cost more than ticking in a call whose level meters redraw
// five times a second.
const idleTicks = 60

// tickLoop is the main loop where it cannot wait for the display
// connection from Go (Windows, macOS, Wayland, the web: loop_notx11.go):
// it polls events and steps the windows 60 times a second, and after
// idleTicks quiet ticks blocks in waitEvents until an event or wakeMain
// (which posts an empty event).
func (d *gLDriver) tickLoop() {
	eventTick := time.NewTicker(time.Second / 60)
	ran := false // a queued function ran since the last tick
	quiet := 0   // ticks in a row that found nothing to do
	for {
		select {
		case <-d.done:
			eventTick.Stop()
			d.stop()
			return
		case f := <-funcQueue.Out():
			ran = true
			f.run()
		case <-eventTick.C:
			d.pollEvents()
			painted := d.frame()

			if ran || painted {
				quiet = 0
			} else {
				quiet++
			}
			ran = false

			// After idleTicks ticks that found nothing to do (no function
			// ran, nothing was painted), with no animation running and
			// nothing queued, block until an event or wakeMain instead of
			// ticking; 60 Hz ticking resumes after it.
			if canWait && quiet >= idleTicks {
				idle.Store(true)
				if queued.Load() == 0 && running.Load() && !d.animation.Running() {
					eventTick.Stop()
					d.waitEvents()
					eventTick.Reset(time.Second / 60)
					quiet = 0
				}
				idle.Store(false)
			}
		}
	}
}
