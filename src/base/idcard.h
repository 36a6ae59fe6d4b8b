/*
 * idcard.h — the 18-character resident identity number (居民身份证号码, GB 11643-1999).
 *
 * Layout: 6-digit address code, 8-digit birth date YYYYMMDD, 3-digit sequence (odd = male,
 * even = female), 1 check character. The check character is ISO 7064 MOD 11-2 over the first
 * 17 digits with weights 2^(17-i) mod 11 = 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, mapping the
 * remainder 0..10 to "10X98765432". A lower-case x is accepted and normalized to X.
 */
#ifndef PX_IDCARD_H
#define PX_IDCARD_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define IDCARD_LEN 18

/* Why a number was refused, for the row-by-row error report. */
enum idcard_problem {
	IDCARD_OK = 0,
	IDCARD_LENGTH,   /* not 18 characters */
	IDCARD_CHARS,    /* non-digit in the first 17, or a bad last character */
	IDCARD_REGION,   /* address code cannot exist (province part out of range) */
	IDCARD_BIRTH,    /* birth date invalid or in the future */
	IDCARD_CHECKSUM, /* check character does not match */
};

/*
 * Check s[0..n) (surrounding spaces are the caller's to trim). On success writes the
 * normalized number (upper-case X, NUL-terminated) to out[19], the birth date (days since
 * epoch) and gender ('M'/'F') when the pointers are non-NULL. `today` bounds the birth date.
 */
enum idcard_problem idcard_check(const char *s, size_t n, int32_t today, char out[IDCARD_LEN + 1],
				 int32_t *birth, char *gender);

/* The check character for 17 digits. */
char idcard_check_char(const char *digits17);

/* zh-CN / en text for a problem. */
const char *idcard_problem_message(enum idcard_problem p, const char *lang);

#endif
