package ui

/*
#include <malloc.h>
*/
import "C"

import (
	"os"
	"strings"
)

// frameHeapTrim is the C heap's trim threshold while the app runs: how
// much free memory at the top of malloc's heap it keeps instead of
// returning it to the kernel. Mesa's software GL (llvmpipe, under Xvfb or
// without a GPU driver) bins each frame into 64 KiB blocks it mallocs on
// the main thread and frees after the frame, about 0.9 MiB for the call
// screen at 720×520; with glibc's default threshold (128 KiB) every
// frame grew the heap with brk, faulted the fresh pages in zeroed, and
// trimmed them again. Keeping 8 MiB cut the main thread's CPU per frame
// by about a third (docs/media.md, "What the call screen redraws"); the
// memory it keeps is what the frames use anyway.
const frameHeapTrim = 8 << 20

// TuneMalloc sets frameHeapTrim as the C heap's trim threshold, unless the
// environment tunes glibc's malloc itself (GLIBC_TUNABLES or
// MALLOC_TRIM_THRESHOLD_: the user's choice wins). Call it once at start.
func TuneMalloc() {
	if !userTunesMalloc(os.Environ()) {
		C.mallopt(C.M_TRIM_THRESHOLD, frameHeapTrim)
	}
}

// userTunesMalloc says whether env tunes glibc's malloc.
func userTunesMalloc(env []string) bool {
	for _, kv := range env {
		if strings.HasPrefix(kv, "GLIBC_TUNABLES=") && strings.Contains(kv, "glibc.malloc.") ||
			strings.HasPrefix(kv, "MALLOC_TRIM_THRESHOLD_=") || strings.HasPrefix(kv, "MALLOC_TOP_PAD_=") {
			return true
		}
	}
	return false
}
