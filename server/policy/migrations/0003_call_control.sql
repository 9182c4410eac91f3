-- Call control settings (issue 12). Existing policies get the defaults:
-- transfer and park allowed.
ALTER TABLE policies ADD COLUMN allow_transfer INTEGER NOT NULL DEFAULT 1 CHECK (allow_transfer IN (0, 1));
ALTER TABLE policies ADD COLUMN allow_park INTEGER NOT NULL DEFAULT 1 CHECK (allow_park IN (0, 1));
