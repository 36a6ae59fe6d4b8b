-- The job runner's queue (service/jobs.c): the jobs table of 0002 becomes a queue that
-- several app servers share. A job is queued, claimed by one server's worker (owner), kept
-- alive by that server's heartbeat while it runs, and ends done, failed or cancelled; a
-- running job whose heartbeat lapsed (its server died) is taken over or failed by another.
--
-- The creator's principal is kept with the job (user, role, region, unit, cadre, expert,
-- user name and address), so that the job runs under the scope its request was checked in,
-- on whichever server claims it, and only its creator reads it. `payload` holds a job's
-- input sealed with the personal-data key (an upload to import) and is emptied when the
-- job ends; nothing personal is kept in clear.
ALTER TABLE jobs ADD COLUMN lang TEXT NOT NULL DEFAULT 'zh-CN';
ALTER TABLE jobs ADD COLUMN creator_role TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN creator_username TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN creator_region_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN creator_region_path TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN creator_unit_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN creator_cadre_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN creator_expert_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN creator_ip TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN payload TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN started_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN heartbeat_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN finished_at BIGINT NOT NULL DEFAULT 0;
-- The queue and the rescue look jobs up by state and kind.
CREATE INDEX jobs_status_kind ON jobs (status, kind, id);
CREATE INDEX jobs_created_by ON jobs (created_by, status);
-- Jobs of the runner before this one lived in the memory of the server that started them,
-- which stopped for the upgrade (docs/operations.md): none of them can finish any more.
UPDATE jobs SET status = 'failed',
  result_json = '{"code":"server_lost","explanation":"服务器已升级,该任务未完成,请重新发起"}'
  WHERE status IN ('queued', 'running');
