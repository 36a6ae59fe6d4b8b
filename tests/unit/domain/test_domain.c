/*
 * test_domain.c — the pure rules: permission matrix, masking, password policy, field and
 * cadre validation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "domain/cadre.h"
#include "domain/enums.h"
#include "domain/mask.h"
#include "domain/password.h"
#include "domain/perm.h"
#include "domain/unit.h"

static void test_permission_matrix(void **state)
{
	(void)state;
	/* the system admin manages accounts but sees no cadre data (SPEC §1) */
	assert_int_equal(perm_scope(ROLE_SYSADMIN, PERM_USER_WRITE), SCOPE_ALL);
	assert_int_equal(perm_scope(ROLE_SYSADMIN, PERM_CADRE_READ), SCOPE_NONE);
	assert_int_equal(perm_scope(ROLE_SYSADMIN, PERM_CADRE_EXPORT), SCOPE_NONE);
	/* the organization admin works inside its region subtree */
	assert_int_equal(perm_scope(ROLE_ORG_ADMIN, PERM_CADRE_READ), SCOPE_REGION);
	assert_int_equal(perm_scope(ROLE_ORG_ADMIN, PERM_CADRE_REVEAL), SCOPE_REGION);
	/* a liaison: its unit only, never unmasked numbers */
	assert_int_equal(perm_scope(ROLE_UNIT_LIAISON, PERM_CADRE_READ), SCOPE_UNIT);
	assert_int_equal(perm_scope(ROLE_UNIT_LIAISON, PERM_CADRE_EXPORT), SCOPE_UNIT);
	assert_int_equal(perm_scope(ROLE_UNIT_LIAISON, PERM_CADRE_REVEAL), SCOPE_NONE);
	assert_int_equal(perm_scope(ROLE_UNIT_LIAISON, PERM_USER_WRITE), SCOPE_NONE);
	/* a trainee sees itself; the viewer sees aggregates, not people */
	assert_int_equal(perm_scope(ROLE_TRAINEE, PERM_CADRE_READ), SCOPE_SELF);
	assert_int_equal(perm_scope(ROLE_TRAINEE, PERM_CADRE_WRITE), SCOPE_NONE);
	assert_int_equal(perm_scope(ROLE_VIEWER, PERM_STATS_READ), SCOPE_REGION);
	assert_int_equal(perm_scope(ROLE_VIEWER, PERM_CADRE_READ), SCOPE_NONE);
	assert_int_equal(perm_scope(ROLE_EXPERT, PERM_CADRE_READ), SCOPE_NONE);
	/* nobody logged in: public routes only */
	assert_int_equal(perm_scope(ROLE_NONE, PERM_PUBLIC), SCOPE_ALL);
	assert_int_equal(perm_scope(ROLE_NONE, PERM_LOGGED_IN), SCOPE_NONE);
	/* every role may use logged-in routes */
	for (int r = ROLE_SYSADMIN; r < ROLE__COUNT; r++)
		assert_int_equal(perm_scope((enum role)r, PERM_LOGGED_IN), SCOPE_ALL);
	assert_int_equal(role_from_code("org_admin"), ROLE_ORG_ADMIN);
	assert_int_equal(role_from_code("root"), ROLE_NONE);
	assert_int_equal(role_from_code(NULL), ROLE_NONE);
}

