/*
 * utf8.h — text validation and the GB18030 → UTF-8 conversion that Excel users need.
 *
 * Everything inside peixun is UTF-8. Text from outside (CSV files, form fields, JSON) is
 * checked here first: invalid UTF-8 is refused rather than repaired, because a repaired
 * name is a wrong name. CSV files saved by Excel on Chinese Windows are GBK; GB18030 is its
 * superset, so a file that is not valid UTF-8 is tried as GB18030 (via iconv).
 */
#ifndef PX_UTF8_H
#define PX_UTF8_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

/* True when s[0..n) is well-formed UTF-8 (no overlongs, surrogates or values > U+10FFFF). */
bool utf8_valid(const char *s, size_t n);

/* Number of code points in valid UTF-8. */
size_t utf8_length(const char *s, size_t n);

/* True when the text has a control character other than tab, CR, LF. */
bool utf8_has_control(const char *s, size_t n);

/*
 * Convert GB18030 bytes to UTF-8, appending to out. Returns PX_ERR_ENCODING on an invalid
 * sequence (out then holds a partial result the caller should discard).
 */
px_err utf8_from_gb18030(const char *s, size_t n, struct buf *out);

/* Text encodings a file may arrive in. */
enum text_encoding { TEXT_UTF8, TEXT_GB18030 };

/*
 * Decode a whole text file to UTF-8: strips a UTF-8 BOM; uses the bytes as they are when
 * valid UTF-8, else converts from GB18030. `*enc` tells which was used.
 */
px_err utf8_decode_file(const char *s, size_t n, struct buf *out, enum text_encoding *enc);

/* Trim ASCII whitespace and U+3000 (ideographic space) at both ends: returns new length. */
size_t utf8_trim(const char **s, size_t n);

#endif
