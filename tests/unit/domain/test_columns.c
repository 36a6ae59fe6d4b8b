/*
 * test_columns.c — the names offices give a registry file's columns (domain/columns.h): the
 * folding of a header cell and the field it then names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/cadre.h"
#include "domain/columns.h"
#include "domain/unit.h"

static const char *fold(const char *s)
{
	static char out[128];
	column_fold(s, strlen(s), out, sizeof out);
	return out;
}

static int cadre_field(const char *header)
{
	return column_field(cadre_fields, cadre_column_names, CF__COUNT, fold(header));
}

static void test_fold(void **state)
{
	(void)state;
	assert_string_equal(fold("姓 名"), "姓名");
	assert_string_equal(fold("姓名\r\n"), "姓名");
	assert_string_equal(fold("\xE3\x80\x80姓\xC2\xA0名\xE2\x80\x8B"),
			    "姓名"); /* U+3000 NBSP ZWSP */
	assert_string_equal(fold("*身份证号（必填）"), "身份证号");
	assert_string_equal(fold("＊身份证号(选填)"), "身份证号");
	assert_string_equal(fold("职级（公务员）"), "职级(公务员)");
	assert_string_equal(fold("ＩＤ　Ｎｏ．"), "idno.");
	assert_string_equal(fold("单位名称："), "单位名称");
	assert_string_equal(fold(" \t "), "");
	/* a long cell is read only as far as the output has room, never split in a character */
	char small[8];
	assert_int_equal(column_fold("身份证号码", strlen("身份证号码"), small, sizeof small), 6);
	assert_string_equal(small, "身份");
}

static void test_fields(void **state)
{
	(void)state;
	assert_int_equal(cadre_field("姓\xE3\x80\x80名"), CF_NAME);
	assert_int_equal(cadre_field("公民身份号码\n（必填）"), CF_ID_NUMBER);
	assert_int_equal(cadre_field("身份证"), CF_ID_NUMBER);
	assert_int_equal(cadre_field("ID number"), CF_ID_NUMBER);
	assert_int_equal(cadre_field("id_number"), CF_ID_NUMBER);
	assert_int_equal(cadre_field("联系电话"), CF_PHONE);
	assert_int_equal(cadre_field("手机"), CF_PHONE);
	assert_int_equal(cadre_field("电话"), CF_PHONE);
	assert_int_equal(cadre_field("工作单位"), CF_UNIT);
	assert_int_equal(cadre_field("所在单位"), CF_UNIT);
	assert_int_equal(cadre_field("现任职务"), CF_POST);
	assert_int_equal(cadre_field("职级"), CF_RANK_LEVEL);
	assert_int_equal(cadre_field("现职级"), CF_RANK_LEVEL);
	assert_int_equal(cadre_field("职务层次"), CF_RANK_LEVEL);
	assert_int_equal(cadre_field("公务员职级"), CF_GRADE);
	assert_int_equal(cadre_field("职级（公务员）"), CF_GRADE);
	assert_int_equal(cadre_field("出生年月"), CF_BIRTH_DATE);
	assert_int_equal(cadre_field("任现职务时间"), CF_POST_DATE);
	assert_int_equal(cadre_field("任现职级时间"), CF_PROMOTION_DATE);
	assert_int_equal(cadre_field("一把手"), CF_IS_HEAD);
	assert_int_equal(cadre_field("人员类别"), CF_CATEGORY);
	assert_int_equal(cadre_field("在职状态"), CF_STATUS);
	assert_int_equal(cadre_field("备注"), -1);
	assert_int_equal(cadre_field("审核意见"), -1);
	assert_int_equal(cadre_field("序号"), -1);
	assert_int_equal(cadre_field(""), -1);
	assert_true(column_is_counter(fold("序 号")));
	assert_true(column_is_counter(fold("No.")));
	assert_false(column_is_counter(fold("编号")));
	assert_int_equal(
		column_field(unit_fields, unit_column_names, UF__COUNT, fold("统一社会信用代码")),
		UF_CODE);
	assert_int_equal(column_field(unit_fields, unit_column_names, UF__COUNT, fold("单位")),
			 UF_NAME);
	/* every alias names its own field: no name is given to two fields */
	for (int f = 0; f < CF__COUNT; f++)
		for (const char *const *a = cadre_column_names[f]; a && *a; a++)
			assert_int_equal(cadre_field(*a), f);
	for (int f = 0; f < UF__COUNT; f++)
		for (const char *const *a = unit_column_names[f]; a && *a; a++)
			assert_int_equal(
				column_field(unit_fields, unit_column_names, UF__COUNT, fold(*a)),
				f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
