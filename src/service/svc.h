/*
 * svc.h — the operation layer: what peixun does, whoever asks.
 *
 * An operation (a use case: register a cadre, approve a plan, place a session) is a function
 * of src/service/ that takes one context, `struct svc`, and returns the error enum. The
 * context says who asks (a principal with its role and data scope, or the shell), in which
 * language, where problems go, which arena holds the results, and which database and keys
 * to use. The operation checks the caller's scope for every object it touches, runs its
 * transaction, writes its audit entry in that transaction, and gives back plain data or
 * the JSON view of a record. It knows nothing of HTTP: the API's handlers (src/api/) turn a
 * request into a call and the result into a reply, the commands of src/cli/ call the same
 * functions, and so does the job runner (jobs.h).
 *
 * Errors: an operation returns PX_OK or an error code. Field problems go to c->problems
 * (they become the `details` of an API error, or the lines a command prints); a message more
 * precise than the code's default goes to c->message.
 *
 * A family of records shares its skeletons (as Redis's ...Generic commands): a record kind
 * (struct svc_kind) names how to read one row, where it lies for scope checks, and its JSON
 * view, and svc_load, svc_create_generic, svc_update_generic, svc_delete_generic and
 * svc_list_generic do the rest the same way for every resource.
 */
#ifndef PX_SVC_H
#define PX_SVC_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/problem.h"
#include "domain/enums.h"
#include "domain/perm.h"

struct app;
struct store;
struct secret_keys;
struct sheet_spec;

struct svc {
	struct store *db;
	const struct principal *who; /* &principal_shell from the command line */
	const char *lang;            /* "zh-CN" or "en" */
	const char *ip;              /* for the audit log; "" from the shell */
	struct arena *arena;         /* results live here */
	struct problems *problems;   /* field problems of the last operation */
	const struct app *app;       /* configuration and the personal-data keys */
	const char *message;         /* set by an operation: its error's message, in lang */
};

/* A context for the shell (a command, a job without a caller): the operator's principal,
 * the language, and the caller's arena, problems, database and configuration. */
void svc_init_shell(struct svc *c, struct store *db, const struct app *app, const char *lang,
		    struct arena *arena, struct problems *problems);

const struct secret_keys *svc_keys(const struct svc *c);
/* The database's own words on the last failure (for a command's one-line reason). */
const char *svc_db_message(const struct svc *c);
/* Close the context's connection (a command's, from cli_open) and forget it. */
void svc_db_close(struct svc *c);
bool svc_en(const struct svc *c);
/* zh or en, whichever is the caller's language. */
const char *svc_text(const struct svc *c, const char *zh, const char *en);
/* The label of a vocabulary code in the caller's language. */
const char *svc_label(const struct svc *c, const struct enum_table *t, const char *code);

/* A problem with `field` (code: "required", "invalid", "duplicate" …), zh or en. */
void svc_problem(struct svc *c, const char *field, const char *code, const char *zh,
		 const char *en);
/* Set the message of the error `rc` (zh or en) and return rc. */
px_err svc_fail(struct svc *c, px_err rc, const char *zh, const char *en);
/* PX_ERR_INVALID when a problem has been added, else PX_OK. */
px_err svc_problems_rc(const struct svc *c);

/* The caller's scope for a permission, as a repository filter. */
struct scope_filter svc_scope(const struct svc *c, enum perm perm);
/* True when the caller holds `perm` at all. */
bool svc_has(const struct svc *c, enum perm perm);
/* True when the target is inside the caller's scope for `perm`. */
bool svc_may(const struct svc *c, enum perm perm, const struct scope_target *t);

/*
 * A record that an input field names (plan_id, unit_id …) must exist and lie inside the
 * caller's scope for `perm`. `rc` is what loading it answered and `t` where it lies (read
 * only when rc is PX_OK). A missing or out-of-scope record becomes a "not_found" problem on
 * `field` (zh or en) and the result is PX_OK so that validation goes on; any other error is
 * returned.
 */
px_err svc_check_reference(struct svc *c, px_err rc, enum perm perm, const struct scope_target *t,
			   const char *field, const char *zh, const char *en);

/* Transactions: svc_begin, then svc_commit with the outcome — the audit entry and the
 * commit when rc is PX_OK, else the rollback; returns the final outcome. The JSON values are
 * serialized, not taken. */
px_err svc_begin(struct svc *c);
px_err svc_commit(struct svc *c, px_err rc, const char *action, const char *entity, int64_t id,
		  json_t *before, json_t *after);
/* An audit entry of its own (a look at protected data, an export), in or out of a
 * transaction. */
px_err svc_audit(struct svc *c, const char *action, const char *entity, int64_t id, json_t *before,
		 json_t *after);

/* ---- around a request ---- */

/* The statements of a read (a GET) share one snapshot until svc_request_end. */
void svc_read_begin(struct svc *c);
/* End what a request began: a transaction still open is rolled back (a bug: true is
 * returned so the caller can say so), and the read snapshot ends. */
bool svc_request_end(struct svc *c);
/* A number that changes whenever the data may have (0: cannot vouch; store_generation). */
uint64_t svc_generation(struct svc *c);
/* The database's last error message, for a log line. */
const char *svc_db_error(struct svc *c);

/* ---- the shapes of views ---- */

/*
 * What a view holds, as data: the API's response schemas are made from these (openapi),
 * and the API tests check every reply against them strictly (no member missing, none
 * more), so a view and its shape cannot drift apart unnoticed.
 */
