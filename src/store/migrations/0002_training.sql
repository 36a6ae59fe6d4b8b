-- 0002 — training: annual plans and their approval, classes, experts and their
-- availability, rooms, and the sessions (课程安排) of a class with their placement.

-- 年度培训计划 of a region; goes through the approval chain (unit → parent → org dept).
CREATE TABLE plans (
  id @ID@,
  region_id BIGINT NOT NULL REFERENCES regions(id),
  unit_id BIGINT REFERENCES units(id),
  year INTEGER NOT NULL,
  title TEXT NOT NULL,
  budget_cents BIGINT NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'draft',
  step INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX plans_region ON plans(region_id, year);

-- Every step of an approval chain, for plans and ad-hoc classes alike: who did what, when,
-- with what comment. Appended only.
CREATE TABLE approvals (
  id @ID@,
  entity TEXT NOT NULL,
  entity_id BIGINT NOT NULL,
  step INTEGER NOT NULL,
  action TEXT NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  user_id BIGINT REFERENCES users(id),
  at BIGINT NOT NULL
);
CREATE INDEX approvals_entity ON approvals(entity, entity_id, id);

-- 培训班
CREATE TABLE classes (
  id @ID@,
  plan_id BIGINT REFERENCES plans(id),
  region_id BIGINT NOT NULL REFERENCES regions(id),
  name TEXT NOT NULL,
  host TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT '',
  off_site INTEGER NOT NULL DEFAULT 0,
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL,
  capacity INTEGER NOT NULL DEFAULT 0,
  credited_hours REAL NOT NULL DEFAULT 0,
  credited_days REAL NOT NULL DEFAULT 0,
  kind TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft',
  approval TEXT NOT NULL DEFAULT 'none',
  step INTEGER NOT NULL DEFAULT 0,
  target_levels TEXT NOT NULL DEFAULT '',
  target_categories TEXT NOT NULL DEFAULT '',
  batch_of BIGINT REFERENCES classes(id),
  batch_no INTEGER NOT NULL DEFAULT 0,
  term TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX classes_region ON classes(region_id, start_date);
CREATE INDEX classes_plan ON classes(plan_id);

-- 班主任: which users manage which classes.
CREATE TABLE class_managers (
  class_id BIGINT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  user_id BIGINT NOT NULL REFERENCES users(id),
  PRIMARY KEY (class_id, user_id)
);
CREATE INDEX class_managers_user ON class_managers(user_id);

-- 师资库
CREATE TABLE experts (
  id @ID@,
  region_id BIGINT REFERENCES regions(id),
  name TEXT NOT NULL,
  institution TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  topics TEXT NOT NULL DEFAULT '',
  bio TEXT NOT NULL DEFAULT '',
  availability TEXT NOT NULL DEFAULT 'open',
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Half-days an expert marked: with availability 'open' the marks are the busy half-days;
-- with 'restricted' they are the only half-days the expert can teach.
CREATE TABLE expert_slots (
  expert_id BIGINT NOT NULL REFERENCES experts(id) ON DELETE CASCADE,
  day TEXT NOT NULL,
  slot INTEGER NOT NULL,
  PRIMARY KEY (expert_id, day, slot)
);

-- 教室/研讨室, grouped by site (the party school, a venue …).
CREATE TABLE rooms (
  id @ID@,
  region_id BIGINT REFERENCES regions(id),
  site TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL,
  capacity INTEGER NOT NULL,
  kind TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX rooms_site_name ON rooms(site, name);

-- 课程/教学安排 of a class, and where and when it takes place.
CREATE TABLE class_sessions (
  id @ID@,
  class_id BIGINT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  topic TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  hours REAL NOT NULL DEFAULT 0,
  room_kind TEXT NOT NULL DEFAULT 'any',
  groups INTEGER NOT NULL DEFAULT 1,
  preferred_slot INTEGER NOT NULL DEFAULT -1,
  day TEXT NOT NULL DEFAULT '',
  slot INTEGER NOT NULL DEFAULT -1,
  start_time TEXT NOT NULL DEFAULT '',
  end_time TEXT NOT NULL DEFAULT '',
  room_id BIGINT REFERENCES rooms(id),
  pinned INTEGER NOT NULL DEFAULT 0,
  sort_order INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX class_sessions_class ON class_sessions(class_id, day, slot);

CREATE TABLE session_experts (
  session_id BIGINT NOT NULL REFERENCES class_sessions(id) ON DELETE CASCADE,
  expert_id BIGINT NOT NULL REFERENCES experts(id),
  PRIMARY KEY (session_id, expert_id)
);
CREATE INDEX session_experts_expert ON session_experts(expert_id);

-- A seminar held by several groups at once: the extra rooms (group 2, 3 …).
CREATE TABLE session_rooms (
  session_id BIGINT NOT NULL REFERENCES class_sessions(id) ON DELETE CASCADE,
  group_no INTEGER NOT NULL,
  room_id BIGINT NOT NULL REFERENCES rooms(id),
  PRIMARY KEY (session_id, group_no)
);

-- "before" must take place before "after" (a seminar after the lectures it discusses).
CREATE TABLE session_order (
  before_id BIGINT NOT NULL REFERENCES class_sessions(id) ON DELETE CASCADE,
  after_id BIGINT NOT NULL REFERENCES class_sessions(id) ON DELETE CASCADE,
  PRIMARY KEY (before_id, after_id)
);

-- 调训/报名: who attends which class. The dispatch module (点名调训) drives the states;
-- here the roster is what the timetable, the class manager's scope and a trainee's own
-- schedule need.
CREATE TABLE enrollments (
  id @ID@,
  class_id BIGINT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  cadre_id BIGINT NOT NULL REFERENCES cadres(id),
  state TEXT NOT NULL DEFAULT 'proposed',
  seminar_group INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX enrollments_class_cadre ON enrollments(class_id, cadre_id);
CREATE INDEX enrollments_cadre ON enrollments(cadre_id);

-- Long work (solving a timetable) runs in the background; its progress and result live
-- here so that any app server can answer "how far is it?".
CREATE TABLE jobs (
  id @ID@,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  progress REAL NOT NULL DEFAULT 0,
  params_json TEXT NOT NULL DEFAULT '{}',
  result_json TEXT NOT NULL DEFAULT '{}',
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Users of role expert are linked to their expert record (users.expert_id).

-- 主管单位: the unit a unit reports to; the middle step of approval chains.
ALTER TABLE units ADD COLUMN parent_id BIGINT REFERENCES units(id);
