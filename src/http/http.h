/*
 * http.h — requests, replies and the route table, independent of libmicrohttpd.
 *
 * A request arrives as a `struct http_req`: method, decoded path, query and headers (read
 * through accessors), the body (already capped), the caller (`who`, filled from the session
 * cookie) and an arena that dies with the request. A handler fills the reply through
 * http_reply_*() and returns PX_OK, or returns an error code (with problems/details added to
 * r->problems), and the server turns it into the JSON error envelope
 *   {"error":{"code":"…","message":"…","details":[…]}}
 * in the caller's language.
 *
 * Routes are data (struct route): method, path pattern with {name} segments, handler, the
 * permission the caller must hold (checked before the handler runs), a body cap, and the
 * summary that the OpenAPI document shows. Writes (anything but GET/HEAD) need the session's
 * CSRF token in X-CSRF-Token unless the route is PERM_PUBLIC.
 */
#ifndef PX_HTTP_H
#define PX_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/problem.h"
#include "domain/perm.h"

struct app;
struct store;
struct http_req;

typedef px_err route_handler(struct http_req *r);

enum route_flags {
	ROUTE_RAW_BODY = 1, /* body is a file (import), not JSON */
	ROUTE_LIST = 2,     /* takes page, page_size, q, sort (for OpenAPI) */
	ROUTE_NO_SESSION_TOUCH = 4,
	/* GET replies may be served again while nothing commits (reply_cache.h): only for a
	 * handler that writes nothing (no audited reads) and answers from the database and the
	 * request's user, language, path and query alone. */
	ROUTE_CACHE = 8,
};

struct route {
	const char *method;
	const char *pattern;
	route_handler *handler;
	enum perm perm;
	size_t body_max; /* 0 = HTTP_BODY_DEFAULT */
	unsigned flags;
	const char *tag;
	const char *summary;
};

#define HTTP_BODY_DEFAULT (256u * 1024)
#define HTTP_MAX_PARAMS   4

struct http_header {
	const char *name;
	const char *value;
	struct http_header *next;
};

struct http_req {
	struct arena arena;
	struct app *app;
	struct store *db; /* this thread's connection */
	void *conn;       /* the server's connection handle (opaque) */
	const char *method;
	const char *path;
	const char *lang; /* "en" or "zh-CN" */
	const char *ip;
	const char *user_agent;
	const struct route *route;
	const char *param_names[HTTP_MAX_PARAMS];
	const char *param_values[HTTP_MAX_PARAMS];
	int nparams;
	struct buf body;
	bool body_too_large;

	/* the caller */
	struct principal who;
	char session_hash[65];
	char csrf_token[48];
	int64_t session_expires;

	/* the reply */
	int status;
	const char *content_type;
	struct buf out;
	struct http_header *headers;
	struct problems problems;
	const char *message; /* overrides the default message of the error code */
	json_t *error_extra; /* more members for the error object (owned), e.g. import_id */
};

/* Accessors over the current request. Returned strings live as long as the request. */
const char *http_query(struct http_req *r, const char *name);
const char *http_header(struct http_req *r, const char *name);
const char *http_cookie(struct http_req *r, const char *name);
const char *http_param(struct http_req *r, const char *name);
/* A path parameter as a positive id; PX_ERR_NOT_FOUND if it is not one. */
px_err http_param_id(struct http_req *r, const char *name, int64_t *id);
/* A query parameter as an integer within [min, max], else `def`. */
long http_query_long(struct http_req *r, const char *name, long def, long min, long max);

void http_add_header(struct http_req *r, const char *name, const char *value);
/* Reply with JSON; takes ownership of j. */
px_err http_reply_json(struct http_req *r, int status, json_t *j);
/* Start a reply whose body the handler writes itself: returns the (emptied) body buffer. */
struct buf *http_reply_begin(struct http_req *r, int status, const char *content_type);
/* Reply with bytes (copied); filename, when given, makes it a download. */
px_err http_reply_bytes(struct http_req *r, int status, const char *content_type, const void *data,
			size_t len, const char *filename);
/* Build the JSON error envelope for `e` into the reply. */
void http_reply_error(struct http_req *r, px_err e);

/* Parse the body as a JSON object (PX_ERR_BAD_JSON when it is not one). Caller decrefs. */
px_err http_json_body(struct http_req *r, json_t **out);

/* Route matching, exposed for tests: fills r->param_* on success when r is non-NULL.
 * *path_matched tells whether some route has this path (for 405 vs 404). */
const struct route *http_match(const struct route *routes, size_t n, const char *method,
			       const char *path, struct http_req *r, bool *path_matched);

/* Server lifecycle (server.c). */
struct http_server;
struct http_server_options {
	const char *listen; /* "127.0.0.1:8080" */
	int threads;
	const struct route *routes;
	size_t nroutes;
	const char *web_root; /* directory of the built web UI, or NULL */
	size_t upload_max;    /* cap for ROUTE_RAW_BODY routes */
	/* Fill r->who from the session cookie (leaving ROLE_NONE when there is none). */
	px_err (*authenticate)(struct http_req *r);
	bool trust_proxy;
	bool reply_cache; /* keep the replies of ROUTE_CACHE routes (reply_cache.h) */
};
px_err http_server_start(struct app *app, const struct http_server_options *o,
			 struct http_server **out, struct buf *why);
void http_server_stop(struct http_server *s);

#endif
