package store

import (
	"encoding/binary"
	"fmt"
	"io"
)

// SQLite's write-ahead log, as its file-format documentation defines it: a
// 32-byte header, then frames of a 24-byte frame header and one page each.
//
//	header: magic (0x377f0682 or 0x377f0683), format version 3007000,
//	        page size, checkpoint sequence, salt-1, salt-2, checksum-1,
//	        checksum-2 (over the first 24 bytes); all big-endian
//	frame:  page number, database size after commit (non-zero only in a
//	        transaction's last frame), salt-1, salt-2, checksum-1,
//	        checksum-2 (cumulative: the previous frame's or the header's
//	        checksum, continued over the frame header's first 8 bytes
//	        and the page)
//
// A frame is valid when its salts equal the header's, its page number is
// not 0 and its checksum matches. On open SQLite replays the frames up to
// the last commit frame before the first invalid one and ignores the rest
// without a word. Frames after that point are normal when a checkpoint
// restarted the log (stale frames of an earlier generation carry other
// salts) or when a write was interrupted (the final, never acknowledged
// transaction); a commit of the current generation among them is a
// transaction SQLite acknowledged and would now drop.
const (
	walHeaderSize      = 32
	walFrameHeaderSize = 24
	walMagic           = 0x377f0682 // low bit: checksum words are big-endian
	walVersion         = 3007000
)

// walReport is what scanWAL found.
type walReport struct {
	// Frames is the number of whole frames in the file.
	Frames int
	// Replayed is how many frames SQLite replays (through the last commit
	// frame before the first invalid frame).
	Replayed int
	// FirstBad is the 1-based number of the first invalid frame, 0 when
	// every frame is valid or the header is.
	FirstBad int
	// Lost counts frames of the current generation from FirstBad on, and
	// LostCommits the commit frames among them: transactions SQLite would
	// drop.
	Lost, LostCommits int
	// LastOnly: the lost frames are the generation's final transaction
	// (at most one commit among them, and nothing of this generation after
	// it), which is also what an interrupted, never acknowledged, final
	// write leaves.
	LastOnly bool
	// BadHeader says why the header is unusable ("" when it is fine).
	BadHeader string
	// Busy: another process kept writing the log, so no still view of
	// it could be checked (checkWAL only).
	Busy bool
}

// damaged reports whether SQLite would drop committed data for certain: a
// damaged header, or lost frames beyond the final transaction.
func (r walReport) damaged() bool {
	return r.BadHeader != "" || r.Lost > 0 && !r.LastOnly
}

// scanWAL checks the header and frame checksums of a write-ahead log of
// size bytes. Whatever the bytes, it says what SQLite would make of them;
// the error is only ever one from reading.
func scanWAL(wal io.ReaderAt, size int64) (walReport, error) {
	var r walReport
	if size < walHeaderSize {
		return r, nil // SQLite ignores a log shorter than its header; nothing was committed in it
	}
	be := binary.BigEndian
	hdr := make([]byte, walHeaderSize)
	if _, err := wal.ReadAt(hdr, 0); err != nil {
		return r, fmt.Errorf("store: read WAL header: %w", err)
	}
	if allZero(hdr) {
		return r, nil // never written in this generation (e.g. pre-allocated); no commit can be behind it
	}
	magic := be.Uint32(hdr[0:])
	pageSize := be.Uint32(hdr[8:])
	switch {
	case magic&^1 != walMagic:
		r.BadHeader = fmt.Sprintf("bad magic %#08x", magic)
	case be.Uint32(hdr[4:]) != walVersion:
		r.BadHeader = fmt.Sprintf("unknown format version %d", be.Uint32(hdr[4:]))
	case pageSize < 512 || pageSize > 65536 || pageSize&(pageSize-1) != 0:
		r.BadHeader = fmt.Sprintf("impossible page size %d", pageSize)
	}
	bigEndian := magic&1 == 1
	s1, s2 := walChecksum(bigEndian, hdr[:24], 0, 0)
	if r.BadHeader == "" && (s1 != be.Uint32(hdr[24:]) || s2 != be.Uint32(hdr[28:])) {
		r.BadHeader = "header checksum mismatch"
	}
	if r.BadHeader != "" {
		return r, nil
	}
	ckpt, salt1, salt2 := be.Uint32(hdr[12:]), be.Uint32(hdr[16:]), be.Uint32(hdr[20:])
	frameSize := int64(walFrameHeaderSize + pageSize)
	r.Frames = int((size - walHeaderSize) / frameSize)
	f := make([]byte, frameSize)
	lastCommitAfterBad := 0
	lastThisGen := 0 // the last frame, from FirstBad on, of the current generation
	for i := range r.Frames {
		if _, err := wal.ReadAt(f, walHeaderSize+int64(i)*frameSize); err != nil {
			return r, fmt.Errorf("store: read WAL frame %d: %w", i+1, err)
		}
		fs1, fs2 := be.Uint32(f[8:]), be.Uint32(f[12:])
		commit := be.Uint32(f[4:]) != 0
		if r.FirstBad == 0 {
			valid := fs1 == salt1 && fs2 == salt2 && be.Uint32(f[0:]) != 0
			if valid {
				s1, s2 = walChecksum(bigEndian, f[:8], s1, s2)
				s1, s2 = walChecksum(bigEndian, f[walFrameHeaderSize:], s1, s2)
				valid = s1 == be.Uint32(f[16:]) && s2 == be.Uint32(f[20:])
			}
			if valid {
				if commit {
					r.Replayed = i + 1
				}
				continue
			}
			r.FirstBad = i + 1
		}
		if !thisGeneration(fs1, fs2, salt1, salt2, ckpt) {
			continue
		}
		r.Lost++
		lastThisGen = i + 1
		if commit {
			r.LostCommits++
			lastCommitAfterBad = i + 1
		}
	}
	// No lost commit, or one that is the generation's last frame: the
	// damage is confined to the final transaction.
	r.LastOnly = r.Lost > 0 && (r.LostCommits == 0 || r.LostCommits == 1 && lastCommitAfterBad == lastThisGen)
	return r, nil
}

// thisGeneration tells a frame written since the log last restarted from
// one left over from before. Each restart increments the header's salt-1
// and checkpoint sequence and draws a new salt-2, so a stale frame carries
// a salt-1 in [salt1-ckpt, salt1-1] and an unrelated salt-2. A frame that
// shares a salt word with the header, or whose salt-1 no earlier
// generation had, is of this one with damaged salts.
func thisGeneration(fs1, fs2, salt1, salt2, ckpt uint32) bool {
	if fs1 == salt1 || fs2 == salt2 {
		return true
	}
	back := salt1 - fs1 // generations back, modulo 2^32
	return back == 0 || back > ckpt
}

// walChecksum continues SQLite's WAL checksum (s1, s2) over b, whose length
// is a multiple of 8, reading 32-bit words in the given byte order.
func walChecksum(bigEndian bool, b []byte, s1, s2 uint32) (uint32, uint32) {
	var order binary.ByteOrder = binary.LittleEndian
	if bigEndian {
		order = binary.BigEndian
	}
	for i := 0; i+8 <= len(b); i += 8 {
		s1 += order.Uint32(b[i:]) + s2
		s2 += order.Uint32(b[i+4:]) + s1
	}
	return s1, s2
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
