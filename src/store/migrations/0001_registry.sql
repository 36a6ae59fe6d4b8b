-- 0001 — the registry (regions, units, cadres and their history), accounts, sessions and
-- the logs. Written once for SQLite and PostgreSQL; see src/store/migrations.h.

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- 行政区划: a tree. `path` is the chain of ids, '/1/2/3/', so a subtree is one prefix match.
CREATE TABLE regions (
  id @ID@,
  parent_id BIGINT REFERENCES regions(id),
  code TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL,
  level TEXT NOT NULL,
  path TEXT NOT NULL DEFAULT '',
  sort_order INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX regions_parent_name ON regions(parent_id, name);
CREATE INDEX regions_path ON regions(path);

-- 单位
CREATE TABLE units (
  id @ID@,
  region_id BIGINT NOT NULL REFERENCES regions(id),
  code TEXT,
  name TEXT NOT NULL,
  short_name TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL,
  industries TEXT NOT NULL DEFAULT '',
  sort_order INTEGER NOT NULL DEFAULT 0,
  -- kept equal to the number of cadres of the unit, so that list totals of a
  -- province-sized registry are a sum over units, not a count over cadres
  cadre_count BIGINT NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX units_region_name ON units(region_id, name);
CREATE UNIQUE INDEX units_code ON units(code);
CREATE INDEX units_region ON units(region_id, sort_order);

-- 干部. The ID number is kept three ways: encrypted (id_enc, libsodium secretbox, base64),
-- a keyed hash for duplicate checks and exact lookup (id_hash), and the masked form shown in
-- lists (id_masked). The phone likewise.
CREATE TABLE cadres (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  name TEXT NOT NULL,
  gender TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  id_enc TEXT NOT NULL,
  id_hash TEXT NOT NULL,
  id_masked TEXT NOT NULL,
  phone_enc TEXT NOT NULL DEFAULT '',
  phone_masked TEXT NOT NULL DEFAULT '',
  post TEXT NOT NULL DEFAULT '',
  is_head INTEGER NOT NULL DEFAULT 0,
  rank_level TEXT NOT NULL,
  grade TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL,
  post_date TEXT NOT NULL DEFAULT '',
  promotion_date TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'active',
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX cadres_id_hash ON cadres(id_hash);
CREATE INDEX cadres_unit ON cadres(unit_id, id);
CREATE INDEX cadres_name ON cadres(name);

-- Changes of unit, post, rank and status: appended, never overwritten.
CREATE TABLE cadre_history (
  id @ID@,
  cadre_id BIGINT NOT NULL REFERENCES cadres(id),
  field TEXT NOT NULL,
  old_value TEXT NOT NULL DEFAULT '',
  new_value TEXT NOT NULL DEFAULT '',
  old_label TEXT NOT NULL DEFAULT '',
  new_label TEXT NOT NULL DEFAULT '',
  effective_date TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  changed_at BIGINT NOT NULL,
  changed_by BIGINT
);
CREATE INDEX cadre_history_cadre ON cadre_history(cadre_id, id);

-- Accounts. The role decides what; region_id / unit_id / cadre_id decide where (data scope).
CREATE TABLE users (
  id @ID@,
  username TEXT NOT NULL,
  display_name TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  region_id BIGINT REFERENCES regions(id),
  unit_id BIGINT REFERENCES units(id),
  cadre_id BIGINT REFERENCES cadres(id),
  expert_id BIGINT,
  active INTEGER NOT NULL DEFAULT 1,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  password_changed_at BIGINT NOT NULL DEFAULT 0,
  last_login_at BIGINT NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_username ON users(username);

-- Server-side sessions, shared by every app server. The cookie carries a random token;
-- only its hash is stored.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

-- 登录日志
CREATE TABLE login_log (
  id @ID@,
  at BIGINT NOT NULL,
  username TEXT NOT NULL,
  user_id BIGINT,
  outcome TEXT NOT NULL,
  ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX login_log_at ON login_log(at);

-- 操作日志: every write, with who, when, what, and the object before and after (personal
-- data masked).
CREATE TABLE audit_log (
  id @ID@,
  at BIGINT NOT NULL,
  user_id BIGINT,
  username TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL DEFAULT '',
  before_json TEXT NOT NULL DEFAULT '',
  after_json TEXT NOT NULL DEFAULT '',
  ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_at ON audit_log(at);

-- Import runs: what was uploaded, by whom, and the row-by-row outcome. The original file is
-- kept encrypted so the error report can show every row with its error beside it.
CREATE TABLE imports (
  id @ID@,
  at BIGINT NOT NULL,
  user_id BIGINT REFERENCES users(id),
  kind TEXT NOT NULL,
  filename TEXT NOT NULL DEFAULT '',
  format TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  total_rows INTEGER NOT NULL DEFAULT 0,
  imported_rows INTEGER NOT NULL DEFAULT 0,
  error_count INTEGER NOT NULL DEFAULT 0,
  errors_json TEXT NOT NULL DEFAULT '[]',
  file_enc TEXT NOT NULL DEFAULT ''
);
