/*
 * mask.h — masking personal data for lists, exports and stored text (个人信息去标识化展示).
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

/*
 * Mask, in place, every run of digits in free text that could be an ID or phone number:
 * digits (ASCII or fullwidth) joined by single spaces or hyphens, an ID number's final X
 * included, 8 digits or more — more than a spreadsheet's row numbers (1,048,576), fewer than
 * a local phone number with its area code. A run of 15 to 18 digits is ID-like and keeps its
 * first 6 (the region code, as mask_idcard); more than 18 are numbers run together and keep
 * none; 11 to 14 keep the first 3 and the last 4 (as
 * mask_phone); 8 to 10 the first 2 and the last 2. Each hidden digit becomes one '*', so the
 * text never grows; separators stay. A date (2023-02-18) at the start of a run, alone or
 * followed by a space, is left alone, and what follows it is a run of its own. Used on what is
 * stored beside personal data: import problems, which quote cells, and the search text an export
 * records. Returns how many runs were masked.
 */
size_t mask_numbers(char *text);

#endif
