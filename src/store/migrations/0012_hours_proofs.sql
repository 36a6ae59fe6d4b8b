-- 0012 — 学时证明 that can be checked: each issued certificate of training hours has a
-- verification number, and the public verification page shows what was certified (name,
-- unit, period, the years' totals) and whether it still holds. And a counter per key and
-- minute for the public pages' rate limits, shared by every app server.
CREATE TABLE hours_proofs (
  id @ID@,
  code TEXT NOT NULL,
  cadre_id BIGINT NOT NULL REFERENCES cadres(id),
  issuer TEXT NOT NULL,
  period TEXT NOT NULL,
  summary TEXT NOT NULL,
  issued_by BIGINT REFERENCES users(id),
  issued_at BIGINT NOT NULL,
  revoked_at BIGINT NOT NULL DEFAULT 0,
  revoke_reason TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX hours_proofs_code ON hours_proofs(code);
CREATE INDEX hours_proofs_cadre ON hours_proofs(cadre_id, id);

CREATE TABLE rate_limits (
  key TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  hits INTEGER NOT NULL
);
