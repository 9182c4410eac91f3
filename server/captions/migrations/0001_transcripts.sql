-- One transcript per call that had live captions: its lines, sealed with
-- the chat master keys (server/chat Seal, domain "transcript").
CREATE TABLE call_transcripts (
	call_id    TEXT    PRIMARY KEY,
	started_ms INTEGER NOT NULL,
	ended_ms   INTEGER NOT NULL,
	expires_ms INTEGER NOT NULL DEFAULT 0, -- 0: kept until deleted
	key_id     TEXT    NOT NULL,
	body       BLOB    NOT NULL -- nonce || XChaCha20-Poly1305(JSON lines)
);
CREATE INDEX call_transcripts_key ON call_transcripts (key_id);
-- Who may read it: the call's participants.
CREATE TABLE call_transcript_access (
	call_id TEXT NOT NULL REFERENCES call_transcripts (call_id) ON DELETE CASCADE,
	user_id TEXT NOT NULL,
	PRIMARY KEY (call_id, user_id)
);
CREATE INDEX call_transcript_user ON call_transcript_access (user_id);
