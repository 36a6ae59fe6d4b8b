/*
 * jobs.c — /api/v1/jobs/{id}: one's own background job (a solve, an import) and its
 * cancel; HTTP ↔ service/jobs.h. Any server answers: the job lives in the database.
 */
#include "api/api.h"
#include "service/jobs.h"

px_err api_jobs_get(struct http_req *r)
{
	int64_t id;
	json_t *out = NULL;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = svc_job_get(api_svc(r), id, &out);
	return api_reply(r, rc, 200, out);
}

px_err api_jobs_cancel(struct http_req *r)
{
	int64_t id;
	json_t *out = NULL;
	px_err rc = http_param_id(r, "id", &id);
	if (!rc)
		rc = svc_job_cancel(api_svc(r), id, &out);
	return api_reply(r, rc, 200, out);
}