static void test_scope_contains(void **state)
{
	(void)state;
	struct principal admin = { .role = ROLE_ORG_ADMIN, .region_path = "/1/2/3/" };
	struct scope_target inside = { .region_path = "/1/2/3/" };
	struct scope_target below = { .region_path = "/1/2/3/9/" };
	struct scope_target sibling = { .region_path = "/1/2/4/" };
	struct scope_target prefix_trap = { .region_path = "/1/2/30/" };
	assert_true(scope_contains(&admin, SCOPE_REGION, &inside));
	assert_true(scope_contains(&admin, SCOPE_REGION, &below));
	assert_false(scope_contains(&admin, SCOPE_REGION, &sibling));
	assert_false(scope_contains(&admin, SCOPE_REGION, &prefix_trap));
	struct principal nowhere = { .role = ROLE_ORG_ADMIN, .region_path = "" };
	assert_false(scope_contains(&nowhere, SCOPE_REGION, &inside));
	struct principal liaison = { .role = ROLE_UNIT_LIAISON, .unit_id = 5 };
	assert_true(scope_contains(&liaison, SCOPE_UNIT, &(struct scope_target){ .unit_id = 5 }));
	assert_false(scope_contains(&liaison, SCOPE_UNIT, &(struct scope_target){ .unit_id = 6 }));
	struct principal unanchored = { .role = ROLE_UNIT_LIAISON, .unit_id = 0 };
	assert_false(
		scope_contains(&unanchored, SCOPE_UNIT, &(struct scope_target){ .unit_id = 0 }));
	struct principal trainee = { .role = ROLE_TRAINEE, .cadre_id = 7 };
	assert_true(scope_contains(&trainee, SCOPE_SELF, &(struct scope_target){ .cadre_id = 7 }));
	assert_false(scope_contains(&trainee, SCOPE_SELF, &(struct scope_target){ .cadre_id = 8 }));
	assert_false(scope_contains(&trainee, SCOPE_NONE, &(struct scope_target){ .cadre_id = 7 }));
}

static void test_masking(void **state)
{
	(void)state;
	char out[24];
	/* the region code only: the birth date and the sequence number are both hidden */
	mask_idcard("350583198001010011", out);
	assert_string_equal(out, "350583************");
	mask_idcard("123", out);
	assert_string_equal(out, "******************");
	char old[19] = "350583********0011"; /* a mask of the older rule, recomputed */
	mask_idcard_again(old);
	assert_string_equal(old, "350583************");
	char none[19] = "******************";
	mask_idcard_again(none);
	assert_string_equal(none, "******************");
	char month[8];
	mask_birth_month("1985-03-12", month);
	assert_string_equal(month, "1985-03");
	mask_birth_month("1985-03", month);
	assert_string_equal(month, "");
	mask_birth_month("1985x03-12", month);
	assert_string_equal(month, "");
	mask_phone("13800001111", out, sizeof out);
	assert_string_equal(out, "138****1111");
	mask_phone("0595-86381234", out, sizeof out);
	assert_string_equal(out, "059******1234");
	mask_phone("1234", out, sizeof out);
	assert_string_equal(out, "****");
}

/* mask_numbers on one text: the result and how many runs it masked. */
static void check_numbers(const char *in, const char *want, size_t runs)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", in);
	assert_int_equal(mask_numbers(buf), runs);
	assert_string_equal(buf, want);
}

static void test_mask_numbers(void **state)
{
	(void)state;
	/* an ID number quoted in a problem message (shifted into the rank column) */
	check_numbers("职级层次:无法识别「350583198503126705」,可选值为 乡科级、一般干部",
		      "职级层次:无法识别「350583************」,可选值为 乡科级、一般干部", 1);
	check_numbers("11010519491231002X", "110105************", 1);
	check_numbers("11010519491231002x tail", "110105************ tail", 1);
	check_numbers("350583 19850312 6705", "350583 ******** ****", 1);
	check_numbers("350583-1985-03-12-6705", "350583-****-**-**-****", 1);
	check_numbers("３５０５８３１９８５０３１２６７０５", "３５０５８３************", 1);
	check_numbers("350583850312670", "350583*********", 1); /* 15 digits: the old ID form */
	/* phone-like runs: 3 + 4 as the lists show a mobile, 2 + 2 below 11 digits */
	check_numbers("手机号码:「1381234567８9」不是有效的电话号码",
		      "手机号码:「138*****67８9」不是有效的电话号码", 1);
	check_numbers("13812345678", "138****5678", 1);
	check_numbers("138 1234 5678", "138 **** 5678", 1);
	check_numbers("0595-86381234", "059*-****1234", 1);
	check_numbers("86381234", "86****34", 1);
	/* numbers run together by a space: more than 18 digits hide them all */
	check_numbers("张三 13812345678 350583198503126705", "张三 *********** ******************",
		      1);
	/* left alone: short numbers, row numbers, dates; text around them */
	check_numbers("第 1048576 行与第 12 行重复", "第 1048576 行与第 12 行重复", 0);
	check_numbers("出生日期与身份证号不一致(应为 1985-03-12)",
		      "出生日期与身份证号不一致(应为 1985-03-12)", 0);
	check_numbers("2023-02-18 2023-02-25", "2023-02-18 2023-02-25", 0);
	check_numbers("2023-02-18 13812345678", "2023-02-18 138****5678", 1);
	check_numbers("应为 0 至 100 之间的整数", "应为 0 至 100 之间的整数", 0);
	check_numbers("1234567", "1234567", 0);
	check_numbers("", "", 0);
	check_numbers("12345678X", "12****78X", 1); /* an X only ends an 18-character number */
	check_numbers("张三", "张三", 0);
	/* two runs apart */
	check_numbers("13812345678、13987654321", "138****5678、139****4321", 2);
	/* a truncated fullwidth digit at the end does not read past the text */
	check_numbers("1234567\xEF\xBC", "1234567\xEF\xBC", 0);
}

