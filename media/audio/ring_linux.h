// ring_linux.h: the device callback that stays in C (ring_linux.go).
#ifndef PARLEY_RING_H
#define PARLEY_RING_H

#include <stdint.h>

// PARLEY_RING_SAMPLES is each direction's capacity: 8 frames of 960.
#define PARLEY_RING_SAMPLES (8 * 960)
#define PARLEY_FRAME 960
// PARLEY_CAPTURE_WAKE: captured samples waiting that always make the audio
// thread wake Go without a playback pull (one frame may: ring_linux.c).
#define PARLEY_CAPTURE_WAKE (2 * PARLEY_FRAME)

// parley_ring is shared by miniaudio's audio thread and one goroutine.
// The counters are monotonic sample counts, each written by one side
// only (atomically) and read by the other.
typedef struct parley_ring {
	uint64_t cap_w;    // captured samples written (audio thread)
	uint64_t cap_r;    // captured samples taken (Go)
	uint64_t play_w;   // playback samples written (Go)
	uint64_t play_r;   // playback samples played (audio thread)
	uint64_t play_req; // the audio thread waits until play_w reaches this
	uint64_t cap_dropped;  // captured samples lost to a full ring
	uint64_t play_short;   // samples played as silence: Go did not deliver in time
	uint64_t wakes;        // times the audio thread woke Go
	int wake_fd;           // eventfd: audio thread → Go ("work to do")
	int done_fd;           // eventfd: Go → audio thread ("playback written")
	int timeout_ms;        // longest wait for Go's playback
	uint64_t play_last;    // samples the last playback request took (audio thread only)
	int16_t cap[PARLEY_RING_SAMPLES];
	int16_t play[PARLEY_RING_SAMPLES];
} parley_ring;

parley_ring *parley_ring_new(int timeout_ms);
void parley_ring_free(parley_ring *r);
void parley_ring_reset(parley_ring *r);
// parley_ring_install makes the ma_device dev call parley_ring_data with
// r; it returns 0 if dev does not look like a miniaudio device whose
// pUserData is r (the layout check), 1 if installed.
int parley_ring_install(void *dev, parley_ring *r);
// parley_ring_data is the device callback (miniaudio's ma_device_data_proc).
void parley_ring_data(void *dev, void *out, const void *in, uint32_t frames);
// parley_ring_call runs the callback as a device would, on the caller's
// thread (the tests drive the ring with it).
void parley_ring_call(parley_ring *r, int16_t *out, const int16_t *in, uint32_t frames);

#endif
