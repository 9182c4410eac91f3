-- PostgreSQL version of ../0002_meeting_settings.sql; keep the two in step.
ALTER TABLE policies ADD COLUMN allow_recording BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE policies ADD COLUMN allow_captions BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE policies ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 120 CHECK (retention_days BETWEEN 0 AND 99999);
