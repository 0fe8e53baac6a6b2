-- When Clerk last ended every session of a user (deleted, banned or locked), by user id: a
-- sign-in that began before this moment starts no session, even when its row would be written
-- after the webhook was processed.
CREATE TABLE user_session_ends (
  user_id TEXT PRIMARY KEY,
  ended_at INTEGER NOT NULL
);
