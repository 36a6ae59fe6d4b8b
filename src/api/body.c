/*
 * body.c — reading request bodies by their specs, and their schemas (see body.h).
 */
#include "api/body.h"

#include <string.h>

#include "api/api.h"

static void type_problem(struct http_req *r, const char *name, const char *zh, const char *en)
{
	problems_add(&r->problems, 0, name, "invalid", "%s", px_lang_is_en(r->lang) ? en : zh);
}

static void read_field(struct http_req *r, json_t *body, const struct body_field *f, char *input)
{
	const char *name = f->name ? f->name : f->def->name;
	json_t *v = json_object_get(body, name);
	if (!v)
		return;
	void *dst = input + f->offset;
	switch (f->type) {
	case BODY_TEXT: *(const char **)dst = api_json_text(r, body, name); break;
	case BODY_CODES: *(const char **)dst = api_json_codes(r, body, name); break;
	case BODY_ID: *(int64_t *)dst = api_json_id(body, name); break;
	case BODY_REF:
		if (json_is_null(v) || (json_is_string(v) && !*json_string_value(v)) ||
		    (json_is_integer(v) && json_integer_value(v) == 0))
			*(int64_t *)dst = 0;
		else
			*(int64_t *)dst =
				api_json_id(body, name) > 0 ? api_json_id(body, name) : -2;
		break;
	case BODY_INT:
		if (json_is_integer(v))
			*(int64_t *)dst = json_integer_value(v);
		else if (!json_is_null(v))
			type_problem(r, name, "应为整数", "Must be a whole number");
		break;
	case BODY_NUMBER:
		if (json_is_number(v))
			*(double *)dst = json_number_value(v);
		else if (!json_is_null(v))
			type_problem(r, name, "应为数字", "Must be a number");
		break;
	case BODY_BOOL:
		if (json_is_boolean(v))
			*(int *)dst = json_is_true(v);
		else if (!json_is_null(v))
			type_problem(r, name, "应为 true 或 false", "Must be true or false");
		break;
	case BODY_JSON: *(json_t **)dst = json_is_null(v) ? NULL : v; break;
	case BODY_RAW: *(json_t **)dst = v; break;
	}
}

px_err api_body(struct http_req *r, const struct body_spec *spec, void *input, bool optional)
{
	json_t *body = NULL;
	if (r->body.len || !optional) {
		px_err rc = http_json_body(r, &body);
		if (rc)
			return rc;
	}
	/* The body lives as long as the request: BODY_JSON members borrow from it. */
	json_decref(API(r)->body);
	API(r)->body = body;
	size_t before = problems_count(&r->problems);
	for (size_t i = 0; body && i < spec->n; i++)
		read_field(r, body, &spec->fields[i], input);
	return problems_count(&r->problems) > before ? PX_ERR_INVALID : PX_OK;
}

static const char *json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING: return "string";
	case JSON_INTEGER: return "integer";
	case JSON_REAL: return "number";
	case JSON_TRUE:
	case JSON_FALSE: return "boolean";
	case JSON_ARRAY: return "array";
	case JSON_OBJECT: return "object";
	case JSON_NULL: return NULL;
	}
	return NULL;
}

/* The type a client sends: the reader's own, else (a field read as text, or taken as sent)
 * its example's — a capacity read as text is documented as the integer clients send, and
 * text arrives as text either way (api_json_text). */
static const char *documented_type(enum body_type t, const json_t *ex)
{
	switch (t) {
	case BODY_TEXT: return ex && json_type_name(ex) ? json_type_name(ex) : "string";
	case BODY_ID:
	case BODY_REF:
	case BODY_INT: return "integer";
	case BODY_NUMBER: return "number";
	case BODY_BOOL: return "boolean";
	case BODY_CODES: return "array";
	case BODY_JSON:
	case BODY_RAW: return ex ? json_type_name(ex) : NULL;
	}
	return NULL;
}

json_t *api_body_schema(const struct body_spec *spec)
{
	json_t *props = json_object(), *required = json_array();
	for (size_t i = 0; i < spec->n; i++) {
		const struct body_field *f = &spec->fields[i];
		const struct field_def *d = f->def;
		const char *name = f->name ? f->name : d->name;
		json_t *ex = f->example ? json_loads(f->example, JSON_DECODE_ANY, NULL) : NULL;
		json_t *p = json_object();
		const char *type = documented_type(f->type, ex);
		if (type)
			json_object_set_new(p, "type", json_string(type));
		json_t *items = NULL;
		if (f->type == BODY_CODES)
			items = json_pack("{ss}", "type", "string");
		else if (type && !strcmp(type, "array") && json_array_size(ex) &&
			 json_type_name(json_array_get(ex, 0)))
			items = json_pack("{ss}", "type", json_type_name(json_array_get(ex, 0)));
		else if (type && !strcmp(type, "array"))
			items = json_object();
		if (items)
			json_object_set_new(p, "items", items);
		/* null reads as none (an id, a reference), as left out (a number), or as sent */
		if (f->type == BODY_ID || f->type == BODY_REF || f->type == BODY_INT ||
		    f->type == BODY_RAW)
			json_object_set_new(p, "nullable", json_true());
		if (f->type == BODY_ID)
			json_object_set_new(p, "minimum", json_integer(1));
		bool text = type && !strcmp(type, "string");
		if (d && d->max && text)
			json_object_set_new(p, "maxLength", json_integer(d->max));
		if (d && d->choices && (text || f->type == BODY_CODES)) {
			json_t *codes = json_array();
			for (size_t k = 0; k < d->choices->n; k++)
				json_array_append_new(codes,
						      json_string(d->choices->items[k].code));
			if (!d->required && text) /* an optional one may be empty: none */
				json_array_append_new(codes, json_string(""));
			json_object_set_new(f->type == BODY_CODES ? items : p, "enum", codes);
		}
		const char *doc = d ? d->en : f->doc;
		if (d)
			json_object_set_new(p, "description",
					    json_sprintf("%s (%s)%s%s%s", d->en, d->zh,
							 d->choices ? "; a code, or its label" : "",
							 f->doc ? ". " : "", f->doc ? f->doc : ""));
		else if (doc)
			json_object_set_new(p, "description", json_string(doc));
		if (ex)
			json_object_set_new(p, "example", ex);
		json_object_set_new(props, name, p);
		if (d ? d->required : f->required)
			json_array_append_new(required, json_string(name));
	}
	json_t *s = json_pack("{ss so}", "type", "object", "properties", props);
	if (json_array_size(required))
		json_object_set_new(s, "required", required);
	else
		json_decref(required);
	return s;
}
