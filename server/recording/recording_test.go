package recording

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/pion/rtp"

	"github.com/parley-voip/parley/internal/pgtest"
	"github.com/parley-voip/parley/media/opus/opustest"
	"github.com/parley-voip/parley/media/quality"
	"github.com/parley-voip/parley/server/policy"
	"github.com/parley-voip/parley/server/store"
)

const step = 20 * time.Millisecond

// recordCall records a call of alice (3 s from the start) and bob (2 s
// from 1 s in, 5 packets lost in the middle) for 3.5 s, with malformed
// packets and a duplicate mixed in. It returns the recording and what each
// sent.
func recordCall(t *testing.T, f *fixture) (Info, map[string][]int16, Stats) {
	t.Helper()
	ctx := context.Background()
	f.media.Carry("call-1")
	info, err := f.svc.Start(ctx, "call-1", "alice", []string{"alice", "bob"})
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := f.svc.Active("call-1"); !ok || got.ID != info.ID || got.StartedBy != "alice" {
		t.Fatalf("Active: %+v %v", got, ok)
	}
	tap := f.media.Tap("call-1")
	sent := map[string][]int16{
		"alice": opustest.Sweep(200, 4000, 150*opustest.Frame, 0.5),
		"bob":   opustest.Sweep(3000, 150, 100*opustest.Frame, 0.5),
	}
	alice := newSender(t, "alice", 1111, sent["alice"])
	bob := newSender(t, "bob", 2222, sent["bob"])
	tap.Joined(alice.P)
	var dup *rtp.Packet
	for i := range 175 {
		alice.Send(tap)
		if i >= 50 {
			if i >= 100 && i < 105 {
				bob.Skip()
			} else {
				bob.Send(tap)
			}
		}
		switch i {
		case 10: // malformed: empty, oversize, bad framing, nil
			tap.Packet(alice.P, &rtp.Packet{Header: rtp.Header{SSRC: 1111}})
			tap.Packet(alice.P, &rtp.Packet{Header: rtp.Header{SSRC: 1111}, Payload: make([]byte, MaxPacket+1)})
			tap.Packet(alice.P, &rtp.Packet{Header: rtp.Header{SSRC: 1111}, Payload: []byte{0x03}})
			tap.Packet(alice.P, nil)
		case 60:
			dup = &rtp.Packet{Header: rtp.Header{SSRC: 2222, Timestamp: bob.Timestamp() - opustest.Frame}, Payload: []byte{0xf8, 0xff, 0xfe}}
		case 70: // a late duplicate of bob's packet from step 59
			tap.Packet(bob.P, dup)
		}
		f.clock.advance(step)
	}
	if st, ok := f.svc.Stats("call-1"); !ok || st.Malformed != 4 {
		t.Fatalf("running stats %+v %v", st, ok)
	}
	info, err = f.svc.Stop(ctx, "call-1", "bob")
	if err != nil {
		t.Fatal(err)
	}
	return info, sent, *info.Stats
}

