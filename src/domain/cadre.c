/*
 * cadre.c — see cadre.h.
 */
#include "domain/cadre.h"

#include <string.h>

#include "base/date.h"
#include "base/utf8.h"

/* clang-format off */
const struct field_def cadre_fields[CF__COUNT] = {
	[CF_NAME] = {"name", "姓名", "Name", true, 50, NULL},
	[CF_GENDER] = {"gender", "性别", "Gender", false, 0, &enum_gender},
	[CF_BIRTH_DATE] = {"birth_date", "出生日期", "Birth date", false, 0, NULL},
	[CF_ID_NUMBER] = {"id_number", "身份证号", "ID number", true, 32, NULL},
	[CF_PHONE] = {"phone", "手机号码", "Phone", false, 0, NULL},
	[CF_UNIT] = {"unit", "单位", "Unit", true, 100, NULL},
	[CF_POST] = {"post", "职务", "Post", false, 100, NULL},
	[CF_IS_HEAD] = {"is_head", "是否一把手", "First-in-command", false, 0, NULL},
	[CF_RANK_LEVEL] = {"rank_level", "职级层次", "Rank level", true, 0, &enum_rank_level},
	[CF_RANK_POSITION] = {"rank_position", "正副职", "Chief or deputy", false, 0, &enum_rank_position},
	[CF_GRADE] = {"grade", "公务员职级", "Civil-service grade", false, 0, &enum_grade},
	[CF_CATEGORY] = {"category", "干部类别", "Category", true, 0, &enum_category},
	[CF_POST_DATE] = {"post_date", "任现职时间", "In current post since", false, 0, NULL},
	[CF_PROMOTION_DATE] = {"promotion_date", "提拔时间", "Promoted on", false, 0, NULL},
	[CF_STATUS] = {"status", "状态", "Status", false, 0, &enum_status},
};
/* clang-format on */

static int en(const struct field_ctx *c)
{
	return px_lang_is_en(c->lang);
}

/* The ID number decides gender and birth date; explicit values must agree with it. */
static void check_id(struct field_ctx *c, const struct cadre_input *in, struct cadre *out)
{
	const struct field_def *f = &cadre_fields[CF_ID_NUMBER];
	const char *s = field_text(c, f, in->v[CF_ID_NUMBER], TEXT_PLAIN, f->max);
	if (!s)
		return;
	if (strchr(s, ' ')) { /* 350583 19800101 0011, as some offices group it */
		char *t = arena_strdup(c->arena, s), *k = t;
		for (const char *p = t; *p; p++)
			if (*p != ' ')
				*k++ = *p;
		*k = '\0';
		s = t;
	}
	int32_t birth;
	char gender;
	enum idcard_problem p =
		idcard_check(s, strlen(s), c->today, out->id_number, &birth, &gender);
	if (p != IDCARD_OK) {
		static const char *const codes[] = { "",       "length",     "invalid_characters",
						     "region", "birth_date", "checksum" };
		problems_add(c->pb, c->row, f->name, codes[p], "%s",
			     idcard_problem_message(p, c->lang));
		out->id_number[0] = '\0';
		return;
	}
	date_format(birth, out->birth_date);
	out->gender[0] = gender;
	out->gender[1] = '\0';

	const struct field_def *gf = &cadre_fields[CF_GENDER];
	const char *g = field_enum(c, gf, in->v[CF_GENDER], gf->choices);
	if (g && *g && strcmp(g, out->gender))
		problems_add(c->pb, c->row, "gender", "mismatch",
			     en(c) ? "Gender does not match the ID number"
				   : "性别与身份证号不一致");
	bool month; /* 出生年月: the year and month must agree */
	const char *b = field_month_date(c, &cadre_fields[CF_BIRTH_DATE], in->v[CF_BIRTH_DATE],
					 true, &month);
	if (b && *b && strncmp(b, out->birth_date, month ? 7 : 10))
		problems_add(c->pb, c->row, "birth_date", "mismatch",
			     en(c) ? "Birth date does not match the ID number (%s)"
				   : "出生日期与身份证号不一致(应为 %s)",
			     out->birth_date);
}

