/*
 * mask.c — see mask.h.
 */
#include "domain/mask.h"

#include <stdbool.h>
#include <string.h>

void mask_idcard(const char *id, char out[19])
{
	size_t n = strlen(id);
	memset(out, '*', 18);
	out[18] = '\0';
	if (n != 18)
		return;
	memcpy(out, id, 6);
}

void mask_idcard_again(char masked[19])
{
	size_t n = strnlen(masked, 18);
	for (size_t i = 6; i < n; i++)
		masked[i] = '*';
}

void mask_phone(const char *phone, char *out, size_t size)
{
	size_t n = strlen(phone);
	if (size == 0)
		return;
	if (n + 1 > size)
		n = size - 1;
	memcpy(out, phone, n);
	out[n] = '\0';
	if (n >= 11) {
		/* keep the first 3 and the last 4 */
		for (size_t i = 3; i < n - 4; i++)
			out[i] = '*';
	} else if (n > 4) {
		for (size_t i = 2; i < n - 2; i++)
			out[i] = '*';
	} else {
		memset(out, '*', n);
	}
}

static bool ascii_digit(char c)
{
	return c >= '0' && c <= '9';
}

void mask_birth_month(const char *date, char out[8])
{
	out[0] = '\0';
	if (strlen(date) != 10 || date[4] != '-' || date[7] != '-')
		return;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !ascii_digit(date[i]))
			return;
	memcpy(out, date, 7);
	out[7] = '\0';
}

/* ---- numbers in free text ---- */

/* The length of the digit at s (1 ASCII, 3 fullwidth ０–９), or 0. */
static size_t digit_at(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (ascii_digit(s[0]))
		return 1;
	if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99)
		return 3;
	return 0;
}

/* The length of an X at s (X, x, Ｘ, ｘ), or 0. */
static size_t x_at(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (s[0] == 'X' || s[0] == 'x')
		return 1;
	if (u[0] == 0xEF && ((u[1] == 0xBC && u[2] == 0xB8) || (u[1] == 0xBD && u[2] == 0x98)))
		return 3;
	return 0;
}

static bool separator(char c)
{
	return c == ' ' || c == '-';
}

#define MAX_GROUPS 32

/* A run: where it ends, its digits, and its first groups of digits (how many digits each)
 * with the separator before each. */
struct run {
	const char *end;
	size_t digits; /* an ID number's X counted */
	size_t ngroups;
	size_t group[MAX_GROUPS];
	char sep[MAX_GROUPS]; /* sep[i]: before group i (sep[0] unused) */
};

static struct run read_run(const char *s)
{
	struct run r = { .ngroups = 1 };
	const char *p = s;
	for (;;) {
		size_t n = digit_at(p);
		if (n) {
			p += n;
			r.digits++;
			if (r.ngroups <= MAX_GROUPS)
				r.group[r.ngroups - 1]++;
			continue;
		}
		if (separator(*p) && digit_at(p + 1)) {
			if (++r.ngroups <= MAX_GROUPS)
				r.sep[r.ngroups - 1] = *p;
			p++;
			continue;
		}
		if (r.digits == 17 && (n = x_at(p)) != 0) {
			p += n;
			r.digits++;
		}
		break;
	}
	if (r.ngroups > MAX_GROUPS)
		r.ngroups = MAX_GROUPS;
	r.end = p;
	return r;
}

/* A run that starts with a date (year-month-day, hyphens) followed by nothing or a space:
 * the bytes of the date, else 0. */
static size_t leading_date(const char *p, const struct run *r)
{
	if (r->ngroups < 3 || r->group[0] != 4 || r->group[1] < 1 || r->group[1] > 2 ||
	    r->group[2] < 1 || r->group[2] > 2 || r->sep[1] != '-' || r->sep[2] != '-' ||
	    (r->ngroups > 3 && r->sep[3] != ' '))
		return 0;
	const char *q = p;
	for (size_t groups = 1;; q++) {
		size_t n = digit_at(q);
		if (n) {
			q += n - 1;
			continue;
		}
		if (*q != '-' || ++groups > 3)
			break;
	}
	return (size_t)(q - p);
}

size_t mask_numbers(char *text)
{
	size_t masked = 0;
	char *w = text;
	const char *p = text;
	while (*p) {
		if (!digit_at(p)) {
			*w++ = *p++;
			continue;
		}
		struct run r = read_run(p);
		size_t date = leading_date(p, &r);
		if (r.digits < 8 ||
		    date) { /* as it is; after a date, whatever follows on its own */
			size_t n = date ? date : (size_t)(r.end - p);
			memmove(w, p, n);
			w += n;
			p += n;
			continue;
		}
		size_t head = r.digits > 18 ? 0 : r.digits >= 15 ? 6 : r.digits >= 11 ? 3 : 2;
		size_t tail = r.digits >= 15 ? 0 : r.digits >= 11 ? 4 : 2;
		size_t k = 0; /* digits seen */
		while (p < r.end) {
			size_t n = digit_at(p);
			if (!n && r.digits == 18 && k == 17)
				n = x_at(p);
			if (!n) { /* a separator */
				*w++ = *p++;
				continue;
			}
			bool keep = k < head || k >= r.digits - tail;
			if (keep) {
				memmove(w, p, n);
				w += n;
			} else {
				*w++ = '*';
			}
			p += n;
			k++;
		}
		masked++;
	}
	*w = '\0';
	return masked;
}