func readTrack(t *testing.T, f *fixture, id string, n int, user string) []byte {
	t.Helper()
	rc, _, err := f.svc.OpenTrack(context.Background(), id, n, user)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRecordingFindsEachParticipant decodes each track and finds in it
// what that participant sent, where they sent it on the recording's
// timeline, and not the other's audio; it counts the malformed and late
// packets that were dropped.
func TestRecordingFindsEachParticipant(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	info, sent, st := recordCall(t, f)
	if st.Malformed != 4 || st.Late != 1 || st.Written != 150+95 || st.Overflow != 0 || st.Failed != 0 {
		t.Fatalf("stats %+v", st)
	}
	if len(info.Tracks) != 2 || info.Stopped.Sub(info.Started) != 3500*time.Millisecond {
		t.Fatalf("info %+v", info)
	}
	starts := map[string]int{"alice": 0, "bob": 50 * opustest.Frame}
	for _, tr := range info.Tracks {
		pcm, err := opustest.DecodeOgg(bytes.NewReader(readTrack(t, f, info.ID, tr.N, "alice")))
		if err != nil {
			t.Fatal(err)
		}
		if want := 175 * opustest.Frame; len(pcm) != want || tr.Duration != 3500*time.Millisecond {
			t.Errorf("%s: %d samples (%v), want %d: tracks are not aligned to the recording's length", tr.UserID, len(pcm), tr.Duration, want)
		}
		score, lag := quality.NCC(sent[tr.UserID], pcm, 2*opustest.Rate)
		// libopus's own look-ahead (6.5 ms) is the only delay.
		if d := lag - starts[tr.UserID]; score < 0.8 || d < 0 || d > 480 {
			t.Errorf("%s: own audio NCC %.3f at lag %d, want ≥ 0.8 at %d (+≤480)", tr.UserID, score, lag, starts[tr.UserID])
		}
		other := map[string]string{"alice": "bob", "bob": "alice"}[tr.UserID]
		if score, _ := quality.NCC(sent[other], pcm, 2*opustest.Rate); score > 0.3 {
			t.Errorf("%s's track holds %s's audio: NCC %.3f", tr.UserID, other, score)
		}
		t.Logf("%s: NCC %.3f at lag %d samples", tr.UserID, score, lag)
	}
}

// TestRecordingPlaysInStandardTools: opusinfo and opusdec (opus-tools)
// accept a downloaded track.
func TestRecordingPlaysInStandardTools(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"opusinfo", "opusdec"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (scripts/setup.sh test installs opus-tools)", tool)
		}
	}
	f := newFixture(t)
	info, _, _ := recordCall(t, f)
	for _, tr := range info.Tracks {
		path := filepath.Join(t.TempDir(), "track.opus")
		if err := os.WriteFile(path, readTrack(t, f, info.ID, tr.N, "bob"), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("opusinfo", path).CombinedOutput()
		if err != nil || bytes.Contains(out, []byte("WARNING")) || bytes.Contains(out, []byte("ERROR")) {
			t.Fatalf("opusinfo: %v\n%s", err, out)
		}
		if !bytes.Contains(out, []byte("Playback length: 0m:03.5")) {
			t.Errorf("opusinfo length:\n%s", out)
		}
		wav := filepath.Join(t.TempDir(), "track.wav")
		if out, err := exec.Command("opusdec", "--quiet", path, wav).CombinedOutput(); err != nil {
			t.Fatalf("opusdec: %v\n%s", err, out)
		}
		fi, err := os.Stat(wav)
		// 44-byte header + 3.5 s of 48 kHz 16-bit mono.
		if err != nil || fi.Size() < 3500*48*2 {
			t.Fatalf("opusdec wrote %v %v", fi, err)
		}
	}
}

