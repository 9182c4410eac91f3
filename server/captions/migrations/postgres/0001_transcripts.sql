-- PostgreSQL version of ../0001_transcripts.sql; keep the two in step.
CREATE TABLE call_transcripts (
	call_id    TEXT COLLATE "C" PRIMARY KEY,
	started_ms BIGINT NOT NULL,
	ended_ms   BIGINT NOT NULL,
	expires_ms BIGINT NOT NULL DEFAULT 0, -- 0: kept until deleted
	key_id     TEXT   NOT NULL,
	body       BYTEA  NOT NULL -- nonce || XChaCha20-Poly1305(JSON lines)
);
CREATE INDEX call_transcripts_key ON call_transcripts (key_id);
-- Who may read it: the call's participants.
CREATE TABLE call_transcript_access (
	call_id TEXT COLLATE "C" NOT NULL REFERENCES call_transcripts (call_id) ON DELETE CASCADE,
	user_id TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (call_id, user_id)
);
CREATE INDEX call_transcript_user ON call_transcript_access (user_id);
