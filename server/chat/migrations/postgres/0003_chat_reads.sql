-- PostgreSQL version of ../0003_chat_reads.sql; keep the two in step.
CREATE TABLE chat_reads (
	user_id   TEXT   NOT NULL,
	peer      TEXT   NOT NULL,
	last_read BIGINT NOT NULL,
	PRIMARY KEY (user_id, peer)
);
CREATE INDEX chat_recipient ON chat_messages (recipient, sender, id);
