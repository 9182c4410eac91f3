-- PostgreSQL version of ../0001_call_log.sql; keep the two in step.
CREATE TABLE call_log (
	id          BIGSERIAL PRIMARY KEY,
	user_id     TEXT    NOT NULL,
	peer        TEXT    NOT NULL,
	peer_name   TEXT    NOT NULL DEFAULT '', -- the peer's display name when the call ended
	call_id     TEXT    NOT NULL,
	outgoing    BOOLEAN NOT NULL,
	start_ms    BIGINT  NOT NULL,
	duration_ms BIGINT  NOT NULL,
	outcome     TEXT    NOT NULL,
	device      TEXT    NOT NULL DEFAULT '',
	e2ee        BOOLEAN NOT NULL
);
CREATE INDEX call_log_user ON call_log (user_id, start_ms, id);
