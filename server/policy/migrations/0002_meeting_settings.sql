-- Meeting settings (issue 11), as Teams meeting policies have them. Existing
-- policies get Teams' defaults: recording and captions allowed, recordings
-- kept 120 days. retention_days 0 keeps a recording until it is deleted.
ALTER TABLE policies ADD COLUMN allow_recording INTEGER NOT NULL DEFAULT 1 CHECK (allow_recording IN (0, 1));
ALTER TABLE policies ADD COLUMN allow_captions INTEGER NOT NULL DEFAULT 1 CHECK (allow_captions IN (0, 1));
ALTER TABLE policies ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 120 CHECK (retention_days BETWEEN 0 AND 99999);
