package recording

import (
	"errors"
	"io"
)

// lastPage passes Ogg pages through to w but holds back the latest one,
// so that pion's Ogg writer (with WithSeekableOutput) can rewrite it with
// the end-of-stream flag when it closes. Without that it appends an empty
// end-of-stream page, which opusinfo warns about. pion writes each page
// with one Write and rewrites only the last.
type lastPage struct {
	w       io.WriteCloser
	off     int64 // bytes passed on to w
	held    []byte
	holding bool
}

var errRewrite = errors.New("recording: only the last Ogg page can be rewritten")

func (l *lastPage) Write(p []byte) (int, error) {
	if err := l.pass(); err != nil {
		return 0, err
	}
	l.held = append(l.held[:0], p...)
	l.holding = true
	return len(p), nil
}

func (l *lastPage) pass() error {
	if !l.holding {
		return nil
	}
	if _, err := l.w.Write(l.held); err != nil {
		return err
	}
	l.off += int64(len(l.held))
	l.holding = false
	return nil
}

// Seek only reports the current offset, which is all pion asks.
func (l *lastPage) Seek(offset int64, whence int) (int64, error) {
	if offset != 0 || whence != io.SeekCurrent {
		return 0, errRewrite
	}
	return l.off + int64(len(l.held)), nil
}

// WriteAt replaces the held page.
func (l *lastPage) WriteAt(p []byte, at int64) (int, error) {
	if !l.holding || at != l.off || len(p) != len(l.held) {
		return 0, errRewrite
	}
	copy(l.held, p)
	return len(p), nil
}

// Close passes the held page on and closes w.
func (l *lastPage) Close() error {
	if err := l.pass(); err != nil {
		return err
	}
	return l.w.Close()
}
