/*
 * enums.c — the vocabulary tables of enums.h.
 *
 * Rank levels follow the 《公务员法》 leadership levels; grades are the 2019 civil-servant
 * rank sequence (职级序列). Order matters: tables run from senior to junior so that lists
 * and charts sort naturally.
 */
#include "domain/enums.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"

#define TABLE(var, name_, ...)                                                                     \
	static const struct enum_item var##_items[] = { __VA_ARGS__ };                             \
	const struct enum_table var = { name_, var##_items,                                        \
					sizeof var##_items / sizeof var##_items[0] }

/* clang-format off */
TABLE(enum_rank_level, "rank_level",
	{"provincial", "省部级", "Provincial/ministerial"},
	{"bureau", "厅局级", "Bureau/department"},
	{"county_division", "县处级", "County/division"},
	{"township_section", "乡科级", "Township/section"},
	{"general", "一般干部", "General staff"});

TABLE(enum_rank_position, "rank_position",
	{"chief", "正职", "Chief"},
	{"deputy", "副职", "Deputy"});
TABLE(enum_grade, "grade",
	{"inspector_1", "一级巡视员", "Inspector, grade 1"},
	{"inspector_2", "二级巡视员", "Inspector, grade 2"},
	{"researcher_1", "一级调研员", "Researcher, grade 1"},
	{"researcher_2", "二级调研员", "Researcher, grade 2"},
	{"researcher_3", "三级调研员", "Researcher, grade 3"},
	{"researcher_4", "四级调研员", "Researcher, grade 4"},
	{"principal_1", "一级主任科员", "Principal staff member, grade 1"},
	{"principal_2", "二级主任科员", "Principal staff member, grade 2"},
	{"principal_3", "三级主任科员", "Principal staff member, grade 3"},
	{"principal_4", "四级主任科员", "Principal staff member, grade 4"},
	{"clerk_1", "一级科员", "Staff member, grade 1"},
	{"clerk_2", "二级科员", "Staff member, grade 2"});

TABLE(enum_category, "category",
	{"party_gov_leader", "党政领导干部", "Party and government leader"},
	{"civil_servant", "公务员", "Civil servant"},
	{"civil_servant_ref", "参照公务员法管理人员", "Managed as civil servants (参公)"},
	{"institution_staff", "事业单位人员", "Public institution staff"},
	{"soe_manager", "国企管理人员", "State enterprise manager"},
	{"other", "其他", "Other"});

TABLE(enum_unit_type, "unit_type",
	{"township", "乡镇", "Township"},
	{"street", "街道", "Sub-district"},
	{"zone", "开发区(园区)", "Development zone / park"},
	{"department", "市直部门", "City department"},
	{"soe", "国有企业", "State-owned enterprise"},
	{"institution", "事业单位", "Public institution"},
	{"other", "其他", "Other"});

TABLE(enum_status, "status",
	{"active", "在职", "In post"},
	{"transferred", "调离", "Transferred out"},
	{"retired", "退休", "Retired"});

TABLE(enum_gender, "gender",
	{"M", "男", "Male"},
	{"F", "女", "Female"});

TABLE(enum_region_level, "region_level",
	{"province", "省", "Province"},
	{"city", "市", "City"},
	{"county", "县(市、区)", "County"},
	{"township", "乡镇(街道)", "Township"});

TABLE(enum_role, "role",
	{"sysadmin", "系统管理员", "System administrator"},
	{"org_admin", "组织部管理员", "Organization department administrator"},
	{"class_manager", "班主任", "Class manager"},
	{"unit_liaison", "单位联络员", "Unit liaison"},
	{"trainee", "学员", "Trainee"},
	{"expert", "授课专家", "Expert"},
	{"viewer", "领导查看", "Leader (read-only)"});

TABLE(enum_class_kind, "class_kind",
	{"main", "主体班", "Main course"},
	{"topic", "专题班", "Topical course"},
	{"appointment", "任职培训", "Training on appointment"},
	{"offsite", "异地培训", "Off-site training"},
	{"online", "网络专题", "Online course"});

TABLE(enum_class_status, "class_status",
	{"draft", "草稿", "Draft"},
	{"published", "已发布", "Published"},
	{"enrolling", "报名中", "Enrolling"},
	{"running", "进行中", "Running"},
	{"completed", "已结业", "Completed"},
	{"archived", "已归档", "Archived"});

TABLE(enum_session_kind, "session_kind",
	{"lecture", "专题讲座", "Lecture"},
	{"seminar", "主题研讨", "Seminar"},
	{"site_visit", "现场教学", "Site visit"},
	{"opening", "开班式", "Opening"},
	{"closing", "结业式", "Closing"},
	{"self_study", "自学", "Self-study"},
	{"exchange", "交流", "Exchange"});

TABLE(enum_room_kind, "room_kind",
	{"lecture_hall", "教室/报告厅", "Lecture hall"},
	{"seminar_room", "研讨室", "Seminar room"},
	{"offsite", "现场/校外", "Off-site"},
	{"any", "不限", "Any room"},
	{"none", "无需教室", "No room"});

TABLE(enum_slot, "slot",
	{"morning", "上午", "Morning"},
	{"afternoon", "下午", "Afternoon"},
	{"evening", "晚上", "Evening"});

TABLE(enum_approval, "approval",
	{"none", "未提交", "Not submitted"},
	{"submitted", "审批中", "Awaiting approval"},
	{"approved", "已通过", "Approved"},
	{"rejected", "已退回", "Returned"});

TABLE(enum_import_kind, "import_kind",
	{"cadres", "干部", "Cadres"},
	{"units", "单位", "Units"},
	{"online_hours", "网络学院学时", "Online-academy hours"});

TABLE(enum_enrollment, "enrollment",
	{"proposed", "拟调训", "Proposed"},
	{"notified", "已通知", "Notified"},
	{"confirmed", "已确认", "Confirmed"},
	{"reported", "已报到", "Reported"},
	{"completed", "已结业", "Completed"},
	{"withdrawn", "退学", "Withdrawn"},
	{"replaced", "已替换", "Replaced"},
	{"declined", "请辞", "Declined"});

/* How an import run ended (imports.status). */
TABLE(enum_import_status, "import_status",
	{"imported", "已导入", "Imported"},
	{"checked", "校验通过", "Checked"},
	{"rejected", "未通过", "Rejected"},
	{"failed", "失败", "Failed"},
	{"running", "进行中", "Running"});

/* How an expert's half-days are marked: those free (restricted) or those taken (open). */
TABLE(enum_availability, "availability",
	{"open", "基本可约", "Mostly free"},
	{"restricted", "限定时间", "Restricted"});

/* The audit log's vocabulary: the kinds of record its entries are about, and what was done.
 * Every entity and action an operation writes (svc_commit, svc_audit) has a row here;
 * tests/api/audit.test.mjs reads src/service/ for them and fails on one without. */
TABLE(enum_audit_entity, "audit_entity",
	{"cadre", "干部", "Cadre"},
	{"unit", "单位", "Unit"},
	{"region", "地区", "Region"},
	{"user", "账号", "Account"},
	{"import", "导入", "Import"},
	{"plan", "培训计划", "Training plan"},
	{"class", "培训班", "Class"},
	{"session", "课程", "Session"},
	{"expert", "专家", "Expert"},
	{"room", "教室", "Room"},
	{"timetable", "课表", "Timetable"},
	{"job", "后台任务", "Background job"},
	{"ledger_entry", "学时档案记录", "Hours ledger entry"},
	{"requirement_version", "学时要求版本", "Requirement rule version"},
	{"hours_rules", "学时折算规则", "Hours conversion rules"},
	{"database", "数据库", "Database"},
	{"audit_log", "操作日志", "Audit log"},
	{"login_log", "登录日志", "Sign-in log"},
	{"compliance", "学时达标", "Training compliance"});

TABLE(enum_audit_action, "audit_action",
	{"create", "新增", "Create"},
	{"update", "修改", "Update"},
	{"delete", "删除", "Delete"},
	{"reveal", "查看完整号码", "Show full numbers"},
	{"export", "导出", "Export"},
	{"import", "导入", "Import"},
	{"registered_elsewhere", "范围外已登记身份证号", "ID numbers registered elsewhere"},
	{"submit", "提交审批", "Submit"},
	{"approve", "审批通过", "Approve"},
	{"reject", "退回", "Return"},
	{"place", "调整课表", "Move session"},
	{"solve", "自动排课", "Auto-arrange"},
	{"solve_apply", "应用排课方案", "Applied a timetable proposal"},
	{"solve_undo", "撤销排课方案", "Undid a timetable proposal"},
	{"add_class", "纳入计划", "Class added to plan"},
	{"remove_class", "移出计划", "Class taken out of plan"},
	{"cancel", "取消", "Cancel"},
	{"ledger_append", "记入学时档案", "Entered in the hours ledger"},
	{"password_change", "修改密码", "Change password"},
	{"reset_password", "重置密码", "Reset password"},
	{"demo", "建立演示数据", "Build the demo"});

/* The requirements and the hours ledger (docs/ledger.md). */
TABLE(enum_hours_kind, "hours_kind",
	{"centralized", "集中培训", "Centralized training"},
	{"online", "网络培训", "Online training"});

TABLE(enum_window_kind, "window_kind",
	{"year", "每年度", "Calendar year"},
	{"period", "每个周期", "Period of years"},
	{"promotion", "提任后一年内", "Year after promotion"});

TABLE(enum_leading, "leading",
	{"any", "不限", "Any post"},
	{"leading", "领导职务", "Leading post"},
	{"non_leading", "非领导职务", "Non-leading post"});

TABLE(enum_ledger_source, "ledger_source",
	{"class", "培训班", "Class attendance"},
	{"online", "网络学院", "Online academy"},
	{"external", "外部培训认定", "Recognized external training"},
	{"adjustment", "手工调整", "Manual adjustment"},
	{"correction", "更正", "Correction"});

TABLE(enum_compliance, "compliance",
	{"met", "已达标", "Met"},
	{"on_track", "进度正常", "On track"},
	{"behind", "进度滞后", "Behind"},
	{"overdue", "逾期未完成", "Overdue"},
	{"left", "已离岗", "Left"});

/* An external training report's way through its approval (unit → organization dept). */
TABLE(enum_report_status, "report_status",
	{"unit_review", "待单位审核", "Awaiting the unit"},
	{"org_review", "待组织部审核", "Awaiting the organization department"},
	{"approved", "已认定", "Recognized"},
	{"returned", "已退回", "Returned"},
	{"withdrawn", "已撤回", "Withdrawn"});

/* What a login attempt came to (the login log). */
TABLE(enum_login_outcome, "login_outcome",
	{"ok", "登录成功", "Signed in"},
	{"logout", "退出登录", "Signed out"},
	{"bad_password", "密码错误", "Wrong password"},
	{"bad_password_locked", "密码错误并锁定", "Wrong password, locked"},
	{"locked", "账号在该地址锁定中", "Locked from this address"},
	{"throttled", "账号限速中", "Slowed down"},
	{"source_locked", "该地址锁定中", "Address locked"},
	{"unknown_user", "用户不存在", "Unknown user"},
	{"disabled", "账号已停用", "Account disabled"});

/* The words offices use for a vocabulary's values (enum_synonym), with the 正/副 a rank
 * level word carries. Found in registries and on 干部任免审批表; compared after the field's
 * own folding (fields.c), so spaces and full-width forms need no rows of their own. */
static const struct {
	const struct enum_table *table;
	const char *word;
	const char *code;
	const char *position; /* rank levels: chief or deputy, else NULL */
} synonyms[] = {
	{&enum_rank_level, "正省部级", "provincial", "chief"},
	{&enum_rank_level, "省部级正职", "provincial", "chief"},
	{&enum_rank_level, "副省部级", "provincial", "deputy"},
	{&enum_rank_level, "省部级副职", "provincial", "deputy"},
	{&enum_rank_level, "正厅级", "bureau", "chief"},
	{&enum_rank_level, "正厅局级", "bureau", "chief"},
	{&enum_rank_level, "厅局级正职", "bureau", "chief"},
	{&enum_rank_level, "副厅级", "bureau", "deputy"},
	{&enum_rank_level, "副厅局级", "bureau", "deputy"},
	{&enum_rank_level, "厅局级副职", "bureau", "deputy"},
	{&enum_rank_level, "正处级", "county_division", "chief"},
	{&enum_rank_level, "正县级", "county_division", "chief"},
	{&enum_rank_level, "正县处级", "county_division", "chief"},
	{&enum_rank_level, "县处级正职", "county_division", "chief"},
	{&enum_rank_level, "副处级", "county_division", "deputy"},
	{&enum_rank_level, "副县级", "county_division", "deputy"},
	{&enum_rank_level, "副县处级", "county_division", "deputy"},
	{&enum_rank_level, "县处级副职", "county_division", "deputy"},
	{&enum_rank_level, "正科级", "township_section", "chief"},
	{&enum_rank_level, "正乡科级", "township_section", "chief"},
	{&enum_rank_level, "乡科级正职", "township_section", "chief"},
	{&enum_rank_level, "副科级", "township_section", "deputy"},
	{&enum_rank_level, "副乡科级", "township_section", "deputy"},
	{&enum_rank_level, "乡科级副职", "township_section", "deputy"},
	{&enum_rank_level, "科员", "general", NULL},
	{&enum_rank_level, "科员级", "general", NULL},
	{&enum_rank_level, "办事员", "general", NULL},
	{&enum_rank_level, "办事员级", "general", NULL},
	{&enum_rank_level, "一般", "general", NULL},
	{&enum_category, "参公人员", "civil_servant_ref", NULL},
	{&enum_category, "参公", "civil_servant_ref", NULL},
	{&enum_category, "参照管理人员", "civil_servant_ref", NULL},
	{&enum_category, "参照公务员管理", "civil_servant_ref", NULL},
	{&enum_category, "党政领导", "party_gov_leader", NULL},
	{&enum_category, "领导干部", "party_gov_leader", NULL},
	{&enum_category, "行政编制", "civil_servant", NULL},
	{&enum_category, "事业人员", "institution_staff", NULL},
	{&enum_category, "事业编制", "institution_staff", NULL},
	{&enum_category, "事业单位", "institution_staff", NULL},
	{&enum_category, "国企人员", "soe_manager", NULL},
	{&enum_category, "国企干部", "soe_manager", NULL},
	{&enum_category, "国有企业管理人员", "soe_manager", NULL},
	{&enum_status, "在岗", "active", NULL},
	{&enum_status, "在编", "active", NULL},
	{&enum_status, "现职", "active", NULL},
	{&enum_status, "调出", "transferred", NULL},
	{&enum_status, "已调离", "transferred", NULL},
	{&enum_status, "已退休", "retired", NULL},
	{&enum_status, "离退休", "retired", NULL},
	{&enum_gender, "男性", "M", NULL},
	{&enum_gender, "女性", "F", NULL},
	{&enum_rank_position, "正", "chief", NULL},
	{&enum_rank_position, "副", "deputy", NULL},
	{&enum_rank_position, "正职领导", "chief", NULL},
	{&enum_rank_position, "副职领导", "deputy", NULL},
};
/* clang-format on */

const struct enum_item *enum_synonym(const struct enum_table *t, const char *text, size_t n,
				     const char **position)
{
	for (size_t i = 0; i < sizeof synonyms / sizeof synonyms[0]; i++)
		if (synonyms[i].table == t && strlen(synonyms[i].word) == n &&
		    !memcmp(synonyms[i].word, text, n)) {
			if (position)
				*position = synonyms[i].position;
			return enum_by_code(t, synonyms[i].code);
		}
	return NULL;
}

const struct enum_item *enum_find(const struct enum_table *t, const char *text, size_t n)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct enum_item *it = &t->items[i];
		if ((strlen(it->code) == n && !memcmp(it->code, text, n)) ||
		    (strlen(it->zh) == n && !memcmp(it->zh, text, n)) ||
		    (strlen(it->en) == n && !strncasecmp(it->en, text, n)))
			return it;
	}
	/* Accept the common short forms users type: "开发区" for "开发区(园区)" and the like. */
	for (size_t i = 0; i < t->n; i++) {
		const char *zh = t->items[i].zh;
		const char *paren = strstr(zh, "(");
		if (paren && (size_t)(paren - zh) == n && !memcmp(zh, text, n))
			return &t->items[i];
	}
	return NULL;
}

const struct enum_item *enum_by_code(const struct enum_table *t, const char *code)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->items[i].code[0] == code[0] && !strcmp(t->items[i].code, code))
			return &t->items[i];
	return NULL;
}

const char *enum_label(const struct enum_table *t, const char *code, const char *lang)
{
	const struct enum_item *it = enum_by_code(t, code);
	if (!it)
		return code;
	return px_lang_is_en(lang) ? it->en : it->zh;
}

void enum_list_labels(const struct enum_table *t, const char *lang, char *out, size_t size)
{
	size_t used = 0;
	int en = px_lang_is_en(lang);
	out[0] = '\0';
	for (size_t i = 0; i < t->n && used < size; i++) {
		int w = snprintf(out + used, size - used, "%s%s", i ? (en ? ", " : "、") : "",
				 en ? t->items[i].en : t->items[i].zh);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}
