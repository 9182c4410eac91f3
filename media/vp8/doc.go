// Package vp8 encodes and decodes VP8 video (RFC 6386) with libvpx for
// Parley's calls: realtime one-pass CBR encoding tuned for interactive
// video (no look-ahead, error resilient, keyframes on request), a bitrate
// that can be changed every frame from congestion feedback, and a decoder
// that refuses frames or picture sizes beyond the package's limits before
// libvpx sees them.
//
// libvpx is linked through cgo: Debian's libvpx-dev on Linux, a static
// VP8-only libvpx built with mingw-w64 (scripts/windows-libs.sh) on the
// Windows cross build. A build without cgo has no libvpx: there NewEncoder
// and NewDecoder return ErrUnavailable (docs/media.md).
package vp8
