/*
 * settings.h — the settings table, and the database's own health.
 */
#ifndef PX_STORE_SETTINGS_H
#define PX_STORE_SETTINGS_H

#include <stddef.h>

#include "store/store.h"

/* The value of key into value (truncated to size); PX_ERR_NOT_FOUND when unset. */
px_err settings_get(struct store *s, const char *key, char *value, size_t size);
/* Set a key that is not set yet. */
px_err settings_add(struct store *s, const char *key, const char *value);

/* The database answers a query, and its schema version (PX_ERR_DB when it does not). */
px_err store_ping(struct store *s, int *schema_version);

#endif
