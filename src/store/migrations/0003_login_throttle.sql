-- Failed logins under user names that have no account, counted exactly as users.failed_logins
-- and users.locked_until count them for real accounts, so that the answers to a wrong password
-- never tell whether a name exists. Rows untouched for 30 days are purged.
CREATE TABLE login_throttle (
  username TEXT PRIMARY KEY,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  last_failed_at BIGINT NOT NULL DEFAULT 0
);
