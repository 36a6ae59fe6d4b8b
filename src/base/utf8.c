/*
 * utf8.c — see utf8.h.
 */
#include "base/utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>

bool utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if (c < 0x80) {
			/* most of a registry file is ASCII (digits, dates, commas): eight at a time
			 */
			for (i++; i + 8 <= n; i += 8) {
				uint64_t w;
				memcpy(&w, s + i, 8);
				if (w & 0x8080808080808080ULL)
					break;
			}
			continue;
		}
		size_t len;
		unsigned int cp;
		if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (n - i < len)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += len;
	}
	return true;
}

size_t utf8_length(const char *s, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

bool utf8_has_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F)
			return true;
	}
	return false;
}

px_err utf8_from_gb18030(const char *s, size_t n, struct buf *out)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return PX_ERR_INTERNAL;
	char *in = (char *)s;
	size_t inleft = n;
	px_err rc = PX_OK;
	while (inleft > 0) {
		/* Each GB18030 character is at most 4 bytes and becomes at most 4 bytes. */
		size_t room = inleft * 2 + 16;
		if ((rc = buf_grow(out, room)))
			break;
		char *o = out->data + out->len;
		size_t oleft = room;
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);
		out->len = (size_t)(o - out->data);
		out->data[out->len] = '\0';
		if (r == (size_t)-1 && errno != E2BIG) {
			rc = PX_ERR_ENCODING;
			break;
		}
	}
	iconv_close(cd);
	return rc;
}

px_err utf8_decode_file(const char *s, size_t n, struct buf *out, enum text_encoding *enc)
{
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
		s += 3;
		n -= 3;
		if (!utf8_valid(s, n))
			return PX_ERR_ENCODING;
	}
	if (utf8_valid(s, n)) {
		*enc = TEXT_UTF8;
		buf_add(out, s, n);
		return out->err;
	}
	*enc = TEXT_GB18030;
	return utf8_from_gb18030(s, n, out);
}

size_t utf8_trim(const char **sp, size_t n)
{
	const char *s = *sp;
	for (;;) {
		if (n && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')) {
			s++;
			n--;
		} else if (n >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0) {
			s += 3;
			n -= 3;
		} else {
			break;
		}
	}
	for (;;) {
		if (n &&
		    (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) {
			n--;
		} else if (n >= 3 && memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0) {
			n -= 3;
		} else {
			break;
		}
	}
	*sp = s;
	return n;
}

/* The code point of valid UTF-8 at s and its length. */
static size_t fold_decode(const unsigned char *s, unsigned *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xE0) {
		*cp = (unsigned)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
		return 2;
	}
	if (s[0] < 0xF0) {
		*cp = (unsigned)(s[0] & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		return 3;
	}
	*cp = (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3F) << 12 |
	      (unsigned)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
	return 4;
}

static bool fold_space(unsigned cp)
{
	return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0xA0 ||
	       (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

static bool fold_dropped(unsigned cp)
{
	return (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF;
}

static bool fold_refused(unsigned cp)
{
	return cp == 0xAD || cp == 0x061C || cp == 0x180E || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2061 && cp <= 0x206F);
}

bool utf8_foldable(const char *s, size_t n)
{
	/* CJK lead bytes are E4–E9; the folded characters start with C2, D8, E1, E2, E3 80 or
	 * EF, or are spaces: doubled, leading or trailing ones, and tab, CR, LF */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0xC2 || c == 0xD8 || c == 0xE1 || c == 0xE2 || c == 0xEF || c < 0x20 ||
		    (c == 0xE3 && i + 1 < n && (unsigned char)s[i + 1] == 0x80) ||
		    (c == ' ' && (i == 0 || i + 1 == n || s[i + 1] == ' ')))
			return true;
	}
	return false;
}

unsigned utf8_fold(const char *s, size_t n, struct buf *out)
{
	buf_reset(out);
	unsigned refused = 0;
	bool space = false; /* a space is owed before the next character */
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t k = fold_decode((const unsigned char *)s + i, &cp);
		if (fold_space(cp)) {
			space = out->len > 0;
		} else if (!fold_dropped(cp)) {
			if (!refused && fold_refused(cp))
				refused = cp;
			if (space)
				buf_putc(out, ' ');
			space = false;
			if (cp >= 0xFF10 && cp <= 0xFF19)
				buf_putc(out, (char)('0' + cp - 0xFF10));
			else if (cp >= 0xFF21 && cp <= 0xFF3A)
				buf_putc(out, (char)('A' + cp - 0xFF21));
			else if (cp >= 0xFF41 && cp <= 0xFF5A)
				buf_putc(out, (char)('a' + cp - 0xFF41));
			else
				buf_add(out, s + i, k);
		}
		i += k;
	}
	buf_putc(out, '\0');
	out->len--;
	return refused;
}
