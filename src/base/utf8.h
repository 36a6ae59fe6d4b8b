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

/*
 * Fold text as typed into what it plainly says, before any check judges it (valid UTF-8 in;
 * a copy into out, NUL-terminated): full-width digits and Latin letters (０–９, Ａ–Ｚ, ａ–ｚ)
 * become ASCII; every other kind of space (NBSP, U+2000–U+200A, U+202F, U+205F, U+3000)
 * and tab, CR and LF become a space; zero-width characters (U+200B–U+200D, U+2060, U+FEFF)
 * are dropped; runs of spaces become one, none at either end. Other invisible characters
 * that could make two texts look the same (the soft hyphen, direction marks and overrides,
 * U+2061–U+2064, U+206A–U+206F) are not folded: the first one is returned (its code point)
 * for the caller to refuse by name, else 0. Punctuation is left as it is (（兼） stays).
 */
unsigned utf8_fold(const char *s, size_t n, struct buf *out);
/* False when utf8_fold would copy s unchanged (a scan of its bytes: the common case). */
bool utf8_foldable(const char *s, size_t n);

/* Trim ASCII whitespace and U+3000 (ideographic space) at both ends: returns new length. */
size_t utf8_trim(const char **s, size_t n);

#endif
