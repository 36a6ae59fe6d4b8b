-- 0011 — who must be trained: requirement rules (学时要求) as versioned data, the hours
-- conversion rules (学时折算), the hours ledger (学时档案, append-only), its per-year totals,
-- each cadre's standing against every window (kept in the transaction of every entry), and
-- recognized external training with its evidence (SPEC §2; docs/ledger.md).
--
-- Hours and days are kept in hundredths (centi_hours 8950 = 89.5 学时) so that sums are
-- exact on both databases and 89.5 never becomes 89.49999.

-- A version of a region's requirement rules, in force from effective_from to effective_to
-- ('' = open). A region without versions of its own uses its nearest ancestor's, and the
-- root without any uses the 2023 rules built into domain/requirement.c. Versions of one
-- region never overlap (the service checks; a later open version closes the earlier open
-- one the day before it starts).
CREATE TABLE requirement_versions (
  id @ID@,
  region_id BIGINT NOT NULL REFERENCES regions(id),
  title TEXT NOT NULL,
  effective_from TEXT NOT NULL,
  effective_to TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX requirement_versions_region ON requirement_versions(region_id, effective_from);

-- The rules of a version (struct req_rule): whom (rank levels OR grades, categories, leading
-- post or not), what (days OR hours, or a number of classes of some kinds), in which window
-- (calendar year; a period of period_years from period_first_year; the year after a
-- promotion), of which kind of hours (centralized, online).
CREATE TABLE requirement_rules (
  version_id BIGINT NOT NULL REFERENCES requirement_versions(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  code TEXT NOT NULL,
  title TEXT NOT NULL,
  hours_kind TEXT NOT NULL,
  window_kind TEXT NOT NULL,
  period_years INTEGER NOT NULL DEFAULT 1,
  period_first_year INTEGER NOT NULL DEFAULT 0,
  levels TEXT NOT NULL DEFAULT '',
  grades TEXT NOT NULL DEFAULT '',
  categories TEXT NOT NULL DEFAULT '',
  leading_post TEXT NOT NULL DEFAULT 'any',
  training_types TEXT NOT NULL DEFAULT '',
  min_centi_days BIGINT NOT NULL DEFAULT 0,
  min_centi_hours BIGINT NOT NULL DEFAULT 0,
  min_classes INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (version_id, seq)
);

-- How attendance becomes hours and days (struct hours_rules): one row per region (class_id
-- NULL) and optionally one per class, which then wins. Settings, so edited in place (with
-- a version and the audit log); the ledger entries they produced are not.
CREATE TABLE hours_rules (
  id @ID@,
  region_id BIGINT REFERENCES regions(id),
  class_id BIGINT REFERENCES classes(id) ON DELETE CASCADE,
  rules TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  updated_by BIGINT REFERENCES users(id),
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX hours_rules_owner ON hours_rules(COALESCE(region_id, 0), COALESCE(class_id, 0));

-- 学时档案: every credited entry of a cadre. Appended only: no code path updates or deletes
-- a row, and the database refuses it (triggers below). A correction is a new entry with
-- corrects_id naming the entry it corrects and a reason; its hours and days are the change
-- (negative to take back). source: class (attendance of a class), online (an online-academy
-- import), external (recognized external training), adjustment (by the admin, with a
-- reason), correction. training_type: the class kind that produced it (main, topic,
-- appointment …) or ''.
CREATE TABLE ledger_entries (
  id @ID@,
  cadre_id BIGINT NOT NULL REFERENCES cadres(id),
  hours_kind TEXT NOT NULL,
  source TEXT NOT NULL,
  training_type TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  organizer TEXT NOT NULL DEFAULT '',
  start_date TEXT NOT NULL DEFAULT '',
  end_date TEXT NOT NULL,
  centi_hours BIGINT NOT NULL,
  centi_days BIGINT NOT NULL DEFAULT 0,
  classes INTEGER NOT NULL DEFAULT 0,
  class_id BIGINT REFERENCES classes(id),
  import_id BIGINT REFERENCES imports(id),
  report_id BIGINT,
  corrects_id BIGINT REFERENCES ledger_entries(id),
  reason TEXT NOT NULL DEFAULT '',
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX ledger_entries_cadre ON ledger_entries(cadre_id, end_date, id);
CREATE INDEX ledger_entries_class ON ledger_entries(class_id);
CREATE INDEX ledger_entries_corrects ON ledger_entries(corrects_id);
@SQLITE@ CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
@SQLITE@ CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries BEGIN SELECT RAISE(ABORT, 'ledger entries are append-only'); END;
@PG@ CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'ledger entries are append-only'; END $$;
@PG@ CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only();

-- Per cadre, calendar year and kind of hours: the sums of its entries (by end_date), kept by
-- the store in the transaction that appends an entry.
CREATE TABLE ledger_year_totals (
  cadre_id BIGINT NOT NULL REFERENCES cadres(id),
  year INTEGER NOT NULL,
  hours_kind TEXT NOT NULL,
  centi_hours BIGINT NOT NULL DEFAULT 0,
  centi_days BIGINT NOT NULL DEFAULT 0,
  entries INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (cadre_id, year, hours_kind)
);

-- A cadre's standing against each window that applies to it (struct req_window), as the
-- domain's evaluation computed it when the cadre's entries, career or the rules last
-- changed: derived data, replaced whole per cadre in the same transaction. The status
-- (met / on track / behind / overdue) follows from these numbers and the day it is read:
-- met_on set → met; else end_day < today → overdue; else on track when the credited
-- share is at least the elapsed share of the window. Days are counted from 1970-01-01 so
-- that both databases compare them as integers.
CREATE TABLE compliance (
  cadre_id BIGINT NOT NULL REFERENCES cadres(id),
  window_key TEXT NOT NULL,
  unit_id BIGINT NOT NULL,
  version_id BIGINT,
  rule_code TEXT NOT NULL,
  hours_kind TEXT NOT NULL,
  window_kind TEXT NOT NULL,
  year INTEGER NOT NULL,
  start_day INTEGER NOT NULL,
  end_day INTEGER NOT NULL,
  req_centi_days BIGINT NOT NULL,
  req_centi_hours BIGINT NOT NULL,
  req_classes INTEGER NOT NULL,
  got_centi_days BIGINT NOT NULL,
  got_centi_hours BIGINT NOT NULL,
  got_classes INTEGER NOT NULL,
  met_on TEXT NOT NULL DEFAULT '',
  cut TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (cadre_id, window_key)
);
CREATE INDEX compliance_window ON compliance(window_key, unit_id);

-- Evidence of external training (a certificate's PDF or photo): kept in the database, sealed
-- with the personal-data key, so that every app server reads the same file.
CREATE TABLE evidence_files (
  id @ID@,
  filename TEXT NOT NULL,
  mime TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  data_sealed TEXT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);

-- Recognized external training, self-reported by a cadre or its unit's liaison, approved by
-- the unit and then the organization department (approvals rows, entity 'external_report');
-- approval appends the ledger entry (entry_id).
CREATE TABLE external_reports (
  id @ID@,
  cadre_id BIGINT NOT NULL REFERENCES cadres(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),
  title TEXT NOT NULL,
  organizer TEXT NOT NULL DEFAULT '',
  hours_kind TEXT NOT NULL DEFAULT 'centralized',
  training_type TEXT NOT NULL DEFAULT '',
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL,
  centi_hours BIGINT NOT NULL,
  centi_days BIGINT NOT NULL DEFAULT 0,
  evidence_id BIGINT REFERENCES evidence_files(id),
  status TEXT NOT NULL,
  step INTEGER NOT NULL DEFAULT 0,
  entry_id BIGINT REFERENCES ledger_entries(id),
  version INTEGER NOT NULL DEFAULT 1,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX external_reports_cadre ON external_reports(cadre_id, id);
CREATE INDEX external_reports_unit ON external_reports(unit_id, status);
