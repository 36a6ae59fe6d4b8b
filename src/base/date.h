/*
 * date.h — calendar dates as day numbers, and the date formats office files carry.
 *
 * A date is held as `int32_t` days since 1970-01-01 (negative before), which makes
 * comparisons and spans plain integer arithmetic. Conversion uses Howard Hinnant's
 * days-from-civil algorithm (proleptic Gregorian), exact for every year we meet.
 */
#ifndef PX_DATE_H
#define PX_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define DATE_NONE INT32_MIN

bool date_valid_ymd(int y, int m, int d);
int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t days, int *y, int *m, int *d);
/* 0 = Monday … 6 = Sunday. */
int date_weekday(int32_t days);

/*
 * Parse what people type in Excel: 2023-02-18, 2023/2/18, 2023.2.18, 20230218,
 * 2023年2月18日. Returns DATE_NONE when the text is not a valid date.
 */
int32_t date_parse(const char *s, size_t n);
/* A month without its day, as registries write it (1985.03, 1985.3, 1985-3, 1985/03,
 * 1985年3月, 198503) → the first of that month; DATE_NONE for anything else, a whole date
 * included. */
int32_t date_parse_month(const char *s, size_t n);

/* An Excel serial day number (1900 date system) to a date. */
int32_t date_from_excel_serial(double serial);

/* Format as YYYY-MM-DD into out (at least 11 bytes). Returns out. */
char *date_format(int32_t days, char *out);

/* Today's date in UTC+8 (China Standard Time), the calendar the users live by. */
int32_t date_today_cst(void);

/* Seconds since the epoch, wall clock. */
int64_t time_now(void);
/* Monotonic milliseconds, for durations and time limits. */
int64_t time_mono_ms(void);
/* Format epoch seconds as an ISO 8601 UTC timestamp "2023-02-18T08:00:00Z" (21 bytes). */
char *time_format_iso(int64_t t, char *out);

#endif
