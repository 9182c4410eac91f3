-- Each user's read mark per conversation: the newest message id of the
-- conversation with peer that user has seen on any device. Messages from
-- peer with a larger id are unread. A missing row reads as 0 (nothing read).
CREATE TABLE chat_reads (
	user_id   TEXT    NOT NULL,
	peer      TEXT    NOT NULL,
	last_read INTEGER NOT NULL,
	PRIMARY KEY (user_id, peer)
);
-- Unread counts and the conversation list read a user's incoming messages.
CREATE INDEX chat_recipient ON chat_messages (recipient, sender, id);
