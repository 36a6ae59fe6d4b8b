/*
 * enums.h — the fixed vocabularies of the registry: codes, and their zh-CN/en labels.
 *
 * The database and the API carry stable English codes ("township_section"); people see
 * labels ("乡科级"). Each vocabulary is one table; an importer accepts a code or either label,
 * so a spreadsheet filled in Chinese and a script using codes both work.
 */
#ifndef PX_ENUMS_H
#define PX_ENUMS_H

#include <stddef.h>

struct enum_item {
	const char *code;
	const char *zh;
	const char *en;
};

struct enum_table {
	const char *name; /* e.g. "rank_level" */
	const struct enum_item *items;
	size_t n;
};

extern const struct enum_table enum_rank_level;    /* 职级层次: 省部级 … 一般干部 */
extern const struct enum_table enum_rank_position; /* 正职 / 副职 of a leadership level */
extern const struct enum_table enum_grade; /* 公务员职级: 一级巡视员 … 二级科员 */
extern const struct enum_table enum_category;  /* 干部类别 */
extern const struct enum_table enum_unit_type; /* 单位类型 */
extern const struct enum_table enum_status;    /* 在职 / 调离 / 退休 */
extern const struct enum_table enum_gender;    /* 男 / 女 */
extern const struct enum_table enum_region_level;
extern const struct enum_table enum_role;
extern const struct enum_table enum_class_kind; /* 主体班 专题班 任职培训 异地培训 网络专题 */
extern const struct enum_table enum_class_status; /* 草稿 … 归档 */
extern const struct enum_table enum_session_kind; /* 专题讲座 主题研讨 现场教学 开班式 … */
extern const struct enum_table enum_room_kind;   /* 报告厅/教室 研讨室 现场/校外 */
extern const struct enum_table enum_slot;        /* 上午 下午 晚上 */
extern const struct enum_table enum_approval;    /* 未提交 审批中 已通过 已退回 */
extern const struct enum_table enum_import_kind; /* 干部 单位: what an import brings */
extern const struct enum_table enum_enrollment;  /* 拟调训 已通知 … */

/* how an import run ended: 已导入 校验通过 未通过 失败 进行中 */
extern const struct enum_table enum_import_status;
/* an expert's half-days: 基本可约 (the taken ones marked) / 限定时间 (the free ones) */
extern const struct enum_table enum_availability;
/* the audit log's: what an entry is about (干部 单位 … 数据库), what was done (新增 修改 …),
 * and the login log's outcomes (登录成功 密码错误 …) */
extern const struct enum_table enum_audit_entity;
extern const struct enum_table enum_audit_action;
extern const struct enum_table enum_login_outcome;
extern const struct enum_table enum_hours_kind;    /* 集中培训 网络培训 */
extern const struct enum_table enum_window_kind;   /* 每年度 每个周期 提任后一年内 */
extern const struct enum_table enum_leading;       /* 不限 领导职务 非领导职务 */
extern const struct enum_table enum_ledger_source; /* where a ledger entry came from */
extern const struct enum_table enum_compliance; /* 已达标 进度正常 进度滞后 逾期未完成 已离岗 */
extern const struct enum_table enum_report_status; /* an external training report's state */

/* The item whose code, zh or en label equals text[0..n); NULL if none. */
/*
 * A word offices use for a value of a vocabulary that is not its label (正科级 for 乡科级,
 * 在岗 for 在职, 参公人员 …): the item it means, and for a rank level the 正/副 it carries
 * (the code of enum_rank_position, or NULL). NULL when text is no such word.
 */
const struct enum_item *enum_synonym(const struct enum_table *t, const char *text, size_t n,
				     const char **position);
const struct enum_item *enum_find(const struct enum_table *t, const char *text, size_t n);
/* The item with this code; NULL if none. */
const struct enum_item *enum_by_code(const struct enum_table *t, const char *code);
/* The label of a code in the language (zh default); the code itself if unknown. */
const char *enum_label(const struct enum_table *t, const char *code, const char *lang);
/* "a、b、c" (zh) or "a, b, c" (en): the labels, for error messages. */
void enum_list_labels(const struct enum_table *t, const char *lang, char *out, size_t size);

#endif
