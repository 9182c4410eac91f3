package recording

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/parley-voip/parley/server/chat"
	"github.com/parley-voip/parley/server/policy"
	"github.com/parley-voip/parley/server/sealing"
	"github.com/parley-voip/parley/server/sfu"
	"github.com/parley-voip/parley/server/store"
)

// Media is where recordings tap the forwarded audio; *sfu.Service
// implements it. AddTap fails for a call the service does not carry (an
// E2EE call never is).
type Media interface {
	AddTap(callID string, t sfu.Tap) (remove func(), err error)
}

// Policies resolves a user's effective policy; *policy.Service implements
// it.
type Policies interface {
	Effective(ctx context.Context, userID string) (policy.Effective, error)
}

// Config configures a Service.
type Config struct {
	DB       *sql.DB                       // "recording" migrations applied; required
	Dir      string                        // where sealed tracks are kept; required
	Keys     *chat.Keyring                 // master keys that wrap each recording's file key; required
	Reload   func() (*chat.Keyring, error) // optional: a fresh keyring when a row names an unknown key
	Media    Media                         // required
	Policies Policies                      // required
	Now      func() time.Time
	Logger   *slog.Logger
}

// Validate reports the first unusable setting.
func (c Config) Validate() error {
	switch {
	case c.DB == nil:
		return fmt.Errorf("%w: DB is nil", ErrInvalidConfig)
	case c.Dir == "":
		return fmt.Errorf("%w: Dir is empty", ErrInvalidConfig)
	case c.Keys == nil:
		return fmt.Errorf("%w: no keys", ErrInvalidConfig)
	case c.Media == nil:
		return fmt.Errorf("%w: Media is nil", ErrInvalidConfig)
	case c.Policies == nil:
		return fmt.Errorf("%w: Policies is nil", ErrInvalidConfig)
	}
	return nil
}

// Info describes a recording.
type Info struct {
	ID           string      `json:"id"`
	CallID       string      `json:"call_id"`
	StartedBy    string      `json:"started_by"`
	Started      time.Time   `json:"started"`
	Stopped      time.Time   `json:"stopped,omitzero"` // zero while recording
	Expires      time.Time   `json:"expires,omitzero"` // zero: kept until deleted
	Participants []string    `json:"participants"`
	Tracks       []TrackInfo `json:"tracks"`
	// Stats are the recorder's packet counters, returned by Stop (not
	// stored).
	Stats *Stats `json:"stats,omitempty"`
}

// Active reports whether the recording is still running.
func (i Info) Active() bool { return i.Stopped.IsZero() }

// Service starts, stops, stores, serves and expires recordings.
type Service struct {
	cfg Config
	log *slog.Logger
	now func() time.Time
	d   store.Dialect

	keyMu sync.RWMutex
	keys  *chat.Keyring

	mu     sync.Mutex
	active map[string]*live // by call id
	onJoin func(callID, userID string, info Info)
}

// OnJoin sets who is told when a participant joins a call while it is
// recorded (the signaling server, to send them the recording message). f
// runs on its own goroutine.
func (s *Service) OnJoin(f func(callID, userID string, info Info)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onJoin = f
}

type live struct {
	info   Info
	rec    *Recorder
	remove func()
}

// New checks cfg, creates Dir and closes recordings a previous process
// left running (their unfinished tracks cannot be verified and are
// removed; the row stays, stopped, without tracks).
func New(ctx context.Context, cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("recording: %w", err)
	}
	s := &Service{cfg: cfg, log: cfg.Logger, now: cfg.Now, d: store.DialectOf(cfg.DB), keys: cfg.Keys, active: map[string]*live{}}
	stale, err := s.ids(ctx, `SELECT id FROM recordings WHERE stopped_ms IS NULL`)
	if err != nil {
		return nil, err
	}
	for _, id := range stale {
		os.RemoveAll(s.dirOf(id))
		if _, err := cfg.DB.ExecContext(ctx, s.q(`UPDATE recordings SET stopped_ms = started_ms WHERE id = ?`), id); err != nil {
			return nil, fmt.Errorf("recording: %w", err)
		}
		s.log.Warn("recording interrupted by a restart; its audio is lost", "id", id)
	}
	return s, nil
}

