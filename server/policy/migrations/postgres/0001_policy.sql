-- PostgreSQL version of ../0001_policy.sql; keep the two in step. Names
-- and user ids sort in byte order (COLLATE "C"), as SQLite sorts them,
-- whatever the database's default collation.
CREATE TABLE policies (
	name        TEXT COLLATE "C" PRIMARY KEY,
	e2ee        TEXT NOT NULL CHECK (e2ee IN ('Disabled', 'UserCanEnable')),
	description TEXT NOT NULL DEFAULT ''
);
INSERT INTO policies (name, e2ee, description) VALUES ('Global', 'Disabled', 'Org-wide default');

CREATE TABLE policy_groups (
	name TEXT COLLATE "C" PRIMARY KEY,
	rank INTEGER NOT NULL CHECK (rank >= 1)
);

-- user_id has no foreign key to users: the accounts component may migrate
-- after this one, and users are disabled rather than deleted.
CREATE TABLE policy_group_members (
	group_name TEXT COLLATE "C" NOT NULL REFERENCES policy_groups (name) ON DELETE CASCADE,
	user_id    TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (group_name, user_id)
);
CREATE INDEX policy_group_members_user ON policy_group_members (user_id);

-- One grant per target. group_name duplicates target for group grants so a
-- foreign key can drop the grant with its group; policy has no cascade, so a
-- granted policy cannot be deleted.
CREATE TABLE policy_grants (
	kind       TEXT NOT NULL CHECK (kind IN ('tenant', 'group', 'user')),
	target     TEXT NOT NULL,
	policy     TEXT COLLATE "C" NOT NULL REFERENCES policies (name),
	group_name TEXT COLLATE "C" REFERENCES policy_groups (name) ON DELETE CASCADE,
	PRIMARY KEY (kind, target),
	CHECK ((kind = 'group' AND group_name = target) OR (kind <> 'group' AND group_name IS NULL)),
	CHECK (kind <> 'tenant' OR target = '')
);
CREATE INDEX policy_grants_policy ON policy_grants (policy);
