/*
 * test_reply_cache.c — the server's reply cache: a reply comes back only for the same key
 * under the same generation; other keys, other generations, generation 0 and oversized
 * bodies get nothing; a slot's new entry replaces its old one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/reply_cache.h"

static const char json[] = "application/json; charset=utf-8";

static bool get(struct reply_cache *c, const char *key, uint64_t gen, struct buf *out)
{
	char ctype[REPLY_CACHE_CTYPE];
	buf_reset(out);
	bool hit = reply_cache_get(c, key, strlen(key), gen, out, ctype);
	if (hit)
		assert_string_equal(ctype, json);
	return hit;
}

static void put(struct reply_cache *c, const char *key, uint64_t gen, const char *body)
{
	reply_cache_put(c, key, strlen(key), gen, json, body, strlen(body));
}

static void test_hit_and_misses(void **state)
{
	(void)state;
	struct reply_cache *c = reply_cache_new();
	struct buf out = BUF_INIT(0);
	put(c, "7|2|zh-CN|/api/v1/cadres?4:page1:1", 5, "{\"items\":[1]}");
	assert_true(get(c, "7|2|zh-CN|/api/v1/cadres?4:page1:1", 5, &out));
	assert_string_equal(out.data, "{\"items\":[1]}");
	/* another user, language or query; another generation; generation 0 */
	assert_false(get(c, "8|2|zh-CN|/api/v1/cadres?4:page1:1", 5, &out));
	assert_false(get(c, "7|2|en|/api/v1/cadres?4:page1:1", 5, &out));
	assert_false(get(c, "7|2|zh-CN|/api/v1/cadres?4:page1:2", 5, &out));
	assert_false(get(c, "7|2|zh-CN|/api/v1/cadres?4:page1:1", 6, &out));
	assert_false(get(c, "7|2|zh-CN|/api/v1/cadres?4:page1:1", 0, &out));
	assert_int_equal(out.len, 0);
	/* a newer reply for the same key replaces the old */
	put(c, "7|2|zh-CN|/api/v1/cadres?4:page1:1", 6, "{\"items\":[2]}");
	assert_false(get(c, "7|2|zh-CN|/api/v1/cadres?4:page1:1", 5, &out));
	assert_true(get(c, "7|2|zh-CN|/api/v1/cadres?4:page1:1", 6, &out));
	assert_string_equal(out.data, "{\"items\":[2]}");
	/* … and a slow request's older reply does not push the newer one out */
	put(c, "7|2|zh-CN|/api/v1/cadres?4:page1:1", 5, "{\"items\":[1]}");
	assert_true(get(c, "7|2|zh-CN|/api/v1/cadres?4:page1:1", 6, &out));
	assert_string_equal(out.data, "{\"items\":[2]}");
	buf_release(&out);
	reply_cache_free(c);
}

static void test_bounds(void **state)
{
	(void)state;
	struct reply_cache *c = reply_cache_new();
	struct buf out = BUF_INIT(0);
	char *big = malloc(REPLY_CACHE_MAX_BODY + 2);
	memset(big, 'x', REPLY_CACHE_MAX_BODY + 1);
	big[REPLY_CACHE_MAX_BODY + 1] = '\0';
	put(c, "big", 3, big);
	assert_false(get(c, "big", 3, &out));
	big[REPLY_CACHE_MAX_BODY] = '\0';
	put(c, "big", 3, big);
	assert_true(get(c, "big", 3, &out));
	assert_int_equal(out.len, REPLY_CACHE_MAX_BODY);
	put(c, "zero", 0, "{}");
	assert_false(get(c, "zero", 0, &out));
	/* many keys: every slot gets used and replaced, and a hit is always the right body */
	char key[32], body[32];
	for (int i = 0; i < 4 * REPLY_CACHE_SLOTS; i++) {
		snprintf(key, sizeof key, "k%d", i);
		snprintf(body, sizeof body, "b%d", i);
		put(c, key, 9, body);
	}
	int hits = 0;
	for (int i = 0; i < 4 * REPLY_CACHE_SLOTS; i++) {
		snprintf(key, sizeof key, "k%d", i);
		snprintf(body, sizeof body, "b%d", i);
		if (get(c, key, 9, &out)) {
			assert_string_equal(out.data, body);
			hits++;
		}
	}
	assert_true(hits > 0 && hits <= REPLY_CACHE_SLOTS);
	free(big);
	buf_release(&out);
	reply_cache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hit_and_misses),
		cmocka_unit_test(test_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
