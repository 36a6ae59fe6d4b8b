-- 0007 — the cadre list's filters through indexes on both databases.
--
-- PostgreSQL compares the blind index and the name byte by byte, as SQLite does: names then
-- sort the same way on both (by code point, whatever the database's locale), and building
-- or searching these indexes compares with memcmp and abbreviated keys instead of the
-- locale's strcoll (a million keys sorted in 1.4 s instead of 7.8 s).
@PG@ ALTER TABLE cadres ALTER COLUMN id_hash TYPE TEXT COLLATE "C";
@PG@ ALTER TABLE cadres ALTER COLUMN name TYPE TEXT COLLATE "C";
--
-- Name search (`q`, a substring of the name or the post) through an index of characters
-- and pairs of neighbouring characters: a cadre can match only if its name or post holds q's
-- pairs (a single character: that character), which an index answers from short lists;
-- the substring itself (LIKE) is then checked on those rows only. Not trigrams: they find
-- no 2-character word (pg_trgm degenerates to a scan of the whole index for one, 1.1–1.5 s
-- on a million), and most given names have two characters.
-- SQLite: an FTS5 table holding no text (content=''), only which cadre has which token: a
-- token a character or pair, the ASCII tokenizer folding A–Z as LIKE does. The store writes
-- it with every insert and update of a cadre; px_search_text, a function of the SQLite
-- driver, spells the tokens out. PostgreSQL: a GIN index of px_search_grams, the same tokens
-- as an array (every character, and each field's pairs from two regexp_replace that cut it
-- into pairs at even and at odd offsets, with a few leftovers), kept by the server itself.
@SQLITE@ CREATE VIRTUAL TABLE cadres_search USING fts5(grams, content='', detail=none, columnsize=0, tokenize='ascii');
@SQLITE@ INSERT INTO cadres_search(rowid, grams) SELECT id, px_search_text(name, post) FROM cadres;
@PG@ CREATE FUNCTION px_search_grams(name TEXT, post TEXT) RETURNS TEXT[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT string_to_array(name || post, NULL) || string_to_array(regexp_replace(name, '(..)', E'\\1\x1f', 'g') || E'\x1f' || regexp_replace(substr(name, 2), '(..)', E'\\1\x1f', 'g') || E'\x1f' || regexp_replace(post, '(..)', E'\\1\x1f', 'g') || E'\x1f' || regexp_replace(substr(post, 2), '(..)', E'\\1\x1f', 'g'), E'\x1f') $$;
@PG@ CREATE INDEX cadres_search ON cadres USING gin (px_search_grams(name, post));
--
-- A region's subtree is a range of paths, path >= '/1/2/' AND path < '/1/20' (the prefix and
-- its successor), which both planners match to the index on regions(path). It needs paths to
-- compare byte by byte: SQLite's BINARY collation does; on PostgreSQL the column gets the
-- "C" collation, whatever the database's locale (zh_CN.UTF-8 would sort '/' and digits by
-- other rules).
@PG@ ALTER TABLE regions ALTER COLUMN path TYPE TEXT COLLATE "C";
--
-- The total of a list of cadres without filters is the number of cadres in the caller's
-- region: kept per region (its whole subtree) as units keep theirs, so that a province's
-- first page needs one row, not a sum over its units. Triggers on units carry every change
-- of a unit's count (and a unit's move) to the region and its ancestors, whoever writes it.
ALTER TABLE regions ADD COLUMN cadre_count BIGINT NOT NULL DEFAULT 0;
UPDATE regions SET cadre_count = (SELECT COALESCE(SUM(u.cadre_count), 0) FROM units u JOIN regions r ON r.id = u.region_id WHERE substr(r.path, 1, length(regions.path)) = regions.path);
@SQLITE@ CREATE TRIGGER units_count_regions_update AFTER UPDATE OF cadre_count, region_id ON units WHEN OLD.cadre_count <> NEW.cadre_count OR OLD.region_id <> NEW.region_id BEGIN UPDATE regions SET cadre_count = cadre_count - OLD.cadre_count WHERE id IN (WITH RECURSIVE up(id) AS (SELECT OLD.region_id UNION ALL SELECT r.parent_id FROM regions r JOIN up ON r.id = up.id WHERE r.parent_id IS NOT NULL) SELECT id FROM up); UPDATE regions SET cadre_count = cadre_count + NEW.cadre_count WHERE id IN (WITH RECURSIVE up(id) AS (SELECT NEW.region_id UNION ALL SELECT r.parent_id FROM regions r JOIN up ON r.id = up.id WHERE r.parent_id IS NOT NULL) SELECT id FROM up); END;
@SQLITE@ CREATE TRIGGER units_count_regions_insert AFTER INSERT ON units WHEN NEW.cadre_count <> 0 BEGIN UPDATE regions SET cadre_count = cadre_count + NEW.cadre_count WHERE id IN (WITH RECURSIVE up(id) AS (SELECT NEW.region_id UNION ALL SELECT r.parent_id FROM regions r JOIN up ON r.id = up.id WHERE r.parent_id IS NOT NULL) SELECT id FROM up); END;
@SQLITE@ CREATE TRIGGER units_count_regions_delete AFTER DELETE ON units WHEN OLD.cadre_count <> 0 BEGIN UPDATE regions SET cadre_count = cadre_count - OLD.cadre_count WHERE id IN (WITH RECURSIVE up(id) AS (SELECT OLD.region_id UNION ALL SELECT r.parent_id FROM regions r JOIN up ON r.id = up.id WHERE r.parent_id IS NOT NULL) SELECT id FROM up); END;
@PG@ CREATE FUNCTION units_count_regions() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = 'UPDATE' AND OLD.cadre_count = NEW.cadre_count AND OLD.region_id = NEW.region_id THEN RETURN NULL; END IF; IF TG_OP <> 'INSERT' THEN UPDATE regions SET cadre_count = cadre_count - OLD.cadre_count WHERE id IN (WITH RECURSIVE up(id) AS (SELECT OLD.region_id UNION ALL SELECT r.parent_id FROM regions r JOIN up ON r.id = up.id WHERE r.parent_id IS NOT NULL) SELECT id FROM up); END IF; IF TG_OP <> 'DELETE' THEN UPDATE regions SET cadre_count = cadre_count + NEW.cadre_count WHERE id IN (WITH RECURSIVE up(id) AS (SELECT NEW.region_id UNION ALL SELECT r.parent_id FROM regions r JOIN up ON r.id = up.id WHERE r.parent_id IS NOT NULL) SELECT id FROM up); END IF; RETURN NULL; END $$;
@PG@ CREATE TRIGGER units_count_regions AFTER INSERT OR DELETE OR UPDATE OF cadre_count, region_id ON units FOR EACH ROW EXECUTE FUNCTION units_count_regions();