enum view_type {
	VIEW_INT,     /* an integer */
	VIEW_ID,      /* a record id, or null */
	VIEW_TEXT,    /* a string */
	VIEW_BOOL,    /* true or false */
	VIEW_TIME,    /* ISO 8601 UTC text ("2023-02-18T01:00:00Z"), or null */
	VIEW_NUMBER,  /* a number */
	VIEW_TEXTS,   /* an array of strings */
	VIEW_INTS,    /* an array of integers */
	VIEW_OBJECT,  /* an object of shape `of` (or any object when of is NULL) */
	VIEW_OBJECTS, /* an array of objects of shape `of` */
	VIEW_ANY,     /* any JSON value (an audit entry's before/after) */
};

struct view_spec;
struct view_field {
	const char *name;
	enum view_type type;
	const char *doc; /* what it is, in English */
	const struct view_spec *of;
	bool optional; /* may be absent (present only in some replies) */
	bool nullable; /* may be null as well (VIEW_TEXT, VIEW_OBJECT …) */
};

struct view_spec {
	const char *name; /* its name in the document: "Unit" */
	const struct view_field *fields;
	size_t n;
	/* A union instead of fields: the value has one of these shapes (a job's result is its
	 * kind's). */
	const struct view_spec *const *any_of;
	size_t n_any;
};

#define VIEW_SPEC(name, fields)                                                                    \
	{                                                                                          \
		name, fields, sizeof fields / sizeof fields[0], NULL, 0                            \
	}
#define VIEW_UNION(name, shapes)                                                                   \
	{                                                                                          \
		name, NULL, 0, shapes, sizeof shapes / sizeof shapes[0]                            \
	}

/* ---- the generic skeletons ---- */

struct svc_kind {
	const char *entity; /* its name in the audit log: "unit" */
	size_t row_size;
	/* Read one row by id into row (strings in c->arena); PX_ERR_NOT_FOUND if none. */
	px_err (*get)(struct svc *c, int64_t id, void *row);
	/* PX_OK when the row lies inside the caller's scope for perm, PX_ERR_NOT_FOUND when it
	 * does not (so ids cannot be probed), or an error of a lookup it needed. */
	px_err (*visible)(struct svc *c, enum perm perm, const void *row);
	/* The record as JSON: the API's reply and the audit log's before/after. */
	json_t *(*view)(struct svc *c, const void *row);
	const struct view_spec *shape; /* what view gives */
	/* The message of a stale version (someone else changed it), zh and en. */
	const char *stale_zh, *stale_en;
	/* How its list exports as .xlsx (sheets.h); NULL: it does not. */
	const struct sheet_spec *sheet;
};

/* Load the row `id` if it lies inside the caller's scope for perm, else not found. */
px_err svc_load(struct svc *c, const struct svc_kind *k, enum perm perm, int64_t id, void *row);

typedef px_err svc_insert_fn(struct svc *c, void *input, int64_t *id);
typedef px_err svc_change_fn(struct svc *c, const void *before, void *input);

/*
 * Create: in one transaction, insert(c, input, &id), read the new row back, write the audit
 * entry ("create", nothing → the view) and commit. *out (may be NULL) gets the view (caller
 * decrefs); *id_out (may be NULL) the new id.
 */
px_err svc_create_generic(struct svc *c, const struct svc_kind *k, svc_insert_fn *insert,
			  void *input, int64_t *id_out, json_t **out);
/*
 * Update the row `before` (loaded with svc_load, for the write permission): in one
 * transaction, its view, change(c, before, input), the row read back, the audit entry
 * (`action`, the view before → after) and the commit. A stale version (PX_ERR_CONFLICT without
 * problems) gets the kind's message. *out as for create.
 */
px_err svc_update_generic(struct svc *c, const struct svc_kind *k, const char *action,
			  const void *before, int64_t id, svc_change_fn *change, void *input,
			  json_t **out);
/* Delete the row `before`: in one transaction, del(c, before, NULL), audit (view → nothing),
 * commit. */
px_err svc_delete_generic(struct svc *c, const struct svc_kind *k, const void *before, int64_t id,
			  svc_change_fn *del);

/* What a list asks: the page, its size, a search text and a sort key (a repository's
 * whitelist decides what the key means). */
struct page_query {
	long page;
	long page_size;
	const char *q;
	const char *sort;
};

/* A page of a list: the views of its rows and the count of all. */
struct svc_page {
	json_t *items; /* array, caller decrefs */
	int64_t total;
	const struct sheet_spec *sheet; /* the list as .xlsx (sheets.h); NULL: not exported */
};

typedef px_err svc_list_fn(struct svc *c, const void *query, void **rows, size_t *n,
			   int64_t *total);

/* list(c, query, …) for the rows (the query carries the caller's scope), then each row's view;
 * the page's sheet is the kind's. */
px_err svc_list_generic(struct svc *c, const struct svc_kind *k, svc_list_fn *list,
			const void *query, struct svc_page *out);

/* ---- small conversions shared by the views ---- */

/* ISO 8601 UTC text of an epoch time, or JSON null for 0. */
json_t *svc_time_json(int64_t t);
/* An id as JSON, null when ≤ 0. */
json_t *svc_id_json(int64_t id);
/* A JSON array of at most `max` distinct positive integers (record ids) into ids; *n gets
 * how many. False for anything else (not an array, too many, a repeat, not an id). */
bool svc_json_ids(const json_t *arr, int64_t *ids, size_t max, size_t *n);
/* Codes joined by commas ("a,b") as a JSON array of strings; empty items are left out. */
json_t *svc_codes_json(const char *joined);

#endif
