/*
 * err.c — the table behind err.h. One row per code, in code order; a unit test checks that
 * the row index equals the code and that every string is present.
 */
#include "base/err.h"

#include <string.h>

struct err_row {
	px_err err;
	int http;
	const char *code;
	const char *zh;
	const char *en;
};

/* One row per line reads better than any wrapping. */
/* clang-format off */
static const struct err_row err_table[] = {
	{PX_OK, 200, "ok", "成功", "OK"},
	{PX_ERR_NOMEM, 503, "out_of_memory", "服务器内存不足,请稍后重试", "The server is out of memory; try again later"},
	{PX_ERR_INVALID, 422, "validation_failed", "输入有误,请检查标出的字段", "Some fields are invalid"},
	{PX_ERR_NOT_FOUND, 404, "not_found", "未找到该记录,或无权查看", "Not found, or not visible to you"},
	{PX_ERR_FORBIDDEN, 403, "forbidden", "无权执行此操作", "You are not allowed to do this"},
	{PX_ERR_UNAUTHENTICATED, 401, "unauthenticated", "请先登录", "Please log in"},
	{PX_ERR_CSRF, 403, "csrf_failed", "安全校验失败,请刷新页面后重试", "Security check failed; reload the page and retry"},
	{PX_ERR_LOCKED, 423, "account_locked", "登录失败次数过多,账号已锁定 15 分钟", "Too many failed logins; the account is locked for 15 minutes"},
	{PX_ERR_CONFLICT, 409, "conflict", "与已有记录冲突", "Conflicts with an existing record"},
	{PX_ERR_TOO_LARGE, 413, "payload_too_large", "上传内容超过大小限制", "The upload is larger than allowed"},
	{PX_ERR_DB, 500, "database_error", "数据库错误,请稍后重试", "Database error; try again later"},
	{PX_ERR_IO, 500, "io_error", "读写文件失败", "A file could not be read or written"},
	{PX_ERR_BAD_FILE, 422, "bad_file", "文件格式有误或已损坏", "The file is malformed or truncated"},
	{PX_ERR_ENCODING, 422, "bad_encoding", "文件编码无法识别,请使用 UTF-8 或 GB18030(GBK)", "Unknown text encoding; use UTF-8 or GB18030 (GBK)"},
	{PX_ERR_IMPORT_REJECTED, 422, "import_rejected", "导入未执行:文件中有错误行,请按错误报告修改后重新导入", "Nothing was imported: fix the rows in the error report and import again"},
	{PX_ERR_BAD_CREDENTIALS, 401, "bad_credentials", "用户名或密码错误", "Wrong user name or password"},
	{PX_ERR_WEAK_PASSWORD, 422, "weak_password", "密码不符合安全要求", "The password does not meet the policy"},
	{PX_ERR_INFEASIBLE, 422, "infeasible", "无法满足全部硬性约束", "No solution satisfies all hard constraints"},
	{PX_ERR_NO_KEY, 500, "no_encryption_key", "未配置或配置了错误的个人信息加密密钥", "The personal-data encryption key is missing or wrong"},
	{PX_ERR_CONFIG, 400, "bad_config", "配置或参数有误", "Bad configuration or arguments"},
	{PX_ERR_METHOD, 405, "method_not_allowed", "不支持该请求方法", "Method not allowed"},
	{PX_ERR_MEDIA_TYPE, 415, "unsupported_media_type", "不支持的文件或内容类型", "Unsupported content type"},
	{PX_ERR_INTERNAL, 500, "internal_error", "服务器内部错误", "Internal server error"},
	{PX_ERR_BAD_JSON, 400, "bad_json", "请求内容不是有效的 JSON", "The request body is not valid JSON"},
	{PX_ERR_BUSY, 503, "busy", "系统繁忙,请稍后重试", "The system is busy; try again"},
	{PX_ERR_SCHEMA, 500, "schema_too_new", "数据库版本高于本程序,请升级程序", "The database is newer than this program"},
	{PX_ERR_INACTIVE, 403, "account_disabled", "账号已停用", "The account is disabled"},
	{PX_ERR_EXPIRED, 401, "session_expired", "登录已过期,请重新登录", "The session has expired; log in again"},
	{PX_ERR_STATE, 409, "invalid_state", "当前状态下不能执行此操作", "Not allowed in the current state"},
	{PX_ERR_TIMEOUT, 503, "timeout", "处理超时", "Timed out"},
	{PX_ERR_PASSWORD_CHANGE, 403, "password_change_required", "请先修改初始密码", "Change your initial password first"},
	{PX_ERR_CANCELLED, 409, "cancelled", "任务已取消", "The job was cancelled"},
	{PX_ERR_RATE_LIMITED, 429, "rate_limited", "操作过于频繁,请稍后再试", "Too many requests; try again later"},
	{PX_ERR_GONE, 410, "gone", "该内容已过保留期限,已被删除", "This was deleted when its retention period ended"},
};
/* clang-format on */

_Static_assert(sizeof err_table / sizeof err_table[0] == PX_ERR__COUNT,
	       "err_table must have one row per px_err");

static const struct err_row *err_row(px_err e)
{
	if ((unsigned)e >= PX_ERR__COUNT)
		e = PX_ERR_INTERNAL;
	return &err_table[e];
}

const char *px_err_code(px_err e)
{
	return err_row(e)->code;
}

int px_err_http_status(px_err e)
{
	return err_row(e)->http;
}

int px_lang_is_en(const char *lang)
{
	if (!lang)
		return 0;
	while (*lang == ' ')
		lang++;
	return strncmp(lang, "en", 2) == 0;
}

const char *px_err_message(px_err e, const char *lang)
{
	return px_lang_is_en(lang) ? err_row(e)->en : err_row(e)->zh;
}

/* Used by the unit test to check that rows are in code order. */
int px_err_table_check(void);
int px_err_table_check(void)
{
	for (int i = 0; i < PX_ERR__COUNT; i++)
		if ((int)err_table[i].err != i || !err_table[i].code || !err_table[i].zh ||
		    !err_table[i].en)
			return i + 1;
	return 0;
}