// TestRecordingPolicyAndParticipants: the starter's policy decides; only
// a participant may start or stop; an E2EE call or one the media service
// does not carry cannot be recorded; a second start is refused.
func TestRecordingPolicyAndParticipants(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, withGlobal(func(p *policy.Policy) { p.AllowRecording = false }))
	f.media.Carry("c")
	f.media.E2EE("secret")
	if _, err := f.svc.Start(ctx, "c", "alice", []string{"alice", "bob"}); !errors.Is(err, ErrNotAllowed) {
		t.Fatalf("Global forbids: %v", err)
	}
	if err := f.pol.CreatePolicy(ctx, policy.Policy{Name: "Rec", AllowRecording: true}); err != nil {
		t.Fatal(err)
	}
	if err := f.pol.Grant(ctx, policy.Grant{Target: policy.UserTarget("alice"), Policy: "Rec"}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, call, by string
		want           error
	}{
		{"not in the call", "c", "mallory", ErrNotParticipant},
		{"participant whose policy forbids", "c", "bob", ErrNotAllowed},
		{"E2EE call", "secret", "alice", ErrNotStandardCall},
		{"not on the media service", "p2p", "alice", ErrNotStandardCall},
	}
	for _, c := range cases {
		if _, err := f.svc.Start(ctx, c.call, c.by, []string{"alice", "bob"}); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if _, err := f.svc.Start(ctx, "c", "alice", []string{"alice", "bob"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Start(ctx, "c", "alice", []string{"alice", "bob"}); !errors.Is(err, ErrAlreadyRecording) {
		t.Fatalf("second start: %v", err)
	}
	if _, err := f.svc.Stop(ctx, "c", "mallory"); !errors.Is(err, ErrNotParticipant) {
		t.Fatalf("stop by outsider: %v", err)
	}
	if _, err := f.svc.Stop(ctx, "other", "alice"); !errors.Is(err, ErrNotRecording) {
		t.Fatalf("stop without recording: %v", err)
	}
	if _, err := f.svc.Stop(ctx, "c", "bob"); err != nil {
		t.Fatalf("stop by the other participant: %v", err)
	}
	entries, err := os.ReadDir(filepath.Join(f.dir, "recordings"))
	if err != nil || len(entries) != 1 {
		t.Fatalf("refused starts left files: %v %v", entries, err)
	}
}

// TestRecordingAccess: only participants read; the starter and admins
// delete, another participant is refused, an outsider sees nothing.
func TestRecordingAccess(t *testing.T) {
	t.Parallel()
	pgtest.EachDatabase(t, func(t *testing.T, open func(testing.TB) *store.DB) { recordingAccess(t, newFixture(t, onDB(open))) })
}

func recordingAccess(t *testing.T, f *fixture) {
	ctx := context.Background()
	info, _, _ := recordCall(t, f)
	if _, err := f.svc.Get(ctx, info.ID, "mallory"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("outsider Get: %v", err)
	}
	if _, _, err := f.svc.OpenTrack(ctx, info.ID, 0, "mallory"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("outsider OpenTrack: %v", err)
	}
	if _, _, err := f.svc.OpenTrack(ctx, info.ID, 7, "alice"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing track: %v", err)
	}
	if l, err := f.svc.List(ctx, "bob"); err != nil || len(l) != 1 || l[0].ID != info.ID {
		t.Fatalf("bob's list: %+v %v", l, err)
	}
	if l, err := f.svc.List(ctx, "mallory"); err != nil || len(l) != 0 {
		t.Fatalf("mallory's list: %+v %v", l, err)
	}
	if err := f.svc.Delete(ctx, info.ID, "bob", false); !errors.Is(err, ErrForbidden) {
		t.Fatalf("participant delete: %v", err)
	}
	if err := f.svc.Delete(ctx, info.ID, "mallory", false); !errors.Is(err, ErrNotFound) {
		t.Fatalf("outsider delete: %v", err)
	}
	if err := f.svc.Delete(ctx, info.ID, "alice", false); err != nil {
		t.Fatalf("starter delete: %v", err)
	}
	if _, err := os.Stat(filepath.Join(f.dir, "recordings", info.ID)); !os.IsNotExist(err) {
		t.Fatalf("files left: %v", err)
	}
	info2, _, _ := recordCall(t, f)
	if err := f.svc.Delete(ctx, info2.ID, "root", true); err != nil {
		t.Fatalf("admin delete: %v", err)
	}
	if _, err := f.svc.Get(ctx, info2.ID, "alice"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted: %v", err)
	}
}

// TestRetentionSweep: a recording is swept once the starter's retention
// has run out, not before; retention 0 keeps it.
func TestRetentionSweep(t *testing.T) {
	t.Parallel()
	pgtest.EachDatabase(t, func(t *testing.T, open func(testing.TB) *store.DB) {
		retentionSweep(t, newFixture(t, onDB(open), withGlobal(func(p *policy.Policy) { p.RetentionDays = 2 })))
	})
}

func retentionSweep(t *testing.T, f *fixture) {
	ctx := context.Background()
	info, _, _ := recordCall(t, f)
	if want := info.Started.Add(48 * time.Hour); !info.Expires.Equal(want) {
		t.Fatalf("expires %v, want %v", info.Expires, want)
	}
	if err := f.pol.UpdatePolicy(ctx, policy.Policy{Name: policy.GlobalName, AllowRecording: true, RetentionDays: 0}); err != nil {
		t.Fatal(err)
	}
	kept, _, _ := recordCall(t, f)
	if !kept.Expires.IsZero() {
		t.Fatalf("retention 0 expires %v", kept.Expires)
	}
	f.clock.advance(47 * time.Hour)
	if n, err := f.svc.Sweep(ctx); err != nil || n != 0 {
		t.Fatalf("early sweep: %d %v", n, err)
	}
	f.clock.advance(time.Hour)
	if n, err := f.svc.Sweep(ctx); err != nil || n != 1 {
		t.Fatalf("sweep: %d %v", n, err)
	}
	if _, err := f.svc.Get(ctx, info.ID, "alice"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("expired recording: %v", err)
	}
	if _, err := os.Stat(filepath.Join(f.dir, "recordings", info.ID)); !os.IsNotExist(err) {
		t.Fatalf("expired files left: %v", err)
	}
	f.clock.advance(1000 * 24 * time.Hour)
	if n, err := f.svc.Sweep(ctx); err != nil || n != 0 {
		t.Fatalf("sweep of a kept recording: %d %v", n, err)
	}
	if _, err := f.svc.Get(ctx, kept.ID, "bob"); err != nil {
		t.Fatal(err)
	}
}

// TestStoredTracksAreSealed: the file on disk holds no Ogg, a changed,
// cut or moved file fails with ErrCorrupt, and a rotated master key
// still opens after Rewrap.
func TestStoredTracksAreSealed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	info, _, _ := recordCall(t, f)
	path := filepath.Join(f.dir, "recordings", info.ID, "0.opus.sealed")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("OggS")) || bytes.Contains(raw, []byte("OpusHead")) {
		t.Fatal("the stored track is readable without the key")
	}
	plain := readTrack(t, f, info.ID, 0, "alice")
	if int64(len(plain)) != plainSize(int64(len(raw))) {
		t.Fatalf("plainSize %d, read %d", plainSize(int64(len(raw))), len(plain))
	}
	damage := map[string][]byte{
		"flipped": append(append([]byte(nil), raw[:len(raw)/2]...), append([]byte{raw[len(raw)/2] ^ 1}, raw[len(raw)/2+1:]...)...),
		"cut":     raw[:len(raw)-40],
		"longer":  append(append([]byte(nil), raw...), 0),
	}
	other, err := os.ReadFile(filepath.Join(f.dir, "recordings", info.ID, "1.opus.sealed"))
	if err != nil {
		t.Fatal(err)
	}
	damage["other track's file"] = other
	for name, b := range damage {
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		rc, _, err := f.svc.OpenTrack(ctx, info.ID, 0, "alice")
		if err == nil {
			_, err = io.ReadAll(rc)
			rc.Close()
		}
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v, want ErrCorrupt", name, err)
		}
	}
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	kr := f.svc.keyring()
	kr.Rotate()
	if n, err := f.svc.Rewrap(ctx); err != nil || n != 1 {
		t.Fatalf("rewrap: %d %v", n, err)
	}
	if got := readTrack(t, f, info.ID, 0, "alice"); !bytes.Equal(got, plain) {
		t.Fatal("track changed after rewrap")
	}
}

