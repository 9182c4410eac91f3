-- One row per party of a call: each user's own history.
CREATE TABLE call_log (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id     TEXT    NOT NULL,
	peer        TEXT    NOT NULL,
	peer_name   TEXT    NOT NULL DEFAULT '', -- the peer's display name when the call ended
	call_id     TEXT    NOT NULL,
	outgoing    INTEGER NOT NULL,
	start_ms    INTEGER NOT NULL,
	duration_ms INTEGER NOT NULL,
	outcome     TEXT    NOT NULL,
	device      TEXT    NOT NULL DEFAULT '', -- the user's device (session id) that answered
	e2ee        INTEGER NOT NULL
);
-- Serves a user's history newest first, paged by start time.
CREATE INDEX call_log_user ON call_log (user_id, start_ms, id);
