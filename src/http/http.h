/*
 * http.h — requests, replies and the route table, independent of libmicrohttpd.
 *
 * A request arrives as a `struct http_req`: method, decoded path, query and headers (read
 * through accessors), the body (already capped), an arena that dies with the request, and
 * `ctx`, the program's own state of the request (its connection, its caller), which the
 * hooks set up and this layer never looks into. A handler fills the reply through
 * http_reply_*() and returns PX_OK, or returns an error code (with problems/details added to
 * r->problems), and the server turns it into the JSON error envelope
 *   {"error":{"code":"…","message":"…","details":[…]}}
 * in the caller's language.
 *
 * Routes are data (struct route): method, path pattern with {name} segments, handler, the
 * permission the caller must hold (a number only the program's hooks interpret), a body cap,
 * and the summary that the OpenAPI document shows.
 *
 * This layer knows nothing of the domain, the database or sessions: who the caller is,
 * whether it may use the route, transactions and the data generation of the reply cache
 * reach it as hooks (struct http_hooks) given by the program.
 */
#ifndef PX_HTTP_H
#define PX_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/problem.h"

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
	int perm;        /* the program's permission number (0: public); see http_hooks.enter */
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
	void *ctx;  /* the program's state of this request (set by http_hooks.enter) */
	void *conn; /* the server's connection handle (opaque) */
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
	bool bad_path;  /* the raw URI's path holds %00 */
	bool bad_query; /* its query does */

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

/* True for a method that may change something (anything but GET and HEAD). */
bool http_is_write(const char *method);

/* Parse the body as a JSON object (PX_ERR_BAD_JSON when it is not one). Caller decrefs. */
px_err http_json_body(struct http_req *r, json_t **out);

/* Route matching, exposed for tests: fills r->param_* on success when r is non-NULL.
 * *path_matched tells whether some route has this path (for 405 vs 404). */
const struct route *http_match(const struct route *routes, size_t n, const char *method,
			       const char *path, struct http_req *r, bool *path_matched);

/*
 * What the program decides around each routed request. Every hook may be NULL; each gets
 * `arg` (the program's own pointer) first.
 *
 * enter: before the handler — set up r->ctx (the connection, the caller from the cookie)
 *   and decide whether the caller may use r->route: a non-OK result is replied as that
 *   error and the handler does not run.
 * leave: after the handler (and after a refused enter) with its result — end what enter
 *   began (an open transaction is rolled back); returns the result to reply.
 * generation: for a GET of a ROUTE_CACHE route after enter, the data's generation (0: the
 *   reply may not come from or go into the cache).
 * identity: the caller as the reply cache must tell callers apart (appended to key).
 * errmsg: what to add to the log line of a database or internal error.
 */
struct http_hooks {
	void *arg;
	px_err (*enter)(void *arg, struct http_req *r);
	px_err (*leave)(void *arg, struct http_req *r, px_err rc);
	uint64_t (*generation)(void *arg, struct http_req *r);
	void (*identity)(void *arg, struct http_req *r, struct buf *key);
	const char *(*errmsg)(void *arg, struct http_req *r);
};

/* Server lifecycle (server.c). */
struct http_server;
struct http_server_options {
	const char *listen; /* "127.0.0.1:8080" */
	int threads;
	const struct route *routes;
	size_t nroutes;
	const char *web_root; /* directory of the built web UI, or NULL */
	size_t upload_max;    /* cap for ROUTE_RAW_BODY routes */
	struct http_hooks hooks;
	bool trust_proxy;
	bool reply_cache; /* keep the replies of ROUTE_CACHE routes (reply_cache.h) */
};
px_err http_server_start(const struct http_server_options *o, struct http_server **out,
			 struct buf *why);
void http_server_stop(struct http_server *s);

#endif