// TestStopCallFinishesTheRecording: a call that ends stops its recording.
func TestStopCallFinishesTheRecording(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	f.media.Carry("c")
	if _, err := f.svc.Start(ctx, "c", "alice", []string{"alice", "bob"}); err != nil {
		t.Fatal(err)
	}
	s := newSender(t, "carol", 5, opustest.Sweep(300, 600, 10*opustest.Frame, 0.3))
	tap := f.media.Tap("c")
	tap.Joined(s.P) // carol joined the call later (a group call)
	for s.Send(tap) {
		f.clock.advance(step)
	}
	info, ok, err := f.svc.StopCall(ctx, "c")
	if err != nil || !ok || len(info.Tracks) != 1 || info.Tracks[0].UserID != "carol" {
		t.Fatalf("StopCall: %+v %v %v", info, ok, err)
	}
	if _, err := f.svc.Get(ctx, info.ID, "carol"); err != nil {
		t.Fatalf("a later joiner may download: %v", err)
	}
	if _, ok, _ := f.svc.StopCall(ctx, "c"); ok {
		t.Fatal("second StopCall found a recording")
	}
	// A packet that races the stop is ignored, without a panic.
	tap.Packet(s.P, &rtp.Packet{Payload: []byte{0xf8, 0xff, 0xfe}})
}

// TestRestartClosesUnfinishedRecordings: a recording running when the
// process ended cannot be finished; the next start removes its files and
// closes its row without tracks, so nothing half-written is served.
func TestRestartClosesUnfinishedRecordings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	f.media.Carry("c")
	info, err := f.svc.Start(ctx, "c", "alice", []string{"alice", "bob"})
	if err != nil {
		t.Fatal(err)
	}
	s := newSender(t, "alice", 1, opustest.Sweep(300, 600, 5*opustest.Frame, 0.3))
	for s.Send(f.media.Tap("c")) {
		f.clock.advance(step)
	}
	again, err := New(ctx, f.svc.cfg) // the same database and directory
	if err != nil {
		t.Fatal(err)
	}
	got, err := again.Get(ctx, info.ID, "bob")
	if err != nil || got.Active() || len(got.Tracks) != 0 {
		t.Fatalf("after restart: %+v %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(f.dir, "recordings", info.ID)); !os.IsNotExist(err) {
		t.Fatalf("unfinished files left: %v", err)
	}
	if _, err := again.Start(ctx, "c", "alice", []string{"alice", "bob"}); err != nil {
		t.Fatalf("recording again after the restart: %v", err)
	}
}
