/*
 * test_base.c — the base layer: error table, buffers, dates, ID numbers, UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/date.h"
#include "base/err.h"
#include "base/idcard.h"
#include "base/jsonw.h"
#include "base/mem.h"
#include "base/secret.h"
#include "base/utf8.h"

int px_err_table_check(void);

static void test_err_table(void **state)
{
	(void)state;
	assert_int_equal(px_err_table_check(), 0);
	assert_string_equal(px_err_code(PX_ERR_NOT_FOUND), "not_found");
	assert_int_equal(px_err_http_status(PX_ERR_CSRF), 403);
	assert_int_equal(px_err_http_status(PX_ERR_LOCKED), 423);
	assert_string_equal(px_err_message(PX_ERR_FORBIDDEN, "en-US,en;q=0.9"),
			    "You are not allowed to do this");
	assert_string_equal(px_err_message(PX_ERR_FORBIDDEN, "zh-CN"), "无权执行此操作");
	assert_string_equal(px_err_message(PX_ERR_FORBIDDEN, NULL), "无权执行此操作");
	/* out-of-range codes map to internal_error rather than reading past the table */
	assert_string_equal(px_err_code((px_err)9999), "internal_error");
}

static void test_buf_cap_is_sticky(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(8);
	buf_puts(&b, "12345");
	assert_int_equal(b.err, PX_OK);
	buf_puts(&b, "6789");
	assert_int_equal(b.err, PX_ERR_TOO_LARGE);
	assert_int_equal(b.len, 5);
	buf_puts(&b, "x");
	assert_int_equal(b.len, 5);
	assert_string_equal(b.data, "12345");
	buf_release(&b);

	struct buf j = BUF_INIT(0);
	buf_json_escape(&j, "a\"b\\c\n\x01张", strlen("a\"b\\c\n\x01张"));
	assert_string_equal(j.data, "a\\\"b\\\\c\\n\\u0001张");
	buf_reset(&j);
	buf_xml_escape(&j, "<a href='x'>&</a>", 17);
	assert_string_equal(j.data, "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;");
	buf_release(&j);
}

static void test_arena(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	char *big = arena_alloc(&a, 100000);
	memset(big, 'x', 100000);
	for (int i = 0; i < 1000; i++) {
		char *s = arena_printf(&a, "row %d", i);
		assert_string_equal(s, arena_printf(&a, "row %d", i));
	}
	assert_true(a.used_total >= 100000);
	/* reset keeps one ordinary block and nothing of what was in it */
	arena_reset(&a);
	assert_int_equal(a.used_total, 0);
	assert_non_null(a.head);
	for (int i = 0; i < 3000; i++) {
		char *s = arena_printf(&a, "row %d", i);
		assert_string_equal(s, arena_printf(&a, "row %d", i));
		if (i % 100 == 0)
			arena_reset(&a);
	}
	arena_release(&a);
	assert_null(a.head);
}

