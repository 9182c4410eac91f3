package store

import (
	"bytes"
	"testing"
)

// FuzzScanWAL overwrites bytes of a log SQLite wrote (20 transactions of one
// row each) and compares the checker with SQLite itself: when the checker
// passes the log, SQLite shows every row; when it calls only the final
// transaction damaged, SQLite shows at least all but that one; when it reports damage,
// SQLite really would lose rows (or refuses the log itself). Arbitrary
// bytes as a whole log must scan without error or panic.
func FuzzScanWAL(f *testing.F) {
	const rows = 20
	dbFile, wal := crashedDB(f, rows)
	frame := walGeometry(f, wal)
	f.Add(uint32(0), []byte{}, false)                                   // clean
	f.Add(uint32(17), []byte{0x01}, false)                              // salt-1
	f.Add(uint32(walHeaderSize+5*frame+300), []byte("garbage"), false)  // a page mid-log
	f.Add(uint32(walHeaderSize+5*frame+9), []byte{0x7f}, false)         // a frame's salt
	f.Add(uint32(walHeaderSize+(rows-1)*frame+40), []byte{0xff}, false) // the final commit
	f.Add(uint32(walHeaderSize+2*frame+4), []byte{0, 0, 0, 0}, false)   // commit size
	f.Add(uint32(0), []byte("\x37\x7f\x06\x82\x00\x2d\xe2\x18"), true)  // a bare header start
	f.Fuzz(func(t *testing.T, at uint32, patch []byte, whole bool) {
		if whole {
			r, err := scanWAL(bytes.NewReader(patch), int64(len(patch)))
			if err != nil {
				t.Fatalf("scanWAL of %d raw bytes: %v", len(patch), err)
			}
			checkReport(t, r)
			return
		}
		w := bytes.Clone(wal)
		if int(at) < len(w) {
			copy(w[at:], patch)
		}
		r, err := scanWAL(bytes.NewReader(w), int64(len(w)))
		if err != nil {
			t.Fatal(err)
		}
		checkReport(t, r)
		path := place(t, dbFile, w)
		n, err := countRows(t, path)
		switch {
		case r.damaged():
			if err == nil && n == rows {
				t.Fatalf("checker reports damage %+v, but SQLite shows all %d rows", r, rows)
			}
		case r.LastOnly:
			if err != nil || n < rows-1 {
				t.Fatalf("checker says only the final transaction is lost (%+v); SQLite shows %d rows, %v", r, n, err)
			}
		default:
			if err != nil || n != rows {
				t.Fatalf("checker passes the log (%+v); SQLite shows %d of %d rows, %v", r, n, rows, err)
			}
		}
	})
}

func checkReport(t *testing.T, r walReport) {
	t.Helper()
	switch {
	case r.Replayed > r.Frames, r.FirstBad > r.Frames:
		t.Fatalf("counts beyond the log: %+v", r)
	case r.FirstBad != 0 && r.Replayed >= r.FirstBad:
		t.Fatalf("replays past the first bad frame: %+v", r)
	case r.FirstBad == 0 && (r.Lost != 0 || r.LostCommits != 0):
		t.Fatalf("loss without a bad frame: %+v", r)
	case r.LostCommits > r.Lost, r.LastOnly && r.LostCommits > 1:
		t.Fatalf("inconsistent: %+v", r)
	case r.BadHeader != "" && r.Frames != 0:
		t.Fatalf("frames counted behind a bad header: %+v", r)
	}
}
