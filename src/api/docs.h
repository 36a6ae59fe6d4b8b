/*
 * docs.h — what each route takes and gives, for the OpenAPI document (docs.c, meta.c).
 *
 * One row per handler: the success status, what the reply is (one view, a list page of
 * views, nothing, a file, an accepted job), the request body's spec (api/body.h: the same
 * table the handler reads the body by) and the reply's shape (service/svc.h: the same table
 * the API tests check every reply against). A route whose handler has no row is documented
 * with an open schema and listed as `x-undocumented` — the OpenAPI test refuses that.
 *
 * Each row also carries a worked example — the demo account it runs as, the path with its
 * parameters filled in for the seed's world (`peixun demo`), and whether the body is the
 * spec's example — which the OpenAPI test sends and checks against the documented reply.
 * A path may name "@new" for an id: the id that the example of the route creating that
 * collection returned (a DELETE removes what its collection's POST example made). A create
 * inside what an example made (a session of the new class, a solve of it) names the
 * collection its reply's id — or job_id — is the "@new" of (`creates`).
 */
#ifndef PX_API_DOCS_H
#define PX_API_DOCS_H

#include "api/body.h"
#include "http/http.h"
#include "service/svc.h"

enum reply_kind {
	REPLY_ONE,      /* a view of `reply` */
	REPLY_LIST,     /* {items: [view …], total, page, page_size} */
	REPLY_NONE,     /* no body (204) */
	REPLY_FILE,     /* bytes of `file_type` (a download) */
	REPLY_ACCEPTED, /* 202 {job_id …}: long work in the background (`reply` its shape) */
};

struct route_doc {
	route_handler *handler;
	int status;
	enum reply_kind kind;
	const struct body_spec *body;
	const struct view_spec *reply;
	const char *file_type; /* REPLY_FILE */
	/* the worked example */
	const char *example_as;   /* demo account; NULL: none (anonymous) */
	const char *example_path; /* with its query; NULL: no example (said why in `note`) */
	const char *note;
	const char *creates;      /* "/api/v1/sessions": the collection of the id the reply names */
	const char *example_file; /* an upload's example: the file's bytes, sent as the body */
};

extern const struct route_doc api_route_docs[];
extern const size_t api_route_doc_count;

/* The query specs of the routes that read filters (query.h), by handler. */
struct query_spec;
struct route_query {
	route_handler *handler;
	const struct query_spec *query;
};
extern const struct route_query api_route_queries[];
extern const size_t api_route_query_count;
/* What a list reads besides its filters: page, page_size, q, sort (common.c). */
extern const struct query_spec api_page_query;

/* The doc row of a handler, or NULL. */
const struct route_doc *api_route_doc(route_handler *handler);

#endif
