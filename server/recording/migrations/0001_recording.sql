-- Recordings of standard calls (issue 11). The audio is in sealed files
-- under the data directory; a row holds the file key wrapped by a chat
-- master key (key_id). stopped_ms is NULL while recording; expires_ms NULL
-- keeps the recording until someone deletes it.
CREATE TABLE recordings (
	id          TEXT PRIMARY KEY,
	call_id     TEXT NOT NULL,
	started_by  TEXT NOT NULL,
	started_ms  INTEGER NOT NULL,
	stopped_ms  INTEGER,
	expires_ms  INTEGER,
	key_id      TEXT NOT NULL,
	wrapped_key BLOB NOT NULL
);
CREATE INDEX recordings_call ON recordings (call_id);
CREATE INDEX recordings_expires ON recordings (expires_ms) WHERE expires_ms IS NOT NULL;

-- Who may download: everyone in the call while it was recorded.
CREATE TABLE recording_participants (
	recording_id TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
	user_id      TEXT NOT NULL,
	PRIMARY KEY (recording_id, user_id)
);
CREATE INDEX recording_participants_user ON recording_participants (user_id);

CREATE TABLE recording_tracks (
	recording_id TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
	n            INTEGER NOT NULL CHECK (n >= 0),
	user_id      TEXT NOT NULL,
	name         TEXT NOT NULL DEFAULT '',
	bytes        INTEGER NOT NULL,
	duration_ms  INTEGER NOT NULL,
	PRIMARY KEY (recording_id, n)
);
