-- Organizations (on only with the user:org:read scope and a Backend API key). Memberships are
-- kept per user, one copy for all of that user's sessions; each session names its active
-- organization and carries, in org_json, the snapshot of it that its KV copy holds.

-- The user's memberships as the Backend API lists them: role, permissions and the organization's
-- public fields only (never its or the membership's private_metadata).
CREATE TABLE org_memberships (
  user_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  org_name TEXT NOT NULL,
  org_slug TEXT,
  org_image_url TEXT,
  role TEXT NOT NULL,
  role_name TEXT NOT NULL,
  -- JSON array of permission keys.
  permissions_json TEXT NOT NULL,
  -- Clerk's updated_at (ms): a webhook older than what is stored changes nothing.
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, org_id)
);

CREATE INDEX org_memberships_by_org ON org_memberships (org_id);
CREATE INDEX org_memberships_by_role ON org_memberships (role);

-- Whose memberships are kept here, and whether they are known: synced_at is NULL until one read of
-- every page succeeded; retry_at is the earliest moment a failed read is tried again.
CREATE TABLE org_users (
  user_id TEXT PRIMARY KEY,
  synced_at INTEGER,
  retry_at INTEGER NOT NULL DEFAULT 0
);

-- The organization this session acts in (picked at sign-in or switched to), and the JSON snapshot
-- the KV copy holds: NULL when organizations are off.
ALTER TABLE sessions ADD COLUMN active_org_id TEXT;
ALTER TABLE sessions ADD COLUMN org_json TEXT;
