/*
 * approvals.c — the approval chain's shared steps (see approvals.h).
 */
#include "service/approvals.h"

#include <string.h>

#include "store/training.h"

const char *const svc_approval_names[3] = { "submit", "approve", "reject" };

px_err svc_approval_read(struct svc *c, const struct approval_form *f, enum approval_action *a)
{
	if (!approval_action_from(f->action, a)) {
		svc_problem(c, "action", "unknown_value",
			    "操作应为 submit(提交)、approve(通过)或 reject(退回)",
			    "action must be submit, approve or reject");
		return PX_ERR_INVALID;
	}
	const char *comment = f->comment;
	if (comment && strlen(comment) > 1000) {
		svc_problem(c, "comment", "too_long", "意见过长", "The comment is too long");
		return PX_ERR_INVALID;
	}
	/* free text, several lines allowed, but no control characters: C0, DEL, C1 (U+0080–9F)
	 * or the bidi overrides that reorder what a reader sees (U+202A–202E, U+2066–2069) */
	for (const unsigned char *p = (const unsigned char *)comment; p && *p; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t') || *p == 0x7f ||
		    (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) ||
		    (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) ||
		    (p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)) {
			svc_problem(c, "comment", "invalid_characters", "意见含有控制字符",
				    "The comment contains control characters");
			return PX_ERR_INVALID;
		}
	return PX_OK;
}

px_err svc_approval_refused(struct svc *c, px_err rc, const struct approval_actor *who)
{
	if (rc == PX_ERR_FORBIDDEN && who->submitter)
		svc_fail(c, rc, "提交人不能审批本人提交的事项，请由本部门其他账号审批",
			 "Who submitted it approves no step of it: another account of the office "
			 "may");
	else if (rc == PX_ERR_STATE)
		svc_fail(c, rc, "当前审批状态下不能执行该操作",
			 "This action does not fit the current approval state");
	else if (rc == PX_ERR_FORBIDDEN)
		svc_fail(c, rc, "当前审批环节不由您办理", "This step of the approval is not yours");
	else if (rc == PX_ERR_INVALID)
		svc_problem(c, "comment", "required", "退回时须填写意见",
			    "Give a reason when returning");
	return rc;
}

static const struct view_field approval_view_fields[] = {
	{ "id", VIEW_INT, "Id" },
	{ "step", VIEW_INT, "The step of the chain it was taken at (0: the first)" },
	{ "action", VIEW_TEXT, "submit, approve or reject" },
	{ "comment", VIEW_TEXT, "The opinion given (\"\" when none)" },
	{ "user", VIEW_TEXT, "Who took it (display name)" },
	{ "at", VIEW_TIME, "When" },
};
const struct view_spec svc_approval_shape = VIEW_SPEC("ApprovalEntry", approval_view_fields);

json_t *svc_approvals_view(struct svc *c, const char *entity, int64_t id)
{
	struct approval_entry *items;
	size_t n;
	json_t *arr = json_array();
	if (approvals_list(c->db, c->arena, entity, id, &items, &n))
		return arr;
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{sI si ss ss ss so}", "id",
						     (json_int_t)items[i].id, "step", items[i].step,
						     "action", items[i].action, "comment",
						     items[i].comment, "user", items[i].user_name,
						     "at", svc_time_json(items[i].at)));
	return arr;
}

px_err svc_approval_commit(struct svc *c, px_err rc, const char *action, const char *entity,
			   int64_t id, json_t *after, json_t **out)
{
	if ((rc = svc_commit(c, rc, action, entity, id, NULL, after))) {
		json_decref(after);
		return rc;
	}
	json_object_set_new(after, "approvals", svc_approvals_view(c, entity, id));
	*out = after;
	return PX_OK;
}
