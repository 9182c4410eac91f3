package captions

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/parley-voip/parley/server/store"
)

// Transcript is what was said in a call with captions on.
type Transcript struct {
	CallID       string   `json:"call_id"`
	Started      int64    `json:"started"` // Unix ms: captions turned on
	Ended        int64    `json:"ended"`   // Unix ms: the call ended
	Participants []string `json:"participants"`
	Lines        []Line   `json:"lines"`
}

// Line is one final caption.
type Line struct {
	Speaker string `json:"speaker"`
	Name    string `json:"name,omitempty"`
	Start   int64  `json:"start"` // Unix ms
	End     int64  `json:"end"`
	Text    string `json:"text"`
}

// TranscriptInfo lists a transcript without its lines.
type TranscriptInfo struct {
	CallID  string `json:"call_id"`
	Started int64  `json:"started"`
	Ended   int64  `json:"ended"`
}

const sealDomain = "transcript"

// transcripts keeps them in the database (SQLite or PostgreSQL).
type transcripts struct {
	db     *sql.DB
	d      store.Dialect
	sealer Sealer
}

func newTranscripts(db *sql.DB, sealer Sealer) *transcripts {
	return &transcripts{db: db, d: store.DialectOf(db), sealer: sealer}
}

// q writes query's placeholders as the database wants them.
func (ts *transcripts) q(query string) string { return ts.d.Rebind(query) }

// aad binds a sealed transcript to its row.
func aad(callID string, started int64) []byte {
	b := binary.BigEndian.AppendUint64(nil, uint64(started))
	return append(b, callID...)
}

type body struct {
	Participants []string `json:"participants"`
	Lines        []Line   `json:"lines"`
}

func (ts *transcripts) put(ctx context.Context, t Transcript, retainDays int) error {
	pt, err := json.Marshal(body{Participants: t.Participants, Lines: t.Lines})
	if err != nil {
		return err
	}
	keyID, sealed := ts.sealer.Seal(sealDomain, aad(t.CallID, t.Started), pt)
	var expires int64
	if retainDays > 0 {
		expires = time.UnixMilli(t.Ended).Add(time.Duration(retainDays) * 24 * time.Hour).UnixMilli()
	}
	return store.InTx(ctx, ts.db, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, ts.q(`INSERT INTO call_transcripts (call_id, started_ms, ended_ms, expires_ms, key_id, body)
			VALUES (?, ?, ?, ?, ?, ?)`), t.CallID, t.Started, t.Ended, expires, keyID, sealed); err != nil {
			return fmt.Errorf("captions: store transcript: %w", err)
		}
		for _, u := range t.Participants {
			if _, err := tx.ExecContext(ctx, ts.q(`INSERT INTO call_transcript_access (call_id, user_id) VALUES (?, ?)`), t.CallID, u); err != nil {
				return err
			}
		}
		return nil
	})
}

// get returns callID's transcript if userID took part in the call;
// ErrNotFound otherwise, so others learn nothing.
func (ts *transcripts) get(ctx context.Context, callID, userID string, now time.Time) (Transcript, error) {
	var t Transcript
	var keyID string
	var sealed []byte
	err := ts.db.QueryRowContext(ctx, ts.q(`SELECT t.started_ms, t.ended_ms, t.key_id, t.body FROM call_transcripts t
		JOIN call_transcript_access a ON a.call_id = t.call_id
		WHERE t.call_id = ? AND a.user_id = ? AND (t.expires_ms = 0 OR t.expires_ms > ?)`),
		callID, userID, now.UnixMilli()).Scan(&t.Started, &t.Ended, &keyID, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return Transcript{}, ErrNotFound
	}
	if err != nil {
		return Transcript{}, err
	}
	pt, err := ts.sealer.Open(sealDomain, keyID, aad(callID, t.Started), sealed)
	if err != nil {
		return Transcript{}, err
	}
	var b body
	if err := json.Unmarshal(pt, &b); err != nil {
		return Transcript{}, fmt.Errorf("captions: transcript of %s: %w", callID, err)
	}
	t.CallID, t.Participants, t.Lines = callID, b.Participants, b.Lines
	return t, nil
}

// has reports whether callID has a transcript userID may read.
func (ts *transcripts) has(ctx context.Context, callID, userID string, now time.Time) (bool, error) {
	var ok bool
	err := ts.db.QueryRowContext(ctx, ts.q(`SELECT EXISTS (SELECT 1 FROM call_transcripts t
		JOIN call_transcript_access a ON a.call_id = t.call_id
		WHERE t.call_id = ? AND a.user_id = ? AND (t.expires_ms = 0 OR t.expires_ms > ?))`),
		callID, userID, now.UnixMilli()).Scan(&ok)
	return ok, err
}

// list returns the transcripts userID may read, newest first.
func (ts *transcripts) list(ctx context.Context, userID string, now time.Time, limit int) ([]TranscriptInfo, error) {
	rows, err := ts.db.QueryContext(ctx, ts.q(`SELECT t.call_id, t.started_ms, t.ended_ms FROM call_transcripts t
		JOIN call_transcript_access a ON a.call_id = t.call_id
		WHERE a.user_id = ? AND (t.expires_ms = 0 OR t.expires_ms > ?)
		ORDER BY t.started_ms DESC LIMIT ?`), userID, now.UnixMilli(), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []TranscriptInfo{}
	for rows.Next() {
		var i TranscriptInfo
		if err := rows.Scan(&i.CallID, &i.Started, &i.Ended); err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// purge deletes transcripts past their retention.
func (ts *transcripts) purge(ctx context.Context, now time.Time) (int64, error) {
	res, err := ts.db.ExecContext(ctx, ts.q(`DELETE FROM call_transcripts WHERE expires_ms <> 0 AND expires_ms <= ?`), now.UnixMilli())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
