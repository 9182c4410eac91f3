-- PostgreSQL version of ../0001_recording.sql; keep the two in step.
CREATE TABLE recordings (
	id          TEXT COLLATE "C" PRIMARY KEY,
	call_id     TEXT COLLATE "C" NOT NULL,
	started_by  TEXT COLLATE "C" NOT NULL,
	started_ms  BIGINT NOT NULL,
	stopped_ms  BIGINT,
	expires_ms  BIGINT,
	key_id      TEXT NOT NULL,
	wrapped_key BYTEA NOT NULL
);
CREATE INDEX recordings_call ON recordings (call_id);
CREATE INDEX recordings_expires ON recordings (expires_ms) WHERE expires_ms IS NOT NULL;

CREATE TABLE recording_participants (
	recording_id TEXT COLLATE "C" NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
	user_id      TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (recording_id, user_id)
);
CREATE INDEX recording_participants_user ON recording_participants (user_id);

CREATE TABLE recording_tracks (
	recording_id TEXT COLLATE "C" NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
	n            INTEGER NOT NULL CHECK (n >= 0),
	user_id      TEXT COLLATE "C" NOT NULL,
	name         TEXT NOT NULL DEFAULT '',
	bytes        BIGINT NOT NULL,
	duration_ms  BIGINT NOT NULL,
	PRIMARY KEY (recording_id, n)
);