// q writes query's placeholders as the database wants them.
func (s *Service) q(query string) string { return s.d.Rebind(query) }

// ids runs a query whose rows are recording ids (query is rebound here).
func (s *Service) ids(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.cfg.DB.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("recording: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("recording: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("recording: %w", err)
	}
	return ids, nil
}

func (s *Service) dirOf(id string) string { return filepath.Join(s.cfg.Dir, id) }

func ms(t time.Time) int64 { return t.UnixMilli() }

func keyAAD(id string) []byte { return []byte("parley recording file key v1\x00" + id) }

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "rec" + hex.EncodeToString(b[:])
}

// Start records callID on behalf of by, one of participants (the call's
// members as the signaling server knows them). by's policy must allow
// recording; its retention fixes when the recording expires.
func (s *Service) Start(ctx context.Context, callID, by string, participants []string) (Info, error) {
	if !slices.Contains(participants, by) {
		return Info{}, ErrNotParticipant
	}
	eff, err := s.cfg.Policies.Effective(ctx, by)
	if err != nil {
		return Info{}, fmt.Errorf("recording: policy of %s: %w", by, err)
	}
	if !eff.Policy.AllowRecording {
		return Info{}, ErrNotAllowed
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.active[callID] != nil {
		return Info{}, ErrAlreadyRecording
	}
	now := s.now()
	info := Info{ID: newID(), CallID: callID, StartedBy: by, Started: now, Participants: slices.Sorted(slices.Values(participants))}
	var expires any
	if d := eff.Policy.Retention(); d > 0 {
		info.Expires = now.Add(d)
		expires = ms(info.Expires)
	}
	var dek [sealing.KeySize]byte
	_, _ = rand.Read(dek[:])
	master := s.keyring().Current()
	wrapped := master.Seal(keyAAD(info.ID), dek[:])
	dir := s.dirOf(info.ID)
	if err := os.Mkdir(dir, 0o700); err != nil {
		return Info{}, fmt.Errorf("recording: %w", err)
	}
	var announce func(string)
	if f := s.onJoin; f != nil {
		announce = func(user string) { go f(callID, user, info) }
	}
	rec := newRecorder(info.ID, dir, &dek, s.now, s.log, info.Participants, announce)
	remove, err := s.cfg.Media.AddTap(callID, rec)
	if err != nil {
		rec.stop()
		os.RemoveAll(dir)
		if errors.Is(err, sfu.ErrE2EE) || errors.Is(err, sfu.ErrNoSuchRoom) {
			return Info{}, fmt.Errorf("%w: %w", ErrNotStandardCall, err)
		}
		return Info{}, fmt.Errorf("recording: %w", err)
	}
	err = store.InTx(ctx, s.cfg.DB, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO recordings (id, call_id, started_by, started_ms, expires_ms, key_id, wrapped_key)
			VALUES (?, ?, ?, ?, ?, ?, ?)`), info.ID, callID, by, ms(now), expires, master.ID(), wrapped); err != nil {
			return err
		}
		return s.addParticipants(ctx, tx, info.ID, info.Participants)
	})
	if err != nil {
		remove()
		rec.stop()
		os.RemoveAll(dir)
		return Info{}, fmt.Errorf("recording: %w", err)
	}
	s.active[callID] = &live{info: info, rec: rec, remove: remove}
	return info, nil
}

func (s *Service) addParticipants(ctx context.Context, tx *sql.Tx, id string, users []string) error {
	for _, u := range users {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO recording_participants (recording_id, user_id) VALUES (?, ?)
			ON CONFLICT DO NOTHING`), id, u); err != nil {
			return err
		}
	}
	return nil
}

