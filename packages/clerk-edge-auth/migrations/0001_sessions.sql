-- The session authority. Every change to a session is one conditional statement here first;
-- the KV record (the edge copy page views read) follows. Rows are keyed by the SHA-256 hash of
-- the session id (hex): the id itself, which the cookie carries, is stored nowhere.
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  -- A random public name for the device list; never derived from the id.
  handle TEXT NOT NULL UNIQUE,
  user_id TEXT NOT NULL,
  -- The user's public fields as pages show them (JSON).
  user_json TEXT NOT NULL,
  access_token TEXT NOT NULL,
  refresh_token TEXT,
  -- Epoch ms; NULL when Clerk did not say how long the access token lives.
  access_expires_at INTEGER,
  scope TEXT NOT NULL DEFAULT '',
  id_token TEXT,
  -- Bumped by every change, so a reader can tell whether what it read is still current.
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  -- Browser and OS from the User-Agent at sign-in, and the place Cloudflare reported.
  device TEXT NOT NULL DEFAULT '',
  place TEXT,
  -- Epoch ms until which one request holds the right to use the refresh token (single flight).
  refreshing_until INTEGER,
  ended_at INTEGER,
  ended_reason TEXT
);

CREATE INDEX sessions_live_by_user ON sessions (user_id, created_at) WHERE ended_at IS NULL;

-- Clerk webhook deliveries already processed, by svix-id: a retry has no second effect.
CREATE TABLE webhook_deliveries (
  svix_id TEXT PRIMARY KEY,
  event_type TEXT NOT NULL,
  received_at INTEGER NOT NULL
);
