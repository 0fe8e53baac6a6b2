-- Session lifetimes: the last activity the authority recorded (the idle timeout and the device
-- list read it), and the indexes that let expired and ended rows, old webhook ids and old
-- account-end marks be deleted in bounded batches without scanning the tables.
-- NULL in rows written before this migration: they count from their sign-in (created_at).
ALTER TABLE sessions ADD COLUMN last_active_at INTEGER;

CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE INDEX sessions_ended ON sessions (ended_at) WHERE ended_at IS NOT NULL;
CREATE INDEX webhook_deliveries_by_age ON webhook_deliveries (received_at);
CREATE INDEX user_session_ends_by_age ON user_session_ends (ended_at);
