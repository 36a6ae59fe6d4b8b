/*
 * reply_cache.c — see reply_cache.h. One lock for the table: a hit holds it for a hash
 * compare and one copy of a few kilobytes.
 */
#include "http/reply_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

struct entry {
	uint64_t hash;
	uint64_t gen; /* 0: empty */
	char *key;
	size_t keylen;
	char *body;
	size_t len;
	char ctype[REPLY_CACHE_CTYPE];
};

struct reply_cache {
	pthread_mutex_t lock;
	struct entry slot[REPLY_CACHE_SLOTS];
};

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

struct reply_cache *reply_cache_new(void)
{
	struct reply_cache *c = xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

static void entry_clear(struct entry *e)
{
	free(e->key);
	free(e->body);
	memset(e, 0, sizeof *e);
}

void reply_cache_free(struct reply_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < REPLY_CACHE_SLOTS; i++)
		entry_clear(&c->slot[i]);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

bool reply_cache_get(struct reply_cache *c, const char *key, size_t keylen, uint64_t gen,
		     struct buf *body, char ctype[REPLY_CACHE_CTYPE])
{
	if (!gen)
		return false;
	uint64_t h = fnv1a(key, keylen);
	struct entry *e = &c->slot[h % REPLY_CACHE_SLOTS];
	bool hit = false;
	pthread_mutex_lock(&c->lock);
	if (e->gen == gen && e->hash == h && e->keylen == keylen && !memcmp(e->key, key, keylen)) {
		buf_add(body, e->body, e->len);
		memcpy(ctype, e->ctype, REPLY_CACHE_CTYPE);
		hit = !body->err;
	}
	pthread_mutex_unlock(&c->lock);
	return hit;
}

void reply_cache_put(struct reply_cache *c, const char *key, size_t keylen, uint64_t gen,
		     const char *ctype, const char *body, size_t len)
{
	if (!gen || len > REPLY_CACHE_MAX_BODY || strlen(ctype) >= REPLY_CACHE_CTYPE)
		return;
	uint64_t h = fnv1a(key, keylen);
	struct entry fresh = { .hash = h, .gen = gen, .keylen = keylen, .len = len };
	fresh.key = xmalloc(keylen);
	memcpy(fresh.key, key, keylen);
	fresh.body = xmalloc(len ? len : 1);
	if (len)
		memcpy(fresh.body, body, len);
	snprintf(fresh.ctype, sizeof fresh.ctype, "%s", ctype);
	struct entry *e = &c->slot[h % REPLY_CACHE_SLOTS];
	pthread_mutex_lock(&c->lock);
	/* A slow request's older reply does not push out a newer one. */
	struct entry old = fresh;
	if (e->gen <= gen) {
		old = *e;
		*e = fresh;
	}
	pthread_mutex_unlock(&c->lock);
	free(old.key);
	free(old.body);
}
