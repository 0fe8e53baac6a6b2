-- The `updated_at` (Clerk's epoch ms) of the newest `user.updated` event applied to a session's
-- user fields: an event older than this changes nothing, so a late retry of an earlier delivery
-- cannot bring back an old name or old public metadata. NULL until an event is applied (a
-- sign-in's user comes from /oauth/userinfo, which carries no such time).
ALTER TABLE sessions ADD COLUMN user_updated_at INTEGER;
