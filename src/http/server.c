/*
 * server.c — libmicrohttpd glue: accepting requests, dispatching them through the route
 * table, checking login, permission and CSRF, and serving the web UI's static files.
 *
 * The daemon runs epoll with an internal thread pool. Everything the program decides about
 * a request — who calls, whether it may, its database connection and transaction — happens
 * in the hooks of http_server_options (http.h); this file only routes. A request's body is
 * collected into a buffer capped by its route (JSON: 256 KiB by default; uploads: upload_max), and
 * a body over the cap is read and dropped so that the client gets a clean 413 reply rather than a
 * reset connection.
 *
 * libmicrohttpd 0.9.75 answers with "Connection: close" if the reply is queued during the
 * first call for a request, so the first call only sets the request up and the reply is
 * queued on a later one (ARCHITECTURE.md).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/mem.h"
#include "http/http.h"
#include "http/reply_cache.h"

struct static_file {
	char *path; /* URL path, e.g. "/assets/index-abc.js" */
	char *data;
	size_t len;
	const char *type;
	char etag[24];
};

struct http_server {
	struct MHD_Daemon *daemon;
	struct http_server_options opt;
	struct static_file *files;
	size_t nfiles;
	struct reply_cache *replies; /* of ROUTE_CACHE routes */
};

/* ---- static files ---------------------------------------------------------------------- */

static const struct {
	const char *ext;
	const char *type;
} mime_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" },
	{ ".woff", "font/woff" },
	{ ".ttf", "font/ttf" },
	{ ".txt", "text/plain; charset=utf-8" },
};

static const char *mime_for(const char *path)
{
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof mime_types / sizeof mime_types[0]; i++)
		if (!strcmp(dot, mime_types[i].ext))
			return mime_types[i].type;
	return "application/octet-stream";
}

static void load_dir(struct http_server *s, const char *root, const char *rel)
{
	char *dirpath = xasprintf("%s%s", root, rel);
	DIR *d = opendir(dirpath);
	free(dirpath);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *relpath = xasprintf("%s/%s", rel, e->d_name);
		char *full = xasprintf("%s%s", root, relpath);
		struct stat st;
		if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
			load_dir(s, root, relpath);
		} else if (stat(full, &st) == 0 && S_ISREG(st.st_mode) &&
			   st.st_size < 32 * 1024 * 1024) {
			FILE *f = fopen(full, "rb");
			if (f) {
				struct static_file sf = { .path = relpath,
							  .len = (size_t)st.st_size };
				sf.data = xmalloc(sf.len + 1);
				if (fread(sf.data, 1, sf.len, f) == sf.len) {
					sf.type = mime_for(relpath);
					uint64_t h = 1469598103934665603ULL;
					for (size_t i = 0; i < sf.len; i++)
						h = (h ^ (unsigned char)sf.data[i]) *
						    1099511628211ULL;
					snprintf(sf.etag, sizeof sf.etag, "\"%016llx\"",
						 (unsigned long long)h);
					s->files = xrealloc(s->files,
							    (s->nfiles + 1) * sizeof *s->files);
					s->files[s->nfiles++] = sf;
					relpath = NULL;
				} else {
					free(sf.data);
				}
				fclose(f);
			}
		}
		free(relpath);
		free(full);
	}
	closedir(d);
}

static const struct static_file *find_file(struct http_server *s, const char *path)
{
	for (size_t i = 0; i < s->nfiles; i++)
		if (!strcmp(s->files[i].path, path))
			return &s->files[i];
	return NULL;
}

/* ---- request accessors ----------------------------------------------------------------- */

const char *http_query(struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

/* ---- the request cycle ----------------------------------------------------------------- */

static const char *pick_lang(struct http_req *r)
{
	const char *q = http_query(r, "lang");
	if (q && !strncmp(q, "en", 2))
		return "en";
	if (q && !strncmp(q, "zh", 2))
		return "zh-CN";
	const char *c = http_cookie(r, "px_lang");
	if (c && !strncmp(c, "en", 2))
		return "en";
	if (c && !strncmp(c, "zh", 2))
		return "zh-CN";
	const char *h = http_header(r, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
	return h && px_lang_is_en(h) ? "en" : "zh-CN";
}

/*
 * The client's address: the socket's peer, or behind a trusted proxy (trust_proxy) the last
 * address of X-Forwarded-For — the one that proxy appended. The ones before it are whatever
 * the client sent: taking the first would let any client choose the address its failed
 * logins are counted under (the login throttle's source), or pass for another's.
 */
static const char *client_ip(struct http_req *r, bool trust_proxy)
{
	if (trust_proxy) {
		const char *xff = http_header(r, "X-Forwarded-For");
		const char *last = xff ? strrchr(xff, ',') : NULL;
		last = last ? last + 1 : xff;
		while (last && (*last == ' ' || *last == '\t'))
			last++;
		size_t n = last ? strcspn(last, " \t") : 0;
		if (n)
			return arena_strndup(&r->arena, last, n);
	}
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char addr[INET6_ADDRSTRLEN] = "";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, addr,
				  sizeof addr);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, addr,
				  sizeof addr);
	}
	return arena_strdup(&r->arena, addr);
}

