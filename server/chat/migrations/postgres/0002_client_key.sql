-- PostgreSQL version of ../0002_client_key.sql; keep the two in step.
-- The client's message id is an idempotency key, unique per sender: a
-- message resent after a lost acknowledgement finds the row it already
-- made instead of adding a second one. Rows without one ('') are exempt.
ALTER TABLE chat_messages ADD COLUMN client_key TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX chat_client_key ON chat_messages (sender, client_key) WHERE client_key <> '';
