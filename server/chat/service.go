package chat

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/parley-voip/parley/server/store"
	"github.com/parley-voip/parley/signaling"
)

// Config configures a Service.
type Config struct {
	// DB holds the chat_messages table ("chat" migrations applied);
	// required.
	DB *sql.DB
	// Keys seals and opens message bodies; required.
	Keys *Keyring
	// Reload, when set, is asked for a fresh keyring when a row names a
	// key id the current one lacks (a rotate-key ran meanwhile).
	Reload func() (*Keyring, error)
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Validate reports the first unusable setting.
func (c Config) Validate() error {
	switch {
	case c.DB == nil:
		return fmt.Errorf("%w: DB is nil", ErrInvalidConfig)
	case c.Keys == nil || len(c.Keys.keys) == 0:
		return fmt.Errorf("%w: no keys", ErrInvalidConfig)
	}
	return nil
}

// Service stores and reads chat messages. It implements server.ChatLog.
type Service struct {
	db     *sql.DB
	d      store.Dialect // SQLite or PostgreSQL: queries are rebound for it
	reload func() (*Keyring, error)
	now    func() time.Time

	mu   sync.RWMutex
	keys *Keyring
}

// New checks cfg and builds a Service.
func New(cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{db: cfg.DB, d: store.DialectOf(cfg.DB), keys: cfg.Keys, reload: cfg.Reload, now: cfg.Now}, nil
}

func (s *Service) q(query string) string { return s.d.Rebind(query) }

func (s *Service) keyring() *Keyring {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.keys
}

// key finds id, reloading the keyring once if it is unknown.
func (s *Service) key(id string) (Key, error) {
	if k, ok := s.keyring().find(id); ok {
		return k, nil
	}
	if s.reload != nil {
		if kr, err := s.reload(); err == nil {
			s.mu.Lock()
			s.keys = kr
			s.mu.Unlock()
			if k, ok := kr.find(id); ok {
				return k, nil
			}
		}
	}
	return Key{}, fmt.Errorf("%w: %s", ErrUnknownKey, id)
}

// Post stores one message without an idempotency key; see PostOnce.
func (s *Service) Post(ctx context.Context, from, to, callID, text string) (signaling.ChatMessage, error) {
	return s.PostOnce(ctx, from, "", to, callID, text)
}

// PostOnce stores one message in a single transaction: the row is inserted
// to get its id, then its body is sealed with that id in the associated
// data. key is the sender's id for the message ("" for none), unique per
// sender: when from already stored a message under key, PostOnce stores
// nothing and returns that message as it was stored (the resend of a
// message whose acknowledgement was lost). When PostOnce returns nil the
// commit is durable (SQLite synchronous=FULL; PostgreSQL's default
// synchronous_commit).
func (s *Service) PostOnce(ctx context.Context, from, key, to, callID, text string) (signaling.ChatMessage, error) {
	k := s.keyring().Current()
	r := record{sender: from, recipient: to, callID: callID, sentMS: s.now().UnixMilli()}
	var stored *signaling.ChatMessage
	err := store.InTx(ctx, s.db, func(tx *sql.Tx) error {
		if key != "" {
			m, ok, err := s.byKey(ctx, tx, from, key)
			if err != nil || ok {
				stored = &m
				return err
			}
		}
		// On SQLite, BEGIN IMMEDIATE serialises writers, so nothing can
		// insert the same key between the look-up above and this insert.
		// PostgreSQL (several nodes) does not: there a concurrent PostOnce
		// may win, this insert then does nothing, waiting for the winner's
		// commit, and the look-up after it finds the winner's row.
		err := tx.QueryRowContext(ctx, s.q(`INSERT INTO chat_messages (sender, recipient, call_id, sent_ms, key_id, body, client_key)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (sender, client_key) WHERE client_key <> '' DO NOTHING RETURNING id`),
			r.sender, r.recipient, r.callID, r.sentMS, k.id, []byte{}, key).Scan(&r.id)
		if errors.Is(err, sql.ErrNoRows) {
			m, ok, err := s.byKey(ctx, tx, from, key)
			if err == nil && !ok {
				err = fmt.Errorf("message %q of %s neither stored nor found", key, from)
			}
			stored = &m
			return err
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q(`UPDATE chat_messages SET body = ? WHERE id = ?`), seal(k, r, text), r.id)
		return err
	})
	if err != nil {
		return signaling.ChatMessage{}, fmt.Errorf("chat: storing message: %w", err)
	}
	if stored != nil {
		return *stored, nil
	}
	return r.message(text), nil
}

// byKey finds the message from stored under key.
func (s *Service) byKey(ctx context.Context, tx *sql.Tx, from, key string) (signaling.ChatMessage, bool, error) {
	rows, err := tx.QueryContext(ctx, s.q(`
		SELECT id, sender, recipient, call_id, sent_ms, key_id, body FROM chat_messages
		WHERE sender = ? AND client_key = ?`), from, key)
	if err != nil {
		return signaling.ChatMessage{}, false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return signaling.ChatMessage{}, false, rows.Err()
	}
	r, text, err := s.scan(rows)
	if err != nil {
		return signaling.ChatMessage{}, false, err
	}
	return r.message(text), true, nil
}

func (r record) message(text string) signaling.ChatMessage {
	return signaling.ChatMessage{
		ID: strconv.FormatInt(r.id, 10), From: r.sender, To: r.recipient,
		CallID: r.callID, Text: text, Sent: r.sentMS,
	}
}

// History returns up to limit messages between a and b (both directions)
// with ids below before (0: from the newest), newest first. A caller
// passing itself as a can only ever read its own conversations.
func (s *Service) History(ctx context.Context, a, b string, before int64, limit int) ([]signaling.ChatMessage, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := s.db.QueryContext(ctx, s.q(`
		SELECT id, sender, recipient, call_id, sent_ms, key_id, body FROM chat_messages
		WHERE ((sender = ? AND recipient = ?) OR (sender = ? AND recipient = ?)) AND id < ?
		ORDER BY id DESC LIMIT ?`), a, b, b, a, before, limit)
	if err != nil {
		return nil, fmt.Errorf("chat: history: %w", err)
	}
	defer rows.Close()
	var out []signaling.ChatMessage
	for rows.Next() {
		r, text, err := s.scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r.message(text))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("chat: history: %w", err)
	}
	return out, nil
}