bool http_is_write(const char *method)
{
	return strcmp(method, "GET") && strcmp(method, "HEAD");
}

static void serve_static(struct http_server *s, struct http_req *r)
{
	const struct static_file *f = NULL;
	if (strstr(r->path, "..") == NULL)
		f = find_file(s, r->path);
	bool immutable = f && !strncmp(r->path, "/assets/", 8);
	if (!f && strncmp(r->path, "/assets/", 8))
		f = find_file(s, "/index.html"); /* the web app routes on the client */
	if (!f) {
		http_reply_error(r, PX_ERR_NOT_FOUND);
		return;
	}
	const char *inm = http_header(r, MHD_HTTP_HEADER_IF_NONE_MATCH);
	http_add_header(r, MHD_HTTP_HEADER_ETAG, f->etag);
	http_add_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
			immutable ? "public, max-age=31536000, immutable" : "no-cache");
	if (inm && !strcmp(inm, f->etag)) {
		r->status = 304;
		return;
	}
	http_reply_bytes(r, 200, f->type, f->data, f->len, NULL);
}

/* ---- the reply cache (reply_cache.h) --------------------------------------------------- */

static enum MHD_Result add_query_arg(void *cls, enum MHD_ValueKind kind, const char *name,
				     const char *value)
{
	(void)kind;
	/* Lengths first, so that no name or value can pass for a different query. */
	buf_printf(cls, "%zu:%s%zu:%s", strlen(name), name, value ? strlen(value) : 0,
		   value ? value : "");
	return MHD_YES;
}

/* The request as its handler sees it: caller, language, path, query. */
static void reply_key(struct http_server *s, struct http_req *r, struct buf *key)
{
	if (s->opt.hooks.identity)
		s->opt.hooks.identity(s->opt.hooks.arg, r, key);
	buf_printf(key, "|%s|%s?", r->lang, r->path);
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_query_arg, key);
}

static bool reply_from_cache(struct http_server *s, struct http_req *r, struct buf *key,
			     uint64_t gen)
{
	char ctype[REPLY_CACHE_CTYPE];
	if (!reply_cache_get(s->replies, key->data, key->len, gen, &r->out, ctype))
		return false;
	r->status = 200;
	r->content_type = arena_strdup(&r->arena, ctype);
	http_add_header(r, "X-Peixun-Cache", "hit");
	return true;
}

/* The program's checks (the enter hook), the body's media type, then the handler — or the
 * reply cache's copy of its last reply. Returns the result to reply: PX_OK when the reply is
 * made, an error code for the envelope. */
static px_err dispatch_route(struct http_server *s, struct http_req *r, const struct route *rt)
{
	px_err rc = PX_OK;
	if (s->opt.hooks.enter && (rc = s->opt.hooks.enter(s->opt.hooks.arg, r)))
		return rc;
	if (!(rt->flags & ROUTE_RAW_BODY) && r->body.len > 0) {
		const char *ct = http_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
		/* media types are case-insensitive (RFC 9110 §8.3.1) */
		if (!ct || strncasecmp(ct, "application/json", 16))
			return PX_ERR_MEDIA_TYPE;
	}
	/* A GET of a cacheable route: the same reply as last time while nothing committed. */
	struct buf key = BUF_INIT(0);
	uint64_t gen = 0;
	if (s->replies && (rt->flags & ROUTE_CACHE) && !strcmp(r->method, "GET") &&
	    s->opt.hooks.generation && (gen = s->opt.hooks.generation(s->opt.hooks.arg, r))) {
		reply_key(s, r, &key);
		if (!key.err && reply_from_cache(s, r, &key, gen)) {
			buf_release(&key);
			return PX_OK;
		}
	}
	rc = rt->handler(r);
	if (gen && !rc && !key.err && r->status == 200 && !r->headers && r->content_type)
		reply_cache_put(s->replies, key.data, key.len, gen, r->content_type, r->out.data,
				r->out.len);
	buf_release(&key);
	return rc;
}

