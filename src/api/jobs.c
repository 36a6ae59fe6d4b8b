/*
 * jobs.c — /api/v1/jobs/{id}: one's own background job (a solve, an import) and its
 * cancel; HTTP ↔ service/jobs.h. Any server answers: the job lives in the database.
 */
#include "api/api.h"
#include "service/jobs.h"

px_err api_jobs_get(struct http_req *r)
{
	return api_view_by_id(r, svc_job_get, 200);
}

px_err api_jobs_cancel(struct http_req *r)
{
	return api_view_by_id(r, svc_job_cancel, 200);
}
