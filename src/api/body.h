/*
 * body.h — request bodies as data: which fields a route reads, of which type, into which
 * member of the operation's input, with which rules.
 *
 * A body spec is the one description of a request body: api_body() reads a JSON body by it
 * into the operation's input struct, and the OpenAPI document's request schema is made from
 * it (openapi.c), so the document and the server cannot disagree. A field that the domain
 * validates points at the domain's field_def (its labels, whether it is required, its
 * length and vocabulary), so the rules the schema shows are the rules the operation holds
 * the value to.
 *
 * Reading only converts: a field that is absent leaves the input as the caller set it (its
 * default); checking the values is the operation's (the domain's rules, with messages that
 * name the field in the user's language). Fields not in the spec are ignored, so a client
 * may send back a record it read.
 */
#ifndef PX_API_BODY_H
#define PX_API_BODY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "domain/fields.h"
#include "http/http.h"

enum body_type {
	BODY_TEXT,   /* const char *: a string (numbers and booleans as text; an object or array
		      * as text that fails every check) */
	BODY_ID,     /* int64_t: a positive integer or numeric string; null, "" or 0 → 0;
		      * anything else → -1 (the operation reports it) */
	BODY_REF,    /* int64_t: a reference that may be cleared: null, "" or 0 → 0; a positive
		      * integer or numeric string → it; anything else → -2 */
	BODY_INT,    /* int64_t: an integer (a non-integer is a problem "invalid") */
	BODY_BOOL,   /* int: true/false → 1/0 (another value is a problem "invalid") */
	BODY_CODES,  /* const char *: an array of codes joined by ',' (or text as BODY_TEXT) */
	BODY_NUMBER, /* double: a number (another value is a problem "invalid") */
	BODY_JSON,   /* json_t * (borrowed from the body, valid during the request): an array or
		      * object the operation reads itself */
	BODY_RAW,    /* json_t *: the value as sent, JSON null included (borrowed as BODY_JSON):
		      * for an operation to which a key sent as null is not a key left out */
};

struct body_field {
	const char *name; /* NULL: def->name */
	enum body_type type;
	size_t offset;               /* of the member of the input struct */
	const struct field_def *def; /* the domain's rules and labels, or NULL */
	bool required;               /* when def is NULL */
	const char *doc;             /* what it is, in English (with def: more than its label) */
	const char *example;         /* a JSON value, for the document; for a field read as text
				      * or as sent, its JSON type is the one documented */
};

struct body_spec {
	const char *name; /* the schema's name in the document: "UnitForm" */
	const struct body_field *fields;
	size_t n;
};

#define BODY_SPEC(name, fields)                                                                    \
	{                                                                                          \
		name, fields, sizeof fields / sizeof fields[0]                                     \
	}

/* Read the request's JSON body by spec into input. An empty body is read as {} when
 * `optional`, else refused. PX_ERR_BAD_JSON for a body that is not a JSON object,
 * PX_ERR_INVALID after type problems (added to r->problems). */
px_err api_body(struct http_req *r, const struct body_spec *spec, void *input, bool optional);

/* The OpenAPI schema of a body spec (an object schema; caller decrefs). */
json_t *api_body_schema(const struct body_spec *spec);

#endif