static void dispatch(struct http_server *s, struct http_req *r)
{
	r->lang = pick_lang(r);
	r->ip = client_ip(r, s->opt.trust_proxy);
	r->user_agent = http_header(r, MHD_HTTP_HEADER_USER_AGENT);
	if (!r->user_agent)
		r->user_agent = "";

	bool path_matched = false;
	const struct route *rt =
		http_match(s->opt.routes, s->opt.nroutes, r->method, r->path, r, &path_matched);
	if (!rt) {
		if (path_matched)
			http_reply_error(r, PX_ERR_METHOD);
		else if (!strncmp(r->path, "/api/", 5) || !strcmp(r->path, "/healthz"))
			http_reply_error(r, PX_ERR_NOT_FOUND);
		else if (!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD"))
			serve_static(s, r);
		else
			http_reply_error(r, PX_ERR_METHOD);
		return;
	}
	r->route = rt;
	if (r->bad_path) {
		http_reply_error(r, PX_ERR_NOT_FOUND);
		return;
	}
	if (r->bad_query) {
		problems_add(&r->problems, 0, "query", "invalid", "%s",
			     px_lang_is_en(r->lang) ? "the query string holds a NUL (%00)"
						    : "查询参数含有空字符(%00)");
		http_reply_error(r, PX_ERR_INVALID);
		return;
	}
	if (r->body_too_large) {
		http_reply_error(r, PX_ERR_TOO_LARGE);
		return;
	}
	px_err rc = dispatch_route(s, r, rt);
	if (s->opt.hooks.leave)
		rc = s->opt.hooks.leave(s->opt.hooks.arg, r, rc);
	if (rc) {
		if ((rc == PX_ERR_DB || rc == PX_ERR_INTERNAL) && s->opt.hooks.errmsg)
			fprintf(stderr, "peixun: %s %s: %s (%s)\n", r->method, r->path,
				px_err_code(rc), s->opt.hooks.errmsg(s->opt.hooks.arg, r));
		buf_release(&r->out);
		r->headers = NULL;
		http_reply_error(r, rc);
	}
}

static struct MHD_Response *build_response(struct http_req *r)
{
	size_t len = r->out.len;
	char *data = buf_detach(&r->out, NULL);
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(data);
		return NULL;
	}
	if (r->content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'self'; img-src 'self' data: blob:; style-src 'self' "
				"'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'");
	if (!strncmp(r->path, "/api/", 5))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	for (struct http_header *h = r->headers; h; h = h->next)
		MHD_add_response_header(resp, h->name, h->value);
	return resp;
}

/* MHD's first word on every request, with the raw URI before it is decoded: the request's
 * state starts here (MHD hands it to on_request and on_completed as con_cls). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	struct http_req *r = xcalloc(1, sizeof *r);
	arena_init(&r->arena);
	r->conn = c;
	r->status = 200;
	buf_init(&r->out, 0);
	problems_init(&r->problems);
	/* A NUL in the decoded path would cut it short unseen ("/cadres/1%00x" would read as
	 * "/cadres/1"): such a path names nothing. In the query it would cut a value short
	 * (filename=a%00.exe read as "a"): such a query is refused. */
	const char *nul = uri ? strstr(uri, "%00") : NULL;
	const char *query = uri ? strchr(uri, '?') : NULL;
	r->bad_path = nul && (!query || nul < query);
	r->bad_query = nul && query && nul > query;
	return r;
}

/* The most of a refused body read and dropped before the reply (see on_request). */
#define HTTP_DRAIN_MAX (256ull * 1024 * 1024)

