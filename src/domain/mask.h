/*
 * mask.h — masking personal data for lists and exports (个人信息去标识化展示).
 *
 * An ID number keeps its 6-digit region code and its last 4 characters
 * (350583********0011): enough for a clerk to tell two people apart, not enough to
 * reconstruct a birth date. A mobile number keeps 3 + 4 digits (138****5678).
 */
#ifndef PX_MASK_H
#define PX_MASK_H

#include <stddef.h>

/* out must hold 19 bytes. Input of the wrong length is masked entirely. */
void mask_idcard(const char *id, char out[19]);
/* out must hold at least strlen(phone) + 1 bytes and at least 12. */
void mask_phone(const char *phone, char *out, size_t size);

#endif