static void test_password_policy(void **state)
{
	(void)state;
	struct problems pb;
	problems_init(&pb);
	assert_int_equal(password_check("Nanan-2023-train", "admin", "zh", &pb), 0);
	assert_int_equal(password_check("short1A", "admin", "zh", &pb), 1);
	assert_string_equal(pb.items[0].code, "length");
	problems_release(&pb);
	assert_int_equal(password_check("alllowercaseletters", "x", "en", &pb), 1);
	assert_string_equal(pb.items[0].code, "complexity");
	problems_release(&pb);
	assert_int_equal(password_check("Admin-12345678", "admin", "en", &pb), 1);
	assert_string_equal(pb.items[0].code, "contains_username");
	assert_string_equal(pb.items[0].message, "The password must not contain the user name");
	problems_release(&pb);
	assert_int_equal(password_check("1qaz@WSX3edc", "bob", "zh", &pb), 1);
	assert_string_equal(pb.items[0].code, "common");
	problems_release(&pb);
	/* failed logins of a name from every address: no wait below the limit, then a wait
	 * that doubles with each failure up to a minute — slowed, never locked */
	assert_int_equal(login_name_wait(0), 0);
	assert_int_equal(login_name_wait(49), 0);
	assert_int_equal(login_name_wait(50), 15);
	assert_int_equal(login_name_wait(51), 30);
	assert_int_equal(login_name_wait(52), 60);
	assert_int_equal(login_name_wait(53), 60);
	assert_int_equal(login_name_wait(100000), 60);
}

static struct field_ctx ctx(struct problems *pb, struct arena *a, const char *lang)
{
	return (struct field_ctx){
		.pb = pb, .arena = a, .lang = lang, .row = 7, .today = date_from_ymd(2026, 11, 29)
	};
}

