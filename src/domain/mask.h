/*
 * mask.h — masking personal data for lists and exports (个人信息去标识化展示).
 *
 * What a role without cadre.reveal sees of a cadre, taken together, must leave the ID
 * number undetermined (docs/security.md counts the candidates). The number shows only its
 * 6-digit region code (350583************), which the unit gives away anyway; the birth date
 * shows its year and month (1985-03, 出生年月 as cadre forms print it); the gender fixes the
 * parity of the 17th digit. What remains is the day and the sequence number: a month's days
 * × 500, at least 14,000 numbers, the check digit following from the rest. The 8 birth-date
 * digits alone (the mask of old, 350583********0011) left nothing hidden beside a full birth
 * date. A mobile number keeps 3 + 4 digits (138****5678).
 */
#ifndef PX_MASK_H
#define PX_MASK_H

#include <stddef.h>

/* The region code and 12 stars; out must hold 19 bytes. Input of the wrong length is
 * masked entirely. */
void mask_idcard(const char *id, char out[19]);
/* Recompute a mask of an older rule (the region code and the last 4) in place: keeps the
 * first 6 characters, stars the rest. */
void mask_idcard_again(char masked[19]);
/* out must hold at least strlen(phone) + 1 bytes and at least 12. */
void mask_phone(const char *phone, char *out, size_t size);
/* A birth date as a role without cadre.reveal sees it: "1985-03-12" → "1985-03" (out holds
 * 8 bytes; anything not a YYYY-MM-DD date gives ""). */
void mask_birth_month(const char *date, char out[8]);

#endif