func (s *Service) scan(rows *sql.Rows) (record, string, error) {
	var r record
	var keyID string
	var body []byte
	if err := rows.Scan(&r.id, &r.sender, &r.recipient, &r.callID, &r.sentMS, &keyID, &body); err != nil {
		return record{}, "", fmt.Errorf("chat: reading message: %w", err)
	}
	k, err := s.key(keyID)
	if err != nil {
		return record{}, "", err
	}
	text, err := open(k, r, body)
	return r, text, err
}

// Reencrypt seals every row not under the current key with the current
// key, in batches, and returns how many rows it moved. It is safe while
// the server runs.
func (s *Service) Reencrypt(ctx context.Context) (int, error) {
	cur := s.keyring().Current()
	total := 0
	for {
		n, err := s.reencryptBatch(ctx, cur, 500)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

func (s *Service) reencryptBatch(ctx context.Context, cur Key, size int) (int, error) {
	n := 0
	err := store.InTx(ctx, s.db, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, s.q(`
			SELECT id, sender, recipient, call_id, sent_ms, key_id, body FROM chat_messages
			WHERE key_id <> ? LIMIT ?`), cur.id, size)
		if err != nil {
			return err
		}
		type upd struct {
			id   int64
			body []byte
		}
		var ups []upd
		for rows.Next() {
			r, text, err := s.scan(rows)
			if err != nil {
				rows.Close()
				return err
			}
			ups = append(ups, upd{r.id, seal(cur, r, text)})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, u := range ups {
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE chat_messages SET key_id = ?, body = ? WHERE id = ?`), cur.id, u.body, u.id); err != nil {
				return err
			}
		}
		n = len(ups)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("chat: re-encrypting: %w", err)
	}
	return n, nil
}

// Prune returns the keyring without the keys no row uses; used keys and
// the current key always stay.
func (s *Service) Prune(ctx context.Context) (*Keyring, error) {
	kr := s.keyring()
	drop := map[string]bool{}
	for _, id := range kr.IDs() {
		used, err := s.keyInUse(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("chat: prune: %w", err)
		}
		drop[id] = !used
	}
	return kr.without(drop), nil
}
