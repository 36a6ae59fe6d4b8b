/*
 * request.c — what the API decides around every routed request: the server's hooks.
 *
 * enter: take this thread's database connection, open the request's read snapshot (a GET
 *   sees one consistent state), find the caller from the session cookie, then refuse what
 *   the route's permission does not allow — 401 without a login, 403 for a role that lacks
 *   the permission, and a write without the session's CSRF token — before any handler runs.
 *   Data scope is the operations' to check, object by object.
 * leave: a handler that returned inside a transaction is a bug: roll it back and say so;
 *   end the snapshot; hand the operation's message to the reply.
 * generation / identity: what the reply cache needs (the store's data generation; the user
 *   and role, so one caller's reply never reaches another).
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/secret.h"

static px_err enter(void *arg, struct http_req *r)
{
	struct app *app = arg;
	struct api_ctx *x = arena_alloc(&r->arena, sizeof *x);
	x->app = app;
	x->who.region_path = "";
	x->who.username = "";
	r->ctx = x;
	if (!(x->db = app_db(app)))
		return PX_ERR_DB;
	x->svc = (struct svc){ .db = x->db,
			       .who = &x->who,
			       .lang = r->lang,
			       .ip = r->ip,
			       .arena = &r->arena,
			       .problems = &r->problems,
			       .app = app };
	if (!http_is_write(r->method))
		svc_read_begin(&x->svc);
	px_err rc = api_authenticate(r);
	if (rc || r->route->perm == PERM_PUBLIC)
		return rc;
	if (x->who.role == ROLE_NONE)
		return PX_ERR_UNAUTHENTICATED;
	if (perm_scope(x->who.role, (enum perm)r->route->perm) == SCOPE_NONE)
		return PX_ERR_FORBIDDEN;
	if (http_is_write(r->method)) {
		const char *tok = http_header(r, "X-CSRF-Token");
		if (!tok || !x->csrf_token[0] || !secret_equal(tok, x->csrf_token))
			return PX_ERR_CSRF;
	}
	return PX_OK;
}

static px_err leave(void *arg, struct http_req *r, px_err rc)
{
	(void)arg;
	struct api_ctx *x = r->ctx;
	if (!x)
		return rc;
	json_decref(x->body);
	x->body = NULL;
	if (!x->db)
		return rc;
	if (svc_request_end(&x->svc)) {
		/* A handler returned inside a transaction: a bug, but never leave it open. */
		fprintf(stderr, "peixun: %s %s left a transaction open\n", r->method, r->path);
		if (!rc)
			rc = PX_ERR_INTERNAL;
	}
	if (rc && x->svc.message && !r->message)
		r->message = x->svc.message;
	return rc;
}

static uint64_t generation(void *arg, struct http_req *r)
{
	(void)arg;
	return svc_generation(api_svc(r));
}

static void identity(void *arg, struct http_req *r, struct buf *key)
{
	(void)arg;
	buf_printf(key, "%lld|%d", (long long)API(r)->who.user_id, (int)API(r)->who.role);
}

static const char *errmsg(void *arg, struct http_req *r)
{
	(void)arg;
	return API(r) && API(r)->db ? svc_db_error(api_svc(r)) : "";
}

void api_server_options(struct app *app, struct http_server_options *o)
{
	o->routes = api_routes;
	o->nroutes = api_route_count;
	o->hooks = (struct http_hooks){ .arg = app,
					.enter = enter,
					.leave = leave,
					.generation = generation,
					.identity = identity,
					.errmsg = errmsg };
}
