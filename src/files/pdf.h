/*
 * pdf.h — what every PDF of peixun shares: the font it is set in, and setting a text.
 *
 * Chinese is set in "Peixun Noto Sans SC", Noto Sans CJK SC without CFF subroutines (built
 * by scripts/pdf-font.py into <build>/fonts/): Debian 12's cairo subsets the subroutines of
 * the system's Noto wrongly for some glyphs, which then print as nothing (docs/files.md).
 * The fonts are looked for in the directory pdf_fonts_dir() names (only there), else beside the
 * program
 * (<bin>/../../fonts in the build tree, <bin>/../share/peixun/fonts installed); without them
 * the system's Noto Sans CJK SC is used and one line on stderr says what that costs.
 */
#ifndef PX_PDF_H
#define PX_PDF_H

#include <cairo.h>
#include <stdbool.h>

/* Where the PDF fonts are (call before the first PDF; NULL or "": look beside the
 * program). */
void pdf_fonts_dir(const char *dir);
/* The family PDFs are set in (registering the fonts on first use). */
const char *pdf_font(void);

/*
 * Set text s in a box at (x, y) of width w: wrapped by word and CJK character, with an
 * ellipsis when it runs out of max_h (0: no limit). style is "Bold 15", "9" … (weight and
 * size after the family). Returns the height used.
 */
double pdf_text(cairo_t *cr, const char *s, double x, double y, double w, double max_h,
		const char *style, bool center);
/* The height pdf_text would use for s in width w without a limit, nothing drawn. */
double pdf_text_height(cairo_t *cr, const char *s, double w, const char *style);

#endif
