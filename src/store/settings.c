/*
 * settings.c — the settings table: one text value per key (the personal-data key's check
 * value, and what later settings need). See settings.h.
 */
#include "store/settings.h"

#include <stdio.h>

px_err settings_get(struct store *s, const char *key, char *value, size_t size)
{
	struct store_stmt *st;
	px_err rc = store_prepare(s, "SELECT value FROM settings WHERE key = ?", &st);
	if (rc)
		return rc;
	bool row = false;
	if (!(rc = store_bindf(st, "t", key)))
		rc = store_step(st, &row);
	if (!rc && !row)
		rc = PX_ERR_NOT_FOUND;
	if (!rc)
		snprintf(value, size, "%s", store_column_text(st, 0));
	store_done(st);
	return rc;
}

px_err settings_add(struct store *s, const char *key, const char *value)
{
	return store_run(s, "INSERT INTO settings (key, value) VALUES (?, ?)", PX_OK, "tt", key,
			 value);
}

px_err store_ping(struct store *s, int *schema_version)
{
	int64_t one = 0;
	px_err rc = store_query_int64(s, "SELECT 1", &one, "");
	if (rc || one != 1)
		return PX_ERR_DB;
	return store_schema_version(s, schema_version);
}
