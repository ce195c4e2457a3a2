-- The short-lived access token is kept with the session, so a device that restarts (or a CLI
-- run per sync) reuses it instead of asking for a new one every time.
ALTER TABLE session ADD COLUMN access_token TEXT;
ALTER TABLE session ADD COLUMN access_expires_at INTEGER;
