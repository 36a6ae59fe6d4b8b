/*
 * pdf.c — the PDFs' font and text (see pdf.h).
 */
#include "files/pdf.h"

#include <fontconfig/fontconfig.h>
#include <limits.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define FAMILY   "Peixun Noto Sans SC"
#define FALLBACK "Noto Sans CJK SC"

static char fonts_dir[PATH_MAX];
static const char *family = FALLBACK;
static pthread_once_t once = PTHREAD_ONCE_INIT;

void pdf_fonts_dir(const char *dir)
{
	snprintf(fonts_dir, sizeof fonts_dir, "%s", dir ? dir : "");
}

/* Add the fonts of dir to fontconfig for this process; true when our family is then found. */
static bool try_dir(const char *dir)
{
	char probe[PATH_MAX];
	int n = snprintf(probe, sizeof probe, "%s/peixun-sans-sc-regular.otf", dir);
	if (n < 0 || (size_t)n >= sizeof probe || access(probe, R_OK) != 0)
		return false; /* a path too long to name is no directory of ours */
	return FcConfigAppFontAddDir(FcConfigGetCurrent(), (const FcChar8 *)dir) == FcTrue;
}

static void find_fonts(void)
{
	/* a directory named is the only one looked in */
	bool found = fonts_dir[0] && try_dir(fonts_dir);
	char exe[PATH_MAX];
	ssize_t n = fonts_dir[0] ? -1 : readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		static const char *const rel[] = { "/../../fonts", "/../fonts",
						   "/../share/peixun/fonts" };
		for (size_t i = 0; !found && i < sizeof rel / sizeof rel[0]; i++) {
			char dir[PATH_MAX];
			int m = snprintf(dir, sizeof dir, "%s%s", exe, rel[i]);
			found = m > 0 && (size_t)m < sizeof dir && try_dir(dir);
		}
	}
	if (found) {
		family = FAMILY;
		return;
	}
	fprintf(stderr, "peixun: the PDF fonts (peixun-sans-sc-*.otf) were not found: PDFs are "
			"set in the system's " FALLBACK ", some of whose characters (如) this "
			"cairo prints blank; set pdf_fonts_dir or build them (ninja)\n");
}

const char *pdf_font(void)
{
	pthread_once(&once, find_fonts);
	return family;
}

double pdf_text_height(cairo_t *cr, const char *s, double w, const char *style)
{
	char font[128];
	snprintf(font, sizeof font, "%s %s", pdf_font(), style);
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(l, s, -1);
	int pw, ph;
	pango_layout_get_size(l, &pw, &ph);
	g_object_unref(l);
	return (double)ph / PANGO_SCALE;
}

double pdf_text(cairo_t *cr, const char *s, double x, double y, double w, double max_h,
		const char *style, bool center)
{
	char font[128];
	snprintf(font, sizeof font, "%s %s", pdf_font(), style);
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	if (max_h > 0) {
		pango_layout_set_height(l, (int)(max_h * PANGO_SCALE));
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	}
	if (center)
		pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	pango_layout_set_text(l, s, -1);
	int pw, ph;
	pango_layout_get_size(l, &pw, &ph);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
	return (double)ph / PANGO_SCALE;
}
