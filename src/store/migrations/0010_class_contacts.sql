-- 0010 — what a printed timetable and a trainee's phone tell of a class (issue 9, items 9, 11
-- and 17): who organizes it (主办单位, e.g. 中共南安市委组织部, beside `host`, the institution
-- that runs it: 承办), the class managers' contact phone (班主任联系电话: the managers
-- themselves are class_managers' rows, 0002), and where and when trainees report
-- (报到: a day, a time as written — "14:00–20:00" — and a place). Empty: not said; a
-- trainee's page then derives the report from the first day and the location.
ALTER TABLE classes ADD COLUMN organizer TEXT NOT NULL DEFAULT '';
ALTER TABLE classes ADD COLUMN manager_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE classes ADD COLUMN report_date TEXT NOT NULL DEFAULT '';
ALTER TABLE classes ADD COLUMN report_time TEXT NOT NULL DEFAULT '';
ALTER TABLE classes ADD COLUMN report_place TEXT NOT NULL DEFAULT '';
