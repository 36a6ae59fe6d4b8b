/*
 * idcard.c — see idcard.h.
 */
#include "base/idcard.h"

#include <string.h>

#include "base/date.h"

char idcard_check_char(const char *d)
{
	static const int weight[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	static const char map[] = "10X98765432";
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (d[i] - '0') * weight[i];
	return map[sum % 11];
}

enum idcard_problem idcard_check(const char *s, size_t n, int32_t today, char out[IDCARD_LEN + 1],
				 int32_t *birth, char *gender)
{
	char id[IDCARD_LEN + 1];
	if (n != IDCARD_LEN)
		return IDCARD_LENGTH;
	for (int i = 0; i < 17; i++) {
		if (s[i] < '0' || s[i] > '9')
			return IDCARD_CHARS;
		id[i] = s[i];
	}
	char last = s[17];
	if (last == 'x')
		last = 'X';
	if (!((last >= '0' && last <= '9') || last == 'X'))
		return IDCARD_CHARS;
	id[17] = last;
	id[18] = '\0';
	/* Province-level codes run 11..65 plus 71 (Taiwan), 81, 82 (Hong Kong, Macao). */
	int prov = (id[0] - '0') * 10 + (id[1] - '0');
	if (prov < 11 || (prov > 65 && prov != 71 && prov != 81 && prov != 82))
		return IDCARD_REGION;
	int y = 0, m = 0, d = 0;
	for (int i = 6; i < 10; i++)
		y = y * 10 + (id[i] - '0');
	m = (id[10] - '0') * 10 + (id[11] - '0');
	d = (id[12] - '0') * 10 + (id[13] - '0');
	if (y < 1900 || !date_valid_ymd(y, m, d))
		return IDCARD_BIRTH;
	int32_t born = date_from_ymd(y, m, d);
	if (today != DATE_NONE && born > today)
		return IDCARD_BIRTH;
	if (idcard_check_char(id) != last)
		return IDCARD_CHECKSUM;
	if (out)
		memcpy(out, id, sizeof id);
	if (birth)
		*birth = born;
	if (gender)
		*gender = ((id[16] - '0') % 2) ? 'M' : 'F';
	return IDCARD_OK;
}

const char *idcard_problem_message(enum idcard_problem p, const char *lang)
{
	static const char *const zh[] = {
		"",
		"身份证号应为 18 位",
		"身份证号含有非法字符",
		"身份证号的地区码无效",
		"身份证号中的出生日期无效",
		"身份证号校验位错误",
	};
	static const char *const en[] = {
		"",
		"the ID number must have 18 characters",
		"the ID number has invalid characters",
		"the ID number's region code is invalid",
		"the ID number's birth date is invalid",
		"the ID number's check digit is wrong",
	};
	if ((unsigned)p > IDCARD_CHECKSUM)
		p = IDCARD_CHARS;
	return px_lang_is_en(lang) ? en[p] : zh[p];
}
