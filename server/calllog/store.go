package calllog

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/parley-voip/parley/server/store"
	"github.com/parley-voip/parley/signaling"
)

// Store persists call history. Implementations validate each record
// (ErrInvalidRecord) and never return another user's records.
type Store interface {
	// Add stores recs (usually the two parties' records of one call) in
	// one transaction and returns them with their ids.
	Add(ctx context.Context, recs ...Record) ([]Record, error)
	// List returns up to limit (at most MaxPage) of user's records that
	// started before before (zero: the newest), newest first.
	List(ctx context.Context, user string, before time.Time, limit int) ([]Record, error)
}

// SQLStore is the Store on the server's SQL database, SQLite or PostgreSQL
// (table of migration component "calllog").
type SQLStore struct {
	db *sql.DB
	d  store.Dialect
}

// NewSQLStore uses db, which must have been opened by package store so
// the calllog migrations have run.
func NewSQLStore(db *sql.DB) *SQLStore { return &SQLStore{db: db, d: store.DialectOf(db)} }

var _ Store = (*SQLStore)(nil)

// q rewrites a query's ? placeholders for the database (PostgreSQL's $n).
func (s *SQLStore) q(query string) string { return s.d.Rebind(query) }

// Add implements Store.
func (s *SQLStore) Add(ctx context.Context, recs ...Record) ([]Record, error) {
	for _, r := range recs {
		if err := r.Validate(); err != nil {
			return nil, err
		}
	}
	out := make([]Record, len(recs))
	err := store.InTx(ctx, s.db, func(tx *sql.Tx) error {
		for i, r := range recs {
			r.Start = time.UnixMilli(r.Start.UnixMilli())
			r.Duration = r.Duration.Truncate(time.Millisecond)
			err := tx.QueryRowContext(ctx, s.q(`
				INSERT INTO call_log (user_id, peer, peer_name, call_id, outgoing, start_ms, duration_ms, outcome, device, e2ee)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
				r.User, r.Peer, r.PeerName, r.CallID, r.Outgoing, r.Start.UnixMilli(), r.Duration.Milliseconds(),
				string(r.Outcome), r.Device, r.E2EE).Scan(&r.ID)
			if err != nil {
				return err
			}
			out[i] = r
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("calllog: adding: %w", err)
	}
	return out, nil
}

// List implements Store.
func (s *SQLStore) List(ctx context.Context, user string, before time.Time, limit int) ([]Record, error) {
	limit = min(max(limit, 0), MaxPage)
	end := int64(1<<63 - 1)
	if !before.IsZero() {
		end = before.UnixMilli()
	}
	rows, err := s.db.QueryContext(ctx, s.q(`
		SELECT id, user_id, peer, peer_name, call_id, outgoing, start_ms, duration_ms, outcome, device, e2ee
		FROM call_log WHERE user_id = ? AND start_ms < ?
		ORDER BY start_ms DESC, id DESC LIMIT ?`), user, end, limit)
	if err != nil {
		return nil, fmt.Errorf("calllog: list: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		var start, dur int64
		var outcome string
		if err := rows.Scan(&r.ID, &r.User, &r.Peer, &r.PeerName, &r.CallID, &r.Outgoing, &start, &dur, &outcome, &r.Device, &r.E2EE); err != nil {
			return nil, fmt.Errorf("calllog: reading: %w", err)
		}
		r.Start, r.Duration, r.Outcome = time.UnixMilli(start), time.Duration(dur)*time.Millisecond, signaling.CallOutcome(outcome)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("calllog: list: %w", err)
	}
	return out, nil
}
