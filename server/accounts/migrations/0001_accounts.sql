CREATE TABLE users (
	id            TEXT PRIMARY KEY,
	display_name  TEXT NOT NULL,
	email         TEXT NOT NULL DEFAULT '',
	enabled       INTEGER NOT NULL DEFAULT 1,
	admin         INTEGER NOT NULL DEFAULT 0,
	password_hash TEXT NOT NULL,
	created_at    INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email) WHERE email <> '';

CREATE TABLE sessions (
	id         TEXT PRIMARY KEY,
	token_hash BLOB NOT NULL UNIQUE,
	user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	last_seen  INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	address    TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE organization (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	name       TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
