/*
 * mask.c — see mask.h.
 */
#include "domain/mask.h"

#include <string.h>

void mask_idcard(const char *id, char out[19])
{
	size_t n = strlen(id);
	memset(out, '*', 18);
	out[18] = '\0';
	if (n != 18)
		return;
	memcpy(out, id, 6);
	memcpy(out + 14, id + 14, 4);
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
