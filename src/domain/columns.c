/*
 * columns.c — see columns.h.
 */
#include "domain/columns.h"

#include <string.h>

#include "domain/cadre.h"
#include "domain/unit.h"

#define NAMES(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* clang-format off */
const char *const *const cadre_column_names[CF__COUNT] = {
	[CF_NAME] = NAMES("姓名", "名字", "干部姓名", "人员姓名"),
	[CF_GENDER] = NAMES("性别", "sex"),
	[CF_BIRTH_DATE] = NAMES("出生年月", "出生日期", "出生年月日", "生日", "date of birth"),
	[CF_ID_NUMBER] = NAMES("身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "身份证",
			       "身份证件号码", "证件号码", "ID no.", "ID card"),
	[CF_PHONE] = NAMES("联系电话", "手机", "手机号码", "手机号", "电话", "电话号码", "联系方式",
			   "移动电话", "mobile", "phone number"),
	[CF_UNIT] = NAMES("单位", "单位名称", "工作单位", "所在单位", "现工作单位"),
	[CF_POST] = NAMES("职务", "现任职务", "现职务", "职务名称", "position"),
	[CF_IS_HEAD] = NAMES("是否一把手", "一把手"),
	[CF_RANK_LEVEL] = NAMES("职级", "职务层次", "职级层次", "现职级", "现职务层次"),
	[CF_GRADE] = NAMES("公务员职级", "职级(公务员)"),
	[CF_CATEGORY] = NAMES("干部类别", "人员类别", "干部类型"),
	[CF_POST_DATE] = NAMES("任现职时间", "任现职务时间", "任职时间", "任现职日期"),
	[CF_PROMOTION_DATE] = NAMES("提拔时间", "任现职级时间", "提拔日期", "任现职级日期"),
	[CF_STATUS] = NAMES("状态", "在职状态", "人员状态"),
};

const char *const *const unit_column_names[UF__COUNT] = {
	[UF_NAME] = NAMES("单位名称", "单位", "名称", "单位全称"),
	[UF_SHORT_NAME] = NAMES("单位简称", "简称"),
	[UF_TYPE] = NAMES("单位类型", "类型", "单位性质"),
	[UF_REGION] = NAMES("所属地区", "地区", "所在地区", "行政区划"),
	[UF_INDUSTRIES] = NAMES("主导产业", "产业", "主要产业"),
	[UF_CODE] = NAMES("单位代码", "统一社会信用代码", "组织机构代码", "机构代码"),
	[UF_SORT] = NAMES("排序号", "排序", "显示顺序"),
};
/* clang-format on */

static const char *const counter_names[] = { "序号", "序", "顺序号", "No.", "No", "#" };

/* Marks that say a column is required or optional, not what it holds (already folded). */
static const char *const marks[] = { "(必填)", "(必填项)", "(选填)", "(可选)", "(必须)" };

/* The code point at s (UTF-8, n bytes left) and its length in bytes. */
static unsigned decode(const unsigned char *s, size_t n, size_t *len)
{
	size_t want = s[0] < 0x80 ? 1 : s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
	if (want > n) {
		*len = n;
		return 0xFFFD;
	}
	*len = want;
	switch (want) {
	case 1: return s[0];
	case 2: return (unsigned)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
	case 3: return (unsigned)(s[0] & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
	default:
		return (unsigned)(s[0] & 0x07) << 18 | (unsigned)(s[1] & 0x3F) << 12 |
		       (unsigned)(s[2] & 0x3F) << 6 | (s[3] & 0x3F);
	}
}

/* Spaces of every kind, line breaks and the invisible characters a copy brings along. */
static bool is_space(unsigned cp)
{
	return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0xA0 || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200F) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
	       cp == 0x205F || cp == 0x2060 || cp == 0x3000 || cp == 0xFEFF;
}

size_t column_fold(const char *s, size_t n, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k = 0;
	if (!size)
		return 0;
	for (size_t i = 0; i < n && k + 1 < size;) {
		size_t len;
		unsigned cp = decode(p + i, n - i, &len);
		if (!is_space(cp) && cp != '*' && cp != 0xFF0A /* ＊ */) {
			if (cp >= 0xFF01 && cp <= 0xFF5E) /* full-width ASCII */
				cp -= 0xFEE0;
			if (cp < 0x80) {
				out[k++] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
			} else if (k + len < size) {
				memcpy(out + k, p + i, len);
				k += len;
			} else {
				break;
			}
		}
		i += len;
	}
	out[k] = '\0';
	for (size_t m = 0; m < sizeof marks / sizeof marks[0]; m++) {
		char *at = strstr(out, marks[m]);
		if (at) {
			size_t ml = strlen(marks[m]);
			memmove(at, at + ml, strlen(at + ml) + 1);
			k -= ml;
		}
	}
	while (k && (out[k - 1] == ':'))
		out[--k] = '\0';
	return k;
}

/* Whether folded equals the folding of name. */
static bool names(const char *folded, const char *name)
{
	char f[128];
	column_fold(name, strlen(name), f, sizeof f);
	return !strcmp(folded, f);
}

int column_field(const struct field_def *fields, const char *const *const *aliases, int nfields,
		 const char *folded)
{
	if (!*folded)
		return -1;
	for (int f = 0; f < nfields; f++) {
		if (names(folded, fields[f].zh) || names(folded, fields[f].en) ||
		    names(folded, fields[f].name))
			return f;
		for (const char *const *a = aliases ? aliases[f] : NULL; a && *a; a++)
			if (names(folded, *a))
				return f;
	}
	return -1;
}

bool column_is_counter(const char *folded)
{
	for (size_t i = 0; i < sizeof counter_names / sizeof counter_names[0]; i++)
		if (names(folded, counter_names[i]))
			return true;
	return false;
}
