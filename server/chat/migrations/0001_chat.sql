CREATE TABLE chat_messages (
	id        INTEGER PRIMARY KEY AUTOINCREMENT,
	sender    TEXT    NOT NULL,
	recipient TEXT    NOT NULL,
	call_id   TEXT    NOT NULL DEFAULT '',
	sent_ms   INTEGER NOT NULL,
	key_id    TEXT    NOT NULL,
	body      BLOB    NOT NULL -- nonce || XChaCha20-Poly1305(text)
);
-- One conversation is both directions between two users; the pair index
-- serves history paging in either direction.
CREATE INDEX chat_pair ON chat_messages (sender, recipient, id);
CREATE INDEX chat_key ON chat_messages (key_id);
