-- 0009 — 正职 or 副职 of a cadre's leadership level (职级层次).
--
-- Registries write the level with its 正/副 in one word (正科级, 副处级, 县处级副职); the
-- import maps such a word onto the level and keeps the 正/副 here (domain/enums.c, the
-- synonyms). '' when nobody said; a form may set it.
ALTER TABLE cadres ADD COLUMN rank_position TEXT NOT NULL DEFAULT '';
