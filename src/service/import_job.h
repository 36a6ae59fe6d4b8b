/*
 * import_job.h — a large import in the background: the upload queued as a job of kind
 * registry.import, run by import_run (importer.h) on whichever server claims it.
 */
#ifndef PX_SERVICE_IMPORT_JOB_H
#define PX_SERVICE_IMPORT_JOB_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "service/svc.h"

/*
 * Queue an import of data[0..n) (kind "cadres" or "units", the file's name, dry_run: check
 * only), checked as a synchronous import is: the kind, the permission to create that kind
 * of record, a non-empty file. *out: {job_id, status: "queued", kind}. The job's result is
 * the synchronous reply's body when it went in ({id, kind, status, format, total_rows,
 * imported_rows, error_count}), else the error's ({code, message, details, import_id,
 * total_rows, error_count} for a rejected file). An account that has started, or queued,
 * import_runs_per_hour imports in the past hour is refused at once (PX_ERR_RATE_LIMITED,
 * *retry_at: when it may try again); the run counts again when it starts.
 */
px_err svc_import_queue(struct svc *c, const char *kind, const char *filename, bool dry_run,
			const void *data, size_t n, json_t **out, int64_t *retry_at);

#endif
