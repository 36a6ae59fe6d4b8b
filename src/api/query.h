/*
 * query.h — query strings as data: which parameters a route reads, of which type, into
 * which member of the operation's filter.
 *
 * Like a body spec (body.h), a query spec is the one description of a route's filters: the
 * handler reads the query string by it, and the OpenAPI document lists the parameters from
 * it. A parameter that is present but malformed — `unit_id=abc`, `is_head=perhaps`, a
 * status that is no status, a date that is no date — is a problem naming it (422), never a
 * filter silently dropped: a dropped filter would list, or export, the caller's whole scope.
 * An absent or empty parameter leaves the member as the caller set it.
 */
#ifndef PX_API_QUERY_H
#define PX_API_QUERY_H

#include <stddef.h>

#include "domain/enums.h"
#include "http/http.h"

enum query_type {
	QUERY_ID,   /* int64_t: a positive integer (a record id) */
	QUERY_INT,  /* int64_t: an integer within [min, max] */
	QUERY_BOOL, /* int: 1/true or 0/false */
	QUERY_TEXT, /* const char *: at most 200 characters of valid UTF-8, trimmed */
	QUERY_CODE, /* const char *: a code of the vocabulary `choices` */
	QUERY_DATE, /* const char *: YYYY-MM-DD */
};

struct query_field {
	const char *name;
	enum query_type type;
	size_t offset; /* of the member of the filter struct */
	const struct enum_table *choices;
	long min, max; /* QUERY_INT */
	const char *doc;
};

struct query_spec {
	const struct query_field *fields;
	size_t n;
};

#define QUERY_SPEC(fields)                                                                         \
	{                                                                                          \
		fields, sizeof fields / sizeof fields[0]                                           \
	}

/* Read the query string by spec into filter; PX_ERR_INVALID after problems. */
px_err api_query(struct http_req *r, const struct query_spec *spec, void *filter);

#endif