// Active returns the running recording of callID, for telling a
// participant who joins later.
func (s *Service) Active(callID string) (Info, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.active[callID]
	if l == nil {
		return Info{}, false
	}
	return l.info, true
}

// Stats returns the running recording's packet counters.
func (s *Service) Stats(callID string) (Stats, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.active[callID]
	if l == nil {
		return Stats{}, false
	}
	return l.rec.Stats(), true
}

// Stop ends callID's recording; any participant of the recording may.
// Everyone the media service saw in the call joins its participants.
func (s *Service) Stop(ctx context.Context, callID, by string) (Info, error) {
	s.mu.Lock()
	l := s.active[callID]
	switch {
	case l == nil:
		s.mu.Unlock()
		return Info{}, ErrNotRecording
	case !slices.Contains(l.info.Participants, by) && !l.rec.hasParticipant(by):
		s.mu.Unlock()
		return Info{}, ErrNotParticipant
	}
	delete(s.active, callID)
	s.mu.Unlock()
	return s.finish(ctx, l)
}

// StopCall ends callID's recording when the call ends, whoever is left.
func (s *Service) StopCall(ctx context.Context, callID string) (Info, bool, error) {
	s.mu.Lock()
	l := s.active[callID]
	delete(s.active, callID)
	s.mu.Unlock()
	if l == nil {
		return Info{}, false, nil
	}
	info, err := s.finish(ctx, l)
	return info, true, err
}

func (s *Service) finish(ctx context.Context, l *live) (Info, error) {
	l.remove()
	tracks, length, err := l.rec.stop()
	info := l.info
	info.Stopped = info.Started.Add(length)
	info.Tracks = tracks
	st := l.rec.Stats()
	info.Stats = &st
	for u := range l.rec.participants() {
		if !slices.Contains(info.Participants, u) {
			info.Participants = append(info.Participants, u)
		}
	}
	slices.Sort(info.Participants)
	if err != nil {
		s.log.Error("recording finished with errors", "id", info.ID, "err", err)
	}
	werr := store.InTx(ctx, s.cfg.DB, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE recordings SET stopped_ms = ? WHERE id = ?`), ms(info.Stopped), info.ID); err != nil {
			return err
		}
		for _, t := range tracks {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO recording_tracks (recording_id, n, user_id, name, bytes, duration_ms)
				VALUES (?, ?, ?, ?, ?, ?)`), info.ID, t.N, t.UserID, t.Name, t.Bytes, t.Duration.Milliseconds()); err != nil {
				return err
			}
		}
		return s.addParticipants(ctx, tx, info.ID, info.Participants)
	})
	if werr != nil {
		return info, fmt.Errorf("recording: %w", werr)
	}
	return info, nil
}

// Get returns a recording to one of its participants; to anyone else it
// does not exist (ErrNotFound), so ids cannot be probed.
func (s *Service) Get(ctx context.Context, id, user string) (Info, error) {
	info, err := s.load(ctx, id)
	if err != nil {
		return Info{}, err
	}
	if !slices.Contains(info.Participants, user) {
		return Info{}, ErrNotFound
	}
	return info, nil
}

// List returns the finished recordings user took part in, newest first.
func (s *Service) List(ctx context.Context, user string) ([]Info, error) {
	ids, err := s.ids(ctx, `SELECT r.id FROM recordings r
		JOIN recording_participants p ON p.recording_id = r.id
		WHERE p.user_id = ? AND r.stopped_ms IS NOT NULL ORDER BY r.started_ms DESC, r.id LIMIT 500`, user)
	if err != nil {
		return nil, err
	}
	out := []Info{}
	for _, id := range ids {
		info, err := s.load(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, info)
	}
	return out, nil
}

