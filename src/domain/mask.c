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
