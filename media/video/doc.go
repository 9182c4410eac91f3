// Package video is Parley's video path: sources (a synthetic test pattern,
// the X11 screen, cameras), the frame counter the test pattern carries, the
// picture-quality measure (PSNR), and the send and receive pipelines that
// encode with VP8 (media/vp8), protect every encoded frame with a
// FrameCipher (SFrame in an E2EE call) and carry it on an rtc video track.
package video