// RecordingsFor lists the ids of callID's finished recordings that user
// took part in, oldest first, for the call's history entry.
func (s *Service) RecordingsFor(ctx context.Context, callID, user string) ([]string, error) {
	return s.ids(ctx, `SELECT r.id FROM recordings r
		JOIN recording_participants p ON p.recording_id = r.id
		WHERE r.call_id = ? AND p.user_id = ? AND r.stopped_ms IS NOT NULL ORDER BY r.started_ms, r.id`, callID, user)
}

type row struct {
	info    Info
	keyID   string
	wrapped []byte
}

func (s *Service) loadRow(ctx context.Context, id string) (row, error) {
	var r row
	var started int64
	var stopped, expires sql.NullInt64
	err := s.cfg.DB.QueryRowContext(ctx, s.q(`SELECT id, call_id, started_by, started_ms, stopped_ms, expires_ms, key_id, wrapped_key
		FROM recordings WHERE id = ?`), id).Scan(&r.info.ID, &r.info.CallID, &r.info.StartedBy, &started, &stopped, &expires, &r.keyID, &r.wrapped)
	if errors.Is(err, sql.ErrNoRows) {
		return row{}, ErrNotFound
	} else if err != nil {
		return row{}, fmt.Errorf("recording: %w", err)
	}
	r.info.Started = time.UnixMilli(started)
	if stopped.Valid {
		r.info.Stopped = time.UnixMilli(stopped.Int64)
	}
	if expires.Valid {
		r.info.Expires = time.UnixMilli(expires.Int64)
	}
	return r, nil
}

func (s *Service) load(ctx context.Context, id string) (Info, error) {
	r, err := s.loadRow(ctx, id)
	if err != nil {
		return Info{}, err
	}
	info := r.info
	info.Participants = []string{}
	info.Tracks = []TrackInfo{}
	rows, err := s.cfg.DB.QueryContext(ctx, s.q(`SELECT user_id FROM recording_participants WHERE recording_id = ? ORDER BY user_id`), id)
	if err != nil {
		return Info{}, fmt.Errorf("recording: %w", err)
	}
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			rows.Close()
			return Info{}, fmt.Errorf("recording: %w", err)
		}
		info.Participants = append(info.Participants, u)
	}
	rows.Close()
	rows, err = s.cfg.DB.QueryContext(ctx, s.q(`SELECT n, user_id, name, bytes, duration_ms FROM recording_tracks WHERE recording_id = ? ORDER BY n`), id)
	if err != nil {
		return Info{}, fmt.Errorf("recording: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t TrackInfo
		var d int64
		if err := rows.Scan(&t.N, &t.UserID, &t.Name, &t.Bytes, &d); err != nil {
			return Info{}, fmt.Errorf("recording: %w", err)
		}
		t.Duration = time.Duration(d) * time.Millisecond
		info.Tracks = append(info.Tracks, t)
	}
	return info, rows.Err()
}

func (s *Service) keyring() *chat.Keyring {
	s.keyMu.RLock()
	defer s.keyMu.RUnlock()
	return s.keys
}

// masterKey finds id, reloading the keyring once if it is unknown.
func (s *Service) masterKey(id string) (chat.Key, error) {
	if k, ok := s.keyring().Key(id); ok {
		return k, nil
	}
	if s.cfg.Reload != nil {
		if kr, err := s.cfg.Reload(); err == nil {
			s.keyMu.Lock()
			s.keys = kr
			s.keyMu.Unlock()
			if k, ok := kr.Key(id); ok {
				return k, nil
			}
		}
	}
	return chat.Key{}, fmt.Errorf("%w: key %s is not in the keyring", ErrCorrupt, id)
}

func (s *Service) fileKey(r row) (*[sealing.KeySize]byte, error) {
	mk, err := s.masterKey(r.keyID)
	if err != nil {
		return nil, err
	}
	b, err := mk.Open(keyAAD(r.info.ID), r.wrapped)
	if err != nil || len(b) != sealing.KeySize {
		return nil, fmt.Errorf("%w: file key of %s does not open", ErrCorrupt, r.info.ID)
	}
	var k [sealing.KeySize]byte
	copy(k[:], b)
	return &k, nil
}