static void test_cadre_validation(void **state)
{
	(void)state;
	struct problems pb;
	struct arena a;
	problems_init(&pb);
	arena_init(&a);
	struct field_ctx c = ctx(&pb, &a, "zh-CN");
	struct cadre_input in = { { [CF_NAME] = " 买买提·艾力 ",
				    [CF_ID_NUMBER] = "350583198001010011",
				    [CF_RANK_LEVEL] = "乡科级",
				    [CF_CATEGORY] = "公务员",
				    [CF_IS_HEAD] = "是",
				    [CF_GRADE] = "四级调研员",
				    [CF_POST_DATE] = "2021/3/1",
				    [CF_PHONE] = "13800001111" } };
	struct cadre out;
	assert_int_equal(cadre_validate(&c, &in, &out), 0);
	assert_string_equal(out.name, "买买提·艾力");
	assert_string_equal(out.gender, "M");
	assert_string_equal(out.birth_date, "1980-01-01");
	assert_string_equal(out.rank_level, "township_section");
	assert_string_equal(out.grade, "researcher_4");
	assert_string_equal(out.category, "civil_servant");
	assert_string_equal(out.post_date, "2021-03-01");
	assert_string_equal(out.status, "active");
	assert_int_equal(out.is_head, 1);

	/* every problem in one pass, each naming its field, in the user's language */
	struct cadre_input bad = { { [CF_NAME] = "<script>alert(1)</script>",
				     [CF_ID_NUMBER] = "350583198001010012",
				     [CF_RANK_LEVEL] = "科长",
				     [CF_CATEGORY] = "",
				     [CF_GENDER] = "女",
				     [CF_POST_DATE] = "2031-01-01",
				     [CF_PHONE] = "12345" } };
	assert_true(cadre_validate(&c, &bad, &out) >= 5);
	const char *want[] = {
		"name", "id_number", "phone", "rank_level", "category", "post_date"
	};
	for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
		bool found = false;
		for (size_t i = 0; i < pb.n; i++)
			if (!strcmp(pb.items[i].field, want[w]) && pb.items[i].row == 7)
				found = true;
		if (!found)
			fail_msg("no problem reported for %s", want[w]);
	}
	assert_string_equal(pb.items[0].message, "姓名含有不允许的字符:<");
	problems_release(&pb);

	/* SQL in a name is refused too */
	struct cadre_input sql = { { [CF_NAME] = "x'); DROP TABLE cadres;--",
				     [CF_ID_NUMBER] = "350583198001010011",
				     [CF_RANK_LEVEL] = "general",
				     [CF_CATEGORY] = "other" } };
	c.lang = "en";
	assert_int_equal(cadre_validate(&c, &sql, &out), 1);
	assert_string_equal(pb.items[0].field, "name");
	assert_string_equal(pb.items[0].code, "invalid_characters");
	problems_release(&pb);

	/* gender and birth date must agree with the ID number */
	struct cadre_input mismatch = { { [CF_NAME] = "张三",
					  [CF_ID_NUMBER] = "350583198001010011",
					  [CF_RANK_LEVEL] = "general",
					  [CF_CATEGORY] = "other",
					  [CF_GENDER] = "F",
					  [CF_BIRTH_DATE] = "1980-01-02" } };
	assert_int_equal(cadre_validate(&c, &mismatch, &out), 2);
	assert_string_equal(pb.items[0].code, "mismatch");
	assert_string_equal(pb.items[1].code, "mismatch");
	problems_release(&pb);
	arena_release(&a);
}

static void test_unit_validation(void **state)
{
	(void)state;
	struct problems pb;
	struct arena a;
	problems_init(&pb);
	arena_init(&a);
	struct field_ctx c = ctx(&pb, &a, "zh-CN");
	struct unit_input in = { { [UF_NAME] = "南安经济开发区",
				   [UF_TYPE] = "开发区",
				   [UF_INDUSTRIES] = "石材、水暖, 机械;电子" } };
	struct unit out;
	assert_int_equal(unit_validate(&c, &in, &out), 0);
	assert_string_equal(out.type, "zone");
	assert_string_equal(out.industries, "石材,水暖,机械,电子");
	struct unit_input bad = { { [UF_NAME] = "<b>x</b>", [UF_TYPE] = "村", [UF_SORT] = "x" } };
	assert_int_equal(unit_validate(&c, &bad, &out), 3);
	assert_string_equal(pb.items[1].field, "type");
	assert_non_null(strstr(pb.items[1].message, "乡镇、街道、开发区(园区)"));
	problems_release(&pb);
	arena_release(&a);
}

