/*
 * glyph_sheets — characters set by the PDFs' own code path (files/pdf.c), for the ink test
 * (glyphs.py).
 *
 *	glyph_sheets OUTDIR GROUP [--system-font] < characters (UTF-8)
 *
 * Writes OUTDIR/NNNN.pdf, each a document of its own (so each has its own font subset, as a
 * real timetable or certificate has) holding GROUP characters in a row of 14-point cells
 * starting at (10, 10), in the regular and then, in a second row, the bold weight.
 * --system-font sets them in the system's Noto Sans CJK SC instead, to show what the test
 * catches.
 */
#include <cairo-pdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files/pdf.h"

static size_t utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: glyph_sheets OUTDIR GROUP [--system-font] < chars\n");
		return 2;
	}
	int group = atoi(argv[2]);
	bool system_font = argc > 3 && !strcmp(argv[3], "--system-font");
	static char text[1 << 20];
	size_t len = fread(text, 1, sizeof text - 1, stdin);
	text[len] = '\0';
	char(*chars)[5] = calloc(len + 1, sizeof *chars);
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		size_t k = utf8_len((unsigned char)text[i]);
		if ((unsigned char)text[i] > ' ' && i + k <= len) {
			memcpy(chars[n], text + i, k);
			n++;
		}
		i += k;
	}
	if (system_font)
		pdf_fonts_dir("/nonexistent"); /* a directory named is the only one looked in */
	for (size_t g = 0; g * (size_t)group < n; g++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%04zu.pdf", argv[1], g);
		cairo_surface_t *s = cairo_pdf_surface_create(path, group * 14 + 20, 48);
		cairo_t *cr = cairo_create(s);
		for (size_t i = g * group; i < n && i < (g + 1) * (size_t)group; i++) {
			double x = 10 + (double)(i - g * group) * 14;
			pdf_text(cr, chars[i], x, 10, 14, 0, "10", false);
			pdf_text(cr, chars[i], x, 26, 14, 0, "Bold 10", false);
		}
		cairo_destroy(cr);
		cairo_surface_destroy(s);
	}
	printf("%zu characters in %zu documents\n", n, (n + group - 1) / group);
	free(chars);
	return 0;
}