// OpenTrack returns track n of recording id as a plain Ogg Opus stream,
// for one of its participants. A damaged file fails while reading with
// ErrCorrupt.
func (s *Service) OpenTrack(ctx context.Context, id string, n int, user string) (io.ReadCloser, TrackInfo, error) {
	info, err := s.Get(ctx, id, user)
	if err != nil {
		return nil, TrackInfo{}, err
	}
	i := slices.IndexFunc(info.Tracks, func(t TrackInfo) bool { return t.N == n })
	if i < 0 {
		return nil, TrackInfo{}, ErrNotFound
	}
	r, err := s.loadRow(ctx, id)
	if err != nil {
		return nil, TrackInfo{}, err
	}
	key, err := s.fileKey(r)
	if err != nil {
		return nil, TrackInfo{}, err
	}
	f, err := os.Open(filepath.Join(s.dirOf(id), fmt.Sprintf("%d.opus.sealed", n)))
	if err != nil {
		return nil, TrackInfo{}, fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	sr, err := newSealedReader(f, key, id, n)
	if err != nil {
		f.Close()
		return nil, TrackInfo{}, err
	}
	return readCloser{sr, f}, info.Tracks[i], nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// Delete removes a finished recording: its starter or an administrator
// may; for other participants it is ErrForbidden, for anyone else
// ErrNotFound.
func (s *Service) Delete(ctx context.Context, id, user string, admin bool) error {
	info, err := s.load(ctx, id)
	if err != nil {
		return err
	}
	switch {
	case admin || info.StartedBy == user:
	case slices.Contains(info.Participants, user):
		return ErrForbidden
	default:
		return ErrNotFound
	}
	if info.Active() {
		return fmt.Errorf("%w: stop it first", ErrForbidden)
	}
	return s.remove(ctx, id)
}

func (s *Service) remove(ctx context.Context, id string) error {
	if _, err := s.cfg.DB.ExecContext(ctx, s.q(`DELETE FROM recordings WHERE id = ?`), id); err != nil {
		return fmt.Errorf("recording: %w", err)
	}
	if err := os.RemoveAll(s.dirOf(id)); err != nil {
		s.log.Error("removing recording files", "id", id, "err", err)
	}
	return nil
}

// Sweep deletes the finished recordings whose retention has run out and
// returns how many.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	ids, err := s.ids(ctx, `SELECT id FROM recordings
		WHERE expires_ms IS NOT NULL AND expires_ms <= ? AND stopped_ms IS NOT NULL`, ms(s.now()))
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if err := s.remove(ctx, id); err != nil {
			return 0, err
		}
		s.log.Info("recording expired", "id", id)
	}
	return len(ids), nil
}

// Run sweeps every interval until ctx ends.
func (s *Service) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := s.Sweep(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("recording sweep", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Rewrap re-wraps every recording's file key with the current master key
// (after a rotate-key), so old master keys can be pruned; the audio files
// are untouched.
func (s *Service) Rewrap(ctx context.Context) (int, error) {
	cur := s.keyring().Current()
	ids, err := s.ids(ctx, `SELECT id FROM recordings WHERE key_id <> ?`, cur.ID())
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		r, err := s.loadRow(ctx, id)
		if err != nil {
			return 0, err
		}
		key, err := s.fileKey(r)
		if err != nil {
			return 0, err
		}
		if _, err := s.cfg.DB.ExecContext(ctx, s.q(`UPDATE recordings SET key_id = ?, wrapped_key = ? WHERE id = ?`),
			cur.ID(), cur.Seal(keyAAD(id), key[:]), id); err != nil {
			return 0, fmt.Errorf("recording: rewrap: %w", err)
		}
	}
	return len(ids), nil
}