/* Issue 10: what offices type, folded before it is judged. */
static void test_office_habits(void **state)
{
	(void)state;
	struct problems pb;
	struct arena a;
	problems_init(&pb);
	arena_init(&a);
	struct field_ctx c = ctx(&pb, &a, "zh-CN");
	/* full-width digits and X, NBSP, U+3000 and a zero-width space in the ID number and
	 * the phone; the name padded with spaces; 正科级 and 在岗; 出生年月 and 任现职时间 to the
	 * month */
	struct cadre_input in = { { [CF_NAME] = "\xC2\xA0王\xE3\x80\x80 芳\xE2\x80\x8B",
				    [CF_ID_NUMBER] = "３５０５８３ 19800101 0011",
				    [CF_PHONE] = "138 0000 1111",
				    [CF_BIRTH_DATE] = "1980年1月",
				    [CF_RANK_LEVEL] = "正科级",
				    [CF_CATEGORY] = "参公人员",
				    [CF_STATUS] = "在岗",
				    [CF_POST] = "党委书记（兼）",
				    [CF_POST_DATE] = "2021.3" } };
	struct cadre out;
	assert_int_equal(cadre_validate(&c, &in, &out), 0);
	assert_string_equal(out.name, "王芳");
	assert_string_equal(out.id_number, "350583198001010011");
	assert_string_equal(out.phone, "13800001111");
	assert_string_equal(out.rank_level, "township_section");
	assert_string_equal(out.rank_position, "chief");
	assert_string_equal(out.category, "civil_servant_ref");
	assert_string_equal(out.status, "active");
	assert_string_equal(out.post, "党委书记（兼）"); /* punctuation stays */
	assert_string_equal(out.post_date, "2021-03-01");
	/* Latin names keep one space between words */
	struct cadre_input latin = { { [CF_NAME] = "Anna   Smith",
				       [CF_ID_NUMBER] = "350583198001010011",
				       [CF_RANK_LEVEL] = "副处级",
				       [CF_CATEGORY] = "other",
				       [CF_RANK_POSITION] = "副职" } };
	assert_int_equal(cadre_validate(&c, &latin, &out), 0);
	assert_string_equal(out.name, "Anna Smith");
	assert_string_equal(out.rank_level, "county_division");
	assert_string_equal(out.rank_position, "deputy");
	/* 正副职 contradicting the level's word; a birth month that the ID number contradicts;
	 * a direction override in the name, named by its code */
	struct cadre_input bad = { { [CF_NAME] = "王\xE2\x80\xAE芳",
				     [CF_ID_NUMBER] = "350583198001010011",
				     [CF_RANK_LEVEL] = "正科级",
				     [CF_RANK_POSITION] = "副职",
				     [CF_CATEGORY] = "other",
				     [CF_BIRTH_DATE] = "1980.02" } };
	assert_int_equal(cadre_validate(&c, &bad, &out), 3);
	assert_string_equal(pb.items[0].code, "invisible_character");
	assert_non_null(strstr(pb.items[0].message, "U+202E"));
	assert_string_equal(pb.items[1].code, "mismatch");
	assert_string_equal(pb.items[1].field, "birth_date");
	assert_string_equal(pb.items[2].field, "rank_position");
	problems_release(&pb);

	assert_int_equal(date_parse_month("1985.03", 7), date_from_ymd(1985, 3, 1));
	assert_int_equal(date_parse_month("1985-3", 6), date_from_ymd(1985, 3, 1));
	assert_int_equal(date_parse_month("1985年3月", strlen("1985年3月")),
			 date_from_ymd(1985, 3, 1));
	assert_int_equal(date_parse_month("198512", 6), date_from_ymd(1985, 12, 1));
	assert_int_equal(date_parse_month("1985.13", 7), DATE_NONE);
	assert_int_equal(date_parse_month("1985-03-07", 10), DATE_NONE);

	/* unit names as registries write them */
	const char *regions[] = { "福建省", "泉州市", "南安市" };
	char key[128];
	unit_name_key("南安市溪美街道", regions, 3, key, sizeof key);
	assert_string_equal(key, "溪美街道");
	unit_name_key("溪美街道办事处", regions, 3, key, sizeof key);
	assert_string_equal(key, "溪美街道");
	unit_name_key("中共南安市委组织部", regions, 3, key, sizeof key);
	assert_string_equal(key, "市委组织部");
	unit_name_key("福建省泉州市南安市英都镇人民政府", regions, 3, key, sizeof key);
	assert_string_equal(key, "英都镇");
	assert_true(unit_name_similarity("溪美街", "溪美街道") >= 0.5);
	assert_true(unit_name_similarity("溪美街道", "柳城街道") < 0.5);
	assert_true(unit_name_similarity("溪美街道", "溪美街道") == 1.0);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_permission_matrix), cmocka_unit_test(test_scope_contains),
		cmocka_unit_test(test_masking),           cmocka_unit_test(test_mask_numbers),
		cmocka_unit_test(test_password_policy),   cmocka_unit_test(test_cadre_validation),
		cmocka_unit_test(test_unit_validation),   cmocka_unit_test(test_office_habits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
