/*
 * date.c — see date.h.
 */
#include "base/date.h"

#include <stdbool.h>
#include <string.h>

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool date_valid_ymd(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1)
		return false;
	int max = mdays[m - 1] + (m == 2 && is_leap(y));
	return d <= max;
}

int32_t date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int32_t)doe - 719468;
}

void date_to_ymd(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	const int era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int yy = (int)yoe + era * 400;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yy + (*m <= 2);
}

int date_weekday(int32_t days)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int w = (int)((days % 7 + 7 + 3) % 7);
	return w;
}

/* Read up to `max` digits; returns count read. */
static size_t digits(const char *s, size_t n, size_t max, int *out)
{
	size_t i = 0;
	int v = 0;
	while (i < n && i < max && s[i] >= '0' && s[i] <= '9')
		v = v * 10 + (s[i++] - '0');
	*out = v;
	return i;
}

/* The year and month at the start of s (1985-3, 1985/03, 1985.3, 1985年3月): the bytes read,
 * 0 when s does not start so. *unit: the month ended with 月. */
static size_t year_month(const char *s, size_t n, int *y, int *m, bool *unit)
{
	size_t i, k;
	if ((i = digits(s, n, 4, y)) != 4)
		return 0;
	if (i < n && (s[i] == '-' || s[i] == '/' || s[i] == '.'))
		i++;
	else if (n - i >= 3 && memcmp(s + i, "年", 3) == 0)
		i += 3;
	else
		return 0;
	if ((k = digits(s + i, n - i, 2, m)) == 0)
		return 0;
	i += k;
	*unit = n - i >= 3 && memcmp(s + i, "月", 3) == 0;
	return *unit ? i + 3 : i;
}

int32_t date_parse(const char *s, size_t n)
{
	int y, m, d;
	size_t i, k;
	bool unit;
	if (n == 8 && digits(s, n, 8, &y) == 8) {
		d = y % 100;
		m = y / 100 % 100;
		y /= 10000;
		return date_valid_ymd(y, m, d) ? date_from_ymd(y, m, d) : DATE_NONE;
	}
	if ((i = year_month(s, n, &y, &m, &unit)) == 0)
		return DATE_NONE;
	if (!unit) { /* separator before the day: - / . */
		if (i < n && (s[i] == '-' || s[i] == '/' || s[i] == '.'))
			i++;
		else
			return DATE_NONE;
	}
	if ((k = digits(s + i, n - i, 2, &d)) == 0)
		return DATE_NONE;
	i += k;
	if (n - i >= 3 && memcmp(s + i, "日", 3) == 0)
		i += 3;
	if (i != n)
		return DATE_NONE;
	return date_valid_ymd(y, m, d) ? date_from_ymd(y, m, d) : DATE_NONE;
}

int32_t date_parse_month(const char *s, size_t n)
{
	int y, m;
	bool unit;
	if (n == 6 && digits(s, n, 6, &y) == 6) { /* 198503 */
		m = y % 100;
		y /= 100;
	} else if (year_month(s, n, &y, &m, &unit) != n) {
		return DATE_NONE;
	}
	return date_valid_ymd(y, m, 1) ? date_from_ymd(y, m, 1) : DATE_NONE;
}

int32_t date_from_excel_serial(double serial)
{
	if (!(serial >= 1 && serial < 2958466))
		return DATE_NONE;
	int s = (int)serial;
	/* Excel counts 1900-02-29, which did not exist; serial 60 is that phantom day. */
	if (s == 60)
		return DATE_NONE;
	if (s > 60)
		s--;
	return date_from_ymd(1899, 12, 31) + s;
}

/* Write v as exactly `width` decimal digits (leading zeros). */
static void put_digits(char *out, unsigned v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

char *date_format(int32_t days, char *out)
{
	int y, m, d;
	if (days == DATE_NONE) {
		out[0] = '\0';
		return out;
	}
	date_to_ymd(days, &y, &m, &d);
	put_digits(out, (unsigned)y % 10000, 4);
	out[4] = '-';
	put_digits(out + 5, (unsigned)m, 2);
	out[7] = '-';
	put_digits(out + 8, (unsigned)d, 2);
	out[10] = '\0';
	return out;
}

int64_t time_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

int64_t time_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int32_t date_today_cst(void)
{
	return (int32_t)((time_now() + 8 * 3600) / 86400);
}

char *time_format_iso(int64_t t, char *out)
{
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
	int64_t secs = t - days * 86400;
	date_format((int32_t)days, out);
	out[10] = 'T';
	put_digits(out + 11, (unsigned)(secs / 3600), 2);
	out[13] = ':';
	put_digits(out + 14, (unsigned)(secs / 60 % 60), 2);
	out[16] = ':';
	put_digits(out + 17, (unsigned)(secs % 60), 2);
	out[19] = 'Z';
	out[20] = '\0';
	return out;
}
