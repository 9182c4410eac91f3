-- PostgreSQL version of ../0003_call_control.sql; keep the two in step.
ALTER TABLE policies ADD COLUMN allow_transfer BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE policies ADD COLUMN allow_park BOOLEAN NOT NULL DEFAULT TRUE;
