package chat

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/parley-voip/parley/server/store"
	"github.com/parley-voip/parley/signaling"
)

// MaxConversations bounds one conversation list.
const MaxConversations = 500

// Conversations lists me's conversations, the one with the newest message
// first (at most limit; 0 or more than MaxConversations: MaxConversations): each with its newest message
// and how many messages from the peer came after me's read mark. Only
// conversations me is a party of are ever read.
func (s *Service) Conversations(ctx context.Context, me string, limit int) ([]signaling.ChatSummary, error) {
	if limit <= 0 || limit > MaxConversations {
		limit = MaxConversations
	}
	rows, err := s.db.QueryContext(ctx, s.q(`
		SELECT c.peer,
			(SELECT COUNT(*) FROM chat_messages u
			 WHERE u.sender = c.peer AND u.recipient = ? AND u.id > COALESCE(r.last_read, 0)),
			m.id, m.sender, m.recipient, m.call_id, m.sent_ms, m.key_id, m.body
		FROM (SELECT peer, MAX(id) AS last_id FROM (
				SELECT recipient AS peer, id FROM chat_messages WHERE sender = ?
				UNION ALL
				SELECT sender AS peer, id FROM chat_messages WHERE recipient = ?
			) p GROUP BY peer) c
		JOIN chat_messages m ON m.id = c.last_id
		LEFT JOIN chat_reads r ON r.user_id = ? AND r.peer = c.peer
		ORDER BY c.last_id DESC LIMIT ?`), me, me, me, me, limit)
	if err != nil {
		return nil, fmt.Errorf("chat: conversations: %w", err)
	}
	defer rows.Close()
	out := []signaling.ChatSummary{}
	for rows.Next() {
		var sum signaling.ChatSummary
		var r record
		var keyID string
		var body []byte
		if err := rows.Scan(&sum.Peer, &sum.Unread, &r.id, &r.sender, &r.recipient, &r.callID, &r.sentMS, &keyID, &body); err != nil {
			return nil, fmt.Errorf("chat: reading conversation: %w", err)
		}
		k, err := s.key(keyID)
		if err != nil {
			return nil, err
		}
		text, err := open(k, r, body)
		if err != nil {
			return nil, err
		}
		sum.Last = r.message(text)
		out = append(out, sum)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("chat: conversations: %w", err)
	}
	return out, nil
}

// MarkRead moves me's read mark of the conversation with peer to upTo,
// clamped to the newest message peer sent me at or below it (so a mark
// cannot run ahead of messages not yet written), never backwards. It
// returns the mark as stored and the messages from peer still unread after
// it. It only ever writes me's own mark.
func (s *Service) MarkRead(ctx context.Context, me, peer string, upTo int64) (signaling.ChatRead, error) {
	var mark int64
	var unread int
	err := store.InTx(ctx, s.db, func(tx *sql.Tx) error {
		var newest int64
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COALESCE(MAX(id), 0) FROM chat_messages
			WHERE sender = ? AND recipient = ? AND id <= ?`), peer, me, upTo).Scan(&newest); err != nil {
			return err
		}
		if newest > 0 {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO chat_reads (user_id, peer, last_read) VALUES (?, ?, ?)
				ON CONFLICT (user_id, peer) DO UPDATE SET last_read =
					CASE WHEN excluded.last_read > chat_reads.last_read THEN excluded.last_read ELSE chat_reads.last_read END`),
				me, peer, newest); err != nil {
				return err
			}
		}
		if err := tx.QueryRowContext(ctx, s.q(`SELECT COALESCE((SELECT last_read FROM chat_reads WHERE user_id = ? AND peer = ?), 0)`),
			me, peer).Scan(&mark); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM chat_messages WHERE sender = ? AND recipient = ? AND id > ?`),
			peer, me, mark).Scan(&unread)
	})
	if err != nil {
		return signaling.ChatRead{}, fmt.Errorf("chat: marking read: %w", err)
	}
	return signaling.ChatRead{UpTo: strconv.FormatInt(mark, 10), Unread: unread}, nil
}