static void test_dates(void **state)
{
	(void)state;
	assert_int_equal(date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(date_from_ymd(2023, 2, 18) - date_from_ymd(2023, 2, 25), -7);
	int y, m, d;
	date_to_ymd(date_from_ymd(2024, 2, 29), &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20240229);
	assert_int_equal(date_weekday(date_from_ymd(2023, 2, 18)), 5); /* a Saturday */
	const char *ok[] = { "2023-02-18", "2023/2/18", "2023.2.18", "20230218", "2023年2月18日" };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		assert_int_equal(date_parse(ok[i], strlen(ok[i])), date_from_ymd(2023, 2, 18));
	const char *bad[] = { "2023-02-29", "2023-13-01", "18/02/2023",  "2023-02",
			      "",           "abc",        "2023-02-18x", "1700-01-01" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(date_parse(bad[i], strlen(bad[i])), DATE_NONE);
	/* Excel: 44975 is 2023-02-18; 60 is the phantom 1900-02-29 */
	assert_int_equal(date_from_excel_serial(44975), date_from_ymd(2023, 2, 18));
	assert_int_equal(date_from_excel_serial(60), DATE_NONE);
	assert_int_equal(date_from_excel_serial(61), date_from_ymd(1900, 3, 1));
	char out[21];
	assert_string_equal(date_format(date_from_ymd(2023, 2, 25), out), "2023-02-25");
	assert_string_equal(time_format_iso(1676678400, out), "2023-02-18T00:00:00Z");
}

static void test_idcard(void **state)
{
	(void)state;
	int32_t today = date_from_ymd(2026, 11, 29);
	char out[19];
	int32_t birth;
	char gender;
	/* The GB 11643 worked example: 11010519491231002X */
	assert_int_equal(idcard_check("11010519491231002X", 18, today, out, &birth, &gender),
			 IDCARD_OK);
	assert_int_equal(birth, date_from_ymd(1949, 12, 31));
	assert_int_equal(gender, 'F');
	assert_int_equal(idcard_check("11010519491231002x", 18, today, out, NULL, NULL), IDCARD_OK);
	assert_string_equal(out, "11010519491231002X");
	/* 3·7+5·9+0·10+5·5+8·8+3·4+1·2+9·1+8·6+0·3+0·7+1·9+0·10+1·5+0·8+0·4+1·2 = 242 = 22·11 → "1"
	 */
	assert_int_equal(idcard_check_char("35058319800101001"), '1');
	assert_int_equal(idcard_check("350583198001010011", 18, today, NULL, NULL, &gender),
			 IDCARD_OK);
	assert_int_equal(gender, 'M');
	assert_int_equal(idcard_check("350583198001010018", 18, today, NULL, NULL, NULL),
			 IDCARD_CHECKSUM);
	assert_int_equal(idcard_check("35058319800101001", 17, today, NULL, NULL, NULL),
			 IDCARD_LENGTH);
	assert_int_equal(idcard_check("35058319800101A017", 18, today, NULL, NULL, NULL),
			 IDCARD_CHARS);
	assert_int_equal(idcard_check("350583198002300017", 18, today, NULL, NULL, NULL),
			 IDCARD_BIRTH);
	assert_int_equal(idcard_check("990583198001010017", 18, today, NULL, NULL, NULL),
			 IDCARD_REGION);
	/* a birth date after today is refused */
	char future[19] = "35058320300101001";
	future[17] = idcard_check_char(future);
	assert_int_equal(idcard_check(future, 18, today, NULL, NULL, NULL), IDCARD_BIRTH);
	assert_string_equal(idcard_problem_message(IDCARD_CHECKSUM, "en"),
			    "the ID number's check digit is wrong");
}

static void test_utf8(void **state)
{
	(void)state;
	assert_true(utf8_valid("南安市", strlen("南安市")));
	assert_false(utf8_valid("\xC0\xAF", 2));         /* overlong '/' */
	assert_false(utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
	assert_false(utf8_valid("\xE5\x8D", 2));         /* truncated */
	assert_false(utf8_valid("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
	assert_int_equal(utf8_length("南安a", strlen("南安a")), 3);
	/* a bad byte anywhere in or after a run of ASCII, a good character after one */
	for (size_t at = 0; at < 40; at++) {
		char text[48];
		memset(text, 'a', sizeof text);
		text[at] = (char)0xFF;
		assert_false(utf8_valid(text, sizeof text));
		assert_true(utf8_valid(text, at));
		memcpy(text + at, "南", 3);
		assert_true(utf8_valid(text, sizeof text));
		assert_false(utf8_valid(text, at + 2)); /* cut inside 南 */
	}

	/* "南安" in GBK is C4 CF B0 B2 */
	struct buf b = BUF_INIT(0);
	enum text_encoding enc;
	assert_int_equal(utf8_decode_file("\xC4\xCF\xB0\xB2", 4, &b, &enc), PX_OK);
	assert_int_equal(enc, TEXT_GB18030);
	assert_string_equal(b.data, "南安");
	buf_reset(&b);
	assert_int_equal(utf8_decode_file("\xEF\xBB\xBF南安", 9, &b, &enc), PX_OK);
	assert_int_equal(enc, TEXT_UTF8);
	assert_string_equal(b.data, "南安");
	buf_reset(&b);
	/* 0x80 alone is invalid in both encodings (GB18030 lead bytes are 0x81..0xFE) */
	assert_int_equal(utf8_decode_file("ab\x80", 3, &b, &enc), PX_ERR_ENCODING);
	buf_release(&b);

	const char *s = "\xE3\x80\x80 张三 \t";
	size_t n = utf8_trim(&s, strlen(s));
	assert_int_equal(n, strlen("张三"));
	assert_memory_equal(s, "张三", n);
}

static void test_jsonw(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(0);
	struct jsonw w = JSONW_INIT(&b);
	jw_object(&w);
	jw_kstr(&w, "s", "a\"b\\c\n\t\x01张");
	jw_kint(&w, "n", -9007199254740993LL);
	jw_kbool(&w, "t", true);
	jw_key(&w, "z");
	jw_str(&w, NULL);
	jw_key(&w, "a");
	jw_array(&w);
	jw_int(&w, 0);
	jw_str(&w, "");
	jw_end(&w);
	jw_end(&w);
	assert_string_equal(b.data, "{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001张\",\"n\":-9007199254740993,"
				    "\"t\":true,\"z\":null,\"a\":[0,\"\"]}");
	buf_release(&b);

	/* Every string of an alphabet with the bytes that need escaping, at every offset and
	 * length around the 8-byte steps of the fast scan, reads back as itself. */
	static const char *const alphabet[] = { "a",  "\"", "\\", "\x01", "\x1f", " ",
						"\n", "张", "/",  "\x7f", "~" };
	const size_t na = sizeof alphabet / sizeof alphabet[0];
	char text[256];
	for (unsigned seed = 1; seed < 3000; seed++) {
		size_t len = 0, pieces = seed % 37;
		unsigned x = seed * 2654435761u;
		for (size_t i = 0; i < pieces; i++) {
			x = x * 1103515245u + 12345u;
			/* mostly plain bytes, so that escapes land at every offset in a word */
			const char *piece = (x >> 16) % 4 ? "a" : alphabet[(x >> 8) % na];
			size_t n = strlen(piece);
			memcpy(text + len, piece, n);
			len += n;
		}
		text[len] = '\0';
		struct buf o = BUF_INIT(0);
		struct jsonw ow = JSONW_INIT(&o);
		jw_array(&ow);
		jw_str(&ow, text);
		jw_end(&ow);
		json_error_t err;
		json_t *j = json_loads(o.data, 0, &err);
		assert_non_null(j);
		assert_string_equal(json_string_value(json_array_get(j, 0)), text);
		json_decref(j);
		buf_release(&o);
	}
}

/* Sealed values: every length round-trips, the text is "v1:" + the base64 sodium itself
 * writes for those bytes, one changed byte is refused, and no two sealings repeat. */
static void test_secret(void **state)
{
	(void)state;
	assert_int_equal(secret_init(), PX_OK);
	struct secret_keys k;
	assert_int_equal(secret_keys_from_hex(&k, "000102030405060708090a0b0c0d0e0f"
						  "101112131415161718191a1b1c1d1e1f"),
			 PX_OK);
	char plain[80], text[200], again[200], b64[200];
	for (size_t n = 0; n < sizeof plain; n++) {
		plain[n] = (char)('0' + n % 10);
		assert_int_equal(secret_encrypt_to(&k, plain, n, text, sizeof text), PX_OK);
		assert_memory_equal(text, "v1:", 3);
		unsigned char bin[200];
		size_t blen = 0;
		assert_int_equal(sodium_base642bin(bin, sizeof bin, text + 3, strlen(text + 3),
						   NULL, &blen, NULL,
						   sodium_base64_VARIANT_ORIGINAL),
				 0);
		assert_int_equal(blen, crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n);
		sodium_bin2base64(b64, sizeof b64, bin, blen, sodium_base64_VARIANT_ORIGINAL);
		assert_string_equal(text + 3, b64);
		struct buf out = BUF_INIT(0);
		assert_int_equal(secret_decrypt(&k, text, &out), PX_OK);
		assert_int_equal(out.len, n);
		assert_memory_equal(out.data, plain, n);
		buf_release(&out);
		assert_int_equal(secret_encrypt_to(&k, plain, n, again, sizeof again), PX_OK);
		assert_string_not_equal(text, again);
		text[10] = text[10] == 'A' ? 'B' : 'A';
		assert_int_equal(secret_decrypt(&k, text, &out), PX_ERR_NO_KEY);
		buf_release(&out);
	}
	assert_int_equal(secret_encrypt_to(&k, plain, 40, text, 60), PX_ERR_TOO_LARGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_err_table), cmocka_unit_test(test_buf_cap_is_sticky),
		cmocka_unit_test(test_arena),     cmocka_unit_test(test_dates),
		cmocka_unit_test(test_idcard),    cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_jsonw),     cmocka_unit_test(test_secret),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
