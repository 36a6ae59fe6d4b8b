/*
 * password.c — see password.h.
 */
#include "domain/password.h"

#include <ctype.h>
#include <string.h>

#include "base/err.h"
#include "base/utf8.h"

static const char *const common[] = {
	"password123", "Password123", "Passw0rd!",   "P@ssw0rd",   "P@ssw0rd123",  "Admin@123",
	"admin123456", "Abc@123456",  "Aa123456789", "Qwer1234!@", "1qaz@WSX3edc", "1qaz2wsx#EDC",
	"Huawei@123",  "Root@123456", "Abcd@1234",   "Zxcv@1234",
};

static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0)
		return false;
	for (const char *p = hay; *p; p++)
		if (!strncasecmp(p, needle, n))
			return true;
	return false;
}

int password_check(const char *pw, const char *username, const char *lang, struct problems *pb)
{
	int en = px_lang_is_en(lang);
	size_t before = problems_count(pb);
	size_t bytes = strlen(pw);
	size_t len = utf8_valid(pw, bytes) ? utf8_length(pw, bytes) : 0;
	if (len < PASSWORD_MIN || len > PASSWORD_MAX)
		problems_add(pb, 0, "password", "length",
			     en ? "The password must have %d to %d characters"
				: "密码长度应为 %d 至 %d 个字符",
			     PASSWORD_MIN, PASSWORD_MAX);
	int lower = 0, upper = 0, digit = 0, other = 0;
	for (const char *p = pw; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (islower(c))
			lower = 1;
		else if (isupper(c))
			upper = 1;
		else if (isdigit(c))
			digit = 1;
		else
			other = 1;
	}
	if (lower + upper + digit + other < 3)
		problems_add(pb, 0, "password", "complexity", "%s",
			     en ? "Use at least three of: lower case, upper case, digits, symbols"
				: "密码须包含小写字母、大写字母、数字、符号中的至少三类");
	if (username && strlen(username) >= 3 && contains_ci(pw, username))
		problems_add(pb, 0, "password", "contains_username", "%s",
			     en ? "The password must not contain the user name"
				: "密码不能包含用户名");
	for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
		if (!strcasecmp(pw, common[i]))
			problems_add(pb, 0, "password", "common", "%s",
				     en ? "This password is too common"
					: "该密码过于常见,容易被猜中");
	return (int)(problems_count(pb) - before);
}

int login_name_wait(int failures)
{
	if (failures < LOGIN_NAME_SLOW_AFTER)
		return 0;
	int wait = LOGIN_NAME_WAIT_FIRST;
	for (int k = failures - LOGIN_NAME_SLOW_AFTER; k > 0 && wait < LOGIN_NAME_WAIT_MAX; k--)
		wait *= 2;
	return wait < LOGIN_NAME_WAIT_MAX ? wait : LOGIN_NAME_WAIT_MAX;
}