/* A career date may not precede the 16th birthday. */
static const char *career_date(struct field_ctx *c, const struct cadre *out, enum cadre_field k,
			       const char *s)
{
	const struct field_def *f = &cadre_fields[k];
	bool month; /* 任现职时间 is mostly written to the month: the first of it */
	const char *d = field_month_date(c, f, s, true, &month);
	if (d && *d && out->birth_date[0]) {
		int32_t day = date_parse(d, strlen(d));
		int32_t born = date_parse(out->birth_date, 10);
		if (day < born + 16 * 365) {
			problems_add(c->pb, c->row, f->name, "before_working_age",
				     en(c) ? "%s is before the age of 16" : "%s早于 16 周岁,请检查",
				     field_label(f, c->lang));
			return NULL;
		}
	}
	return d;
}

/* 正职 or 副职: as given, else from the rank level's word (正科级: 乡科级 and 正职); the two
 * must agree when both say it. */
static void rank_position(struct field_ctx *c, const struct cadre_input *in, struct cadre *out)
{
	const struct field_def *f = &cadre_fields[CF_RANK_POSITION];
	const char *given = field_enum(c, f, in->v[CF_RANK_POSITION], f->choices);
	const char *word = in->v[CF_RANK_LEVEL], *implied = NULL;
	if (word && out->rank_level) {
		size_t n = utf8_trim(&word, strlen(word));
		enum_synonym(&enum_rank_level, word, n, &implied);
	}
	if (given && *given && implied && strcmp(given, implied))
		problems_add(c->pb, c->row, f->name, "mismatch",
			     en(c) ? "%s does not match the rank level (%.*s)"
				   : "%s与职级层次(%.*s)不一致",
			     field_label(f, c->lang), (int)strlen(word), word);
	out->rank_position = given && *given ? given : implied ? implied : given;
}

int cadre_validate(struct field_ctx *c, const struct cadre_input *in, struct cadre *out)
{
	size_t before = problems_count(c->pb);
	memset(out, 0, sizeof *out);
	const struct field_def *f = cadre_fields;
	out->name = field_text(c, &f[CF_NAME], in->v[CF_NAME], TEXT_PERSON_NAME, f[CF_NAME].max);
	check_id(c, in, out);
	out->phone = field_phone(c, &f[CF_PHONE], in->v[CF_PHONE]);
	out->post = field_text(c, &f[CF_POST], in->v[CF_POST], TEXT_PLAIN, f[CF_POST].max);
	out->is_head = field_bool(c, &f[CF_IS_HEAD], in->v[CF_IS_HEAD]);
	out->rank_level =
		field_enum(c, &f[CF_RANK_LEVEL], in->v[CF_RANK_LEVEL], f[CF_RANK_LEVEL].choices);
	rank_position(c, in, out);
	out->grade = field_enum(c, &f[CF_GRADE], in->v[CF_GRADE], f[CF_GRADE].choices);
	out->category = field_enum(c, &f[CF_CATEGORY], in->v[CF_CATEGORY], f[CF_CATEGORY].choices);
	out->post_date = career_date(c, out, CF_POST_DATE, in->v[CF_POST_DATE]);
	out->promotion_date = career_date(c, out, CF_PROMOTION_DATE, in->v[CF_PROMOTION_DATE]);
	out->status = field_enum(c, &f[CF_STATUS], in->v[CF_STATUS], f[CF_STATUS].choices);
	if (out->status && !*out->status)
		out->status = "active";
	return (int)(problems_count(c->pb) - before);
}

size_t cadre_career_changes(struct arena *a, const struct cadre *b, const struct cadre *c,
			    struct cadre_change out[CADRE_CAREER_FIELDS])
{
	const struct cadre_change all[CADRE_CAREER_FIELDS] = {
		{ "post", b->post, c->post ? c->post : "", NULL },
		{ "rank_level", b->rank_level, c->rank_level, &enum_rank_level },
		{ "rank_position", b->rank_position ? b->rank_position : "",
		  c->rank_position ? c->rank_position : "", &enum_rank_position },
		{ "grade", b->grade, c->grade ? c->grade : "", &enum_grade },
		{ "category", b->category, c->category, &enum_category },
		{ "status", b->status, c->status ? c->status : "active", &enum_status },
		{ "is_head", b->is_head ? "1" : "0", c->is_head > 0 ? "1" : "0", NULL },
		{ "unit", arena_printf(a, "%lld", (long long)b->unit_id),
		  arena_printf(a, "%lld", (long long)c->unit_id), NULL },
	};
	size_t n = 0;
	for (size_t i = 0; i < CADRE_CAREER_FIELDS; i++)
		if (strcmp(all[i].old_value ? all[i].old_value : "",
			   all[i].new_value ? all[i].new_value : ""))
			out[n++] = all[i];
	return n;
}
