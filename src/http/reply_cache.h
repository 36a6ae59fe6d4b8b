/*
 * reply_cache.h — replies of read routes kept for the next identical request.
 *
 * The office opens the same registry pages again and again (the first page of the cadre
 * list, a unit's cadres), and each costs a few joins and a page of JSON. A route flagged
 * ROUTE_CACHE keeps its 200 replies here, keyed by the whole request as the handler sees it
 * (the user, the language, the path, the query) and tagged with the store generation the
 * reply was computed under. An entry is served only to a request whose snapshot the store
 * gives the same generation (store_generation), so every commit, by this process or any
 * other, retires every entry; the key starts with the user, so one caller's reply (shaped by
 * their role and scope) can never reach another.
 *
 * Bounded: REPLY_CACHE_SLOTS direct-mapped slots (a new entry replaces its slot's old one) of
 * at most REPLY_CACHE_MAX_BODY bytes each. Safe to use from several threads.
 */
#ifndef PX_REPLY_CACHE_H
#define PX_REPLY_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define REPLY_CACHE_SLOTS    256
#define REPLY_CACHE_MAX_BODY (64u * 1024)
#define REPLY_CACHE_CTYPE    64

struct reply_cache;

struct reply_cache *reply_cache_new(void);
void reply_cache_free(struct reply_cache *c);

/* The reply for key under generation gen (non-zero): appended to body, its content type
 * copied to ctype. False when there is none. */
bool reply_cache_get(struct reply_cache *c, const char *key, size_t keylen, uint64_t gen,
		     struct buf *body, char ctype[REPLY_CACHE_CTYPE]);
/* Keep a reply (copied). Too large a body, or gen 0, keeps nothing. */
void reply_cache_put(struct reply_cache *c, const char *key, size_t keylen, uint64_t gen,
		     const char *ctype, const char *body, size_t len);

#endif
