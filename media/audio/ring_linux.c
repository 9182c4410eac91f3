// ring_linux.c: miniaudio's data callback, kept in C so that the audio
// thread never enters Go (see ring_linux.go for why).

#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "ring_linux.h"

// ma_device_prefix is the start of miniaudio's struct ma_device (v0.11,
// miniaudio.h as bundled with malgo v0.11.24): parley_ring_install checks
// it against what malgo's init set before it writes onData.
typedef struct {
	void *pContext;
	int type;            // ma_device_type
	uint32_t sampleRate;
	uint32_t state;      // ma_atomic_device_state (a 4-byte enum)
	void (*onData)(void *dev, void *out, const void *in, uint32_t frames);
	void *onNotification;
	void *onStop;
	void *pUserData;
} ma_device_prefix;

#define LOAD(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define ADD(p, v) __atomic_add_fetch((p), (v), __ATOMIC_RELAXED)

parley_ring *parley_ring_new(int timeout_ms) {
	parley_ring *r = calloc(1, sizeof *r);
	if (r == NULL) {
		return NULL;
	}
	r->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	r->done_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (r->wake_fd < 0 || r->done_fd < 0) {
		parley_ring_free(r);
		return NULL;
	}
	r->timeout_ms = timeout_ms;
	return r;
}

void parley_ring_free(parley_ring *r) {
	if (r == NULL) {
		return;
	}
	if (r->wake_fd >= 0) close(r->wake_fd);
	if (r->done_fd >= 0) close(r->done_fd);
	free(r);
}

// parley_ring_reset empties both rings; only while no callback runs.
void parley_ring_reset(parley_ring *r) {
	uint64_t one;
	STORE(&r->cap_w, 0);
	STORE(&r->cap_r, 0);
	STORE(&r->play_w, 0);
	STORE(&r->play_r, 0);
	STORE(&r->play_req, 0);
	r->play_last = 0;
	while (read(r->wake_fd, &one, sizeof one) > 0) {}
	while (read(r->done_fd, &one, sizeof one) > 0) {}
}

int parley_ring_install(void *dev, parley_ring *r) {
	ma_device_prefix *d = dev;
	if (d == NULL || d->pUserData != (void *)r || d->onData == NULL || d->sampleRate != 48000 ||
	    (d->type != 1 && d->type != 3)) { // ma_device_type_playback, _duplex
		return 0;
	}
	d->onData = parley_ring_data;
	return 1;
}

static void wake(parley_ring *r) {
	uint64_t one = 1;
	ADD(&r->wakes, 1);
	(void)!write(r->wake_fd, &one, sizeof one);
}

static int64_t now_ms(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

// wait_play waits, at most timeout_ms, until Go has written playback up to
// target.
static void wait_play(parley_ring *r, uint64_t target) {
	int64_t deadline = now_ms() + r->timeout_ms;
	struct pollfd p = {.fd = r->done_fd, .events = POLLIN};
	uint64_t n;
	while (LOAD(&r->play_w) < target) {
		int64_t left = deadline - now_ms();
		if (left <= 0) {
			return;
		}
		if (poll(&p, 1, (int)left) < 0 && errno != EINTR) {
			return;
		}
		(void)!read(r->done_fd, &n, sizeof n);
	}
}

void parley_ring_data(void *dev, void *out, const void *in, uint32_t frames) {
	parley_ring *r = ((ma_device_prefix *)dev)->pUserData;
	int capture_due = 0;
	if (in != NULL) {
		const int16_t *src = in;
		uint64_t w = r->cap_w, rd = LOAD(&r->cap_r);
		uint64_t n = frames, room = PARLEY_RING_SAMPLES - (w - rd);
		if (n > room) {
			ADD(&r->cap_dropped, n - room);
			n = room;
		}
		for (uint64_t i = 0; i < n;) { // at most two runs around the wrap
			uint64_t at = (w + i) % PARLEY_RING_SAMPLES, run = PARLEY_RING_SAMPLES - at;
			if (run > n - i) run = n - i;
			memcpy(&r->cap[at], &src[i], run * sizeof(int16_t));
			i += run;
		}
		STORE(&r->cap_w, w + n);
		// A whole captured frame waits for the next playback pull, whose
		// wake-up serves it too (duplex PulseAudio delivers capture and
		// playback in separate calls: a wake-up for each would double
		// Go's), when that pull is the next request: the ring holds
		// less playback than the last request took. Otherwise the frame
		// wakes Go at once: waiting would cost it up to a frame, and Go
		// encodes it while a request's worth of playback is still in the
		// ring, so no pull falls due meanwhile unless the next request
		// asks for more than the last (after a start or an underrun).
		// So Go wakes once or twice a frame, by the phase of capture
		// against the requests. Two whole frames waiting (playback not
		// pulling in step) always wake Go.
		uint64_t waiting = w + n - LOAD(&r->cap_r);
		uint64_t queued = LOAD(&r->play_w) - r->play_r;
		capture_due = waiting >= PARLEY_CAPTURE_WAKE ||
			      (waiting >= PARLEY_FRAME && r->play_last > 0 && queued >= r->play_last);
	}
	if (out != NULL) {
		int16_t *dst = out;
		uint64_t rd = r->play_r, target = rd + frames;
		r->play_last = frames;
		if (LOAD(&r->play_w) < target) {
			// Go pulls the frames this period plays now, as the callback
			// did when it ran in Go: no frame of latency is added.
			STORE(&r->play_req, target);
			wake(r);
			capture_due = 0;
			wait_play(r, target);
		}
		uint64_t avail = LOAD(&r->play_w) - rd, n = avail < frames ? avail : frames;
		for (uint64_t i = 0; i < n;) {
			uint64_t at = (rd + i) % PARLEY_RING_SAMPLES, run = PARLEY_RING_SAMPLES - at;
			if (run > n - i) run = n - i;
			memcpy(&dst[i], &r->play[at], run * sizeof(int16_t));
			i += run;
		}
		if (n < frames) {
			memset(&dst[n], 0, (frames - n) * sizeof(int16_t));
			ADD(&r->play_short, frames - n);
		}
		STORE(&r->play_r, rd + n);
	}
	if (capture_due) {
		wake(r);
	}
}

void parley_ring_call(parley_ring *r, int16_t *out, const int16_t *in, uint32_t frames) {
	ma_device_prefix d = {.pUserData = r, .sampleRate = 48000, .type = 3};
	parley_ring_data(&d, out, in, frames);
}
