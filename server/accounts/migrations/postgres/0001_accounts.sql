-- PostgreSQL version of ../0001_accounts.sql; keep the two in step.
-- Times are Unix seconds as there; flags are BOOLEAN, hashes BYTEA. Ids
-- sort in byte order (COLLATE "C"), as SQLite sorts them, whatever the
-- database's default collation.
CREATE TABLE users (
	id            TEXT COLLATE "C" PRIMARY KEY,
	display_name  TEXT NOT NULL,
	email         TEXT NOT NULL DEFAULT '',
	enabled       BOOLEAN NOT NULL DEFAULT TRUE,
	admin         BOOLEAN NOT NULL DEFAULT FALSE,
	password_hash TEXT NOT NULL,
	created_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email) WHERE email <> '';

CREATE TABLE sessions (
	id         TEXT COLLATE "C" PRIMARY KEY,
	token_hash BYTEA NOT NULL UNIQUE,
	user_id    TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	last_seen  BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	address    TEXT NOT NULL DEFAULT '',
	user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE organization (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	name       TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