/* Hand r's reply to libmicrohttpd. */
static enum MHD_Result queue_reply(struct MHD_Connection *c, struct http_req *r)
{
	struct MHD_Response *resp = build_response(r);
	if (!resp)
		return MHD_NO;
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Answer at once, before the body (a body over its cap is refused without being read). */
static enum MHD_Result reply_now(struct MHD_Connection *c, struct http_req *r, px_err e)
{
	r->lang = pick_lang(r);
	http_reply_error(r, e);
	return queue_reply(c, r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct http_server *s = cls;
	struct http_req *r = *con_cls;
	(void)version;
	if (!r->method) {
		r->method = arena_strdup(&r->arena, method);
		r->path = arena_strdup(&r->arena, url);
		/* The body cap depends on the route: look it up now. */
		bool pm;
		const struct route *rt =
			http_match(s->opt.routes, s->opt.nroutes, method, url, NULL, &pm);
		size_t cap = HTTP_BODY_DEFAULT;
		if (rt && (rt->flags & ROUTE_RAW_BODY))
			cap = s->opt.upload_max;
		else if (rt && rt->body_max)
			cap = rt->body_max;
		buf_init(&r->body, cap);
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		/* Declared far too large: refused now, not after waiting for a body nobody sends.
		 * Declared somewhat too large (a 50 MB file where 20 may go): read and dropped, and
		 * refused after it. A reply sent while the client still sends is followed by the
		 * connection's close, and a close with unread data in it resets the connection:
		 * the client, still writing, may lose the reply and see only "connection reset". */
		unsigned long long declared = cl ? strtoull(cl, NULL, 10) : 0;
		if (declared > cap &&
		    (declared > 4 * (unsigned long long)cap || declared > HTTP_DRAIN_MAX))
			return reply_now(c, r, PX_ERR_TOO_LARGE);
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!r->body_too_large) {
			buf_add(&r->body, upload_data, *upload_data_size);
			if (r->body.err) {
				r->body_too_large = true;
				buf_release(&r->body);
			}
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	dispatch(s, r);
	return queue_reply(c, r);
}

/*
 * What libmicrohttpd reports. A client that goes away mid-request (a closed tab, a phone
 * losing its network) is not the server's problem and says nothing; anything else is one line
 * on stderr.
 */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	if (strstr(fmt, "closed by remote side") || strstr(fmt, "reset by peer") ||
	    strstr(fmt, "timed out") || strstr(fmt, "Broken pipe"))
		return;
	char line[512];
	vsnprintf(line, sizeof line, fmt, ap);
	size_t n = strlen(line);
	while (n && line[n - 1] == '\n')
		line[--n] = '\0';
	fprintf(stderr, "peixun: http: %s\n", line);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	struct http_req *r = *con_cls;
	if (!r)
		return;
	buf_release(&r->body);
	buf_release(&r->out);
	json_decref(r->error_extra);
	problems_release(&r->problems);
	arena_release(&r->arena);
	free(r);
	*con_cls = NULL;
}

static px_err parse_listen(const char *listen, struct sockaddr_in *sa, struct buf *why)
{
	const char *colon = strrchr(listen, ':');
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	char host[64];
	if (!colon || (size_t)(colon - listen) >= sizeof host) {
		buf_printf(why, "listen address '%s' is not HOST:PORT", listen);
		return PX_ERR_CONFIG;
	}
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535 ||
	    inet_pton(AF_INET, *host ? host : "0.0.0.0", &sa->sin_addr) != 1) {
		buf_printf(why, "listen address '%s' is not IPv4-HOST:PORT", listen);
		return PX_ERR_CONFIG;
	}
	sa->sin_port = htons((uint16_t)port);
	return PX_OK;
}

px_err http_server_start(const struct http_server_options *o, struct http_server **out,
			 struct buf *why)
{
	struct sockaddr_in sa;
	px_err rc = parse_listen(o->listen, &sa, why);
	if (rc)
		return rc;
	struct http_server *s = xcalloc(1, sizeof *s);
	s->opt = *o;
	s->replies = o->reply_cache ? reply_cache_new() : NULL;
	if (o->web_root && *o->web_root)
		load_dir(s, o->web_root, "");
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	/* No MHD_OPTION_LISTENING_ADDRESS_REUSE: given 1 it sets SO_REUSEPORT, and a second
	 * server on a port in use would silently share its connections with the first; given 0
	 * it drops SO_REUSEADDR too, and a server killed with connections open could not listen
	 * again for a minute (TIME_WAIT). Its default is SO_REUSEADDR alone: neither. */
	s->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
		(unsigned)(o->threads > 0 ? o->threads : 4), MHD_OPTION_NOTIFY_COMPLETED,
		on_completed, s, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)(32 * 1024), MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_END);
	if (!s->daemon) {
		buf_printf(why, "cannot listen on %s (in use, or not allowed)", o->listen);
		http_server_stop(s);
		return PX_ERR_IO;
	}
	*out = s;
	return PX_OK;
}

void http_server_stop(struct http_server *s)
{
	if (!s)
		return;
	if (s->daemon)
		MHD_stop_daemon(s->daemon);
	for (size_t i = 0; i < s->nfiles; i++) {
		free(s->files[i].path);
		free(s->files[i].data);
	}
	free(s->files);
	reply_cache_free(s->replies);
	free(s);
}
