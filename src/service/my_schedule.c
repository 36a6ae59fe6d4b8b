/*
 * my_schedule.c — one's own schedule (see schedule.h): the placed sessions of the classes on
 * a trainee's rosters and an expert's own lectures, whichever the caller is.
 */
#include "service/schedule_int.h"

static const struct view_field my_schedule_fields[] = {
	{ "sessions", VIEW_OBJECTS,
	  "The placed sessions of the classes on one's rosters and one's own lectures",
	  &svc_class_session_shape },
};
const struct view_spec svc_my_schedule_shape = VIEW_SPEC("MySchedule", my_schedule_fields);

px_err svc_my_schedule(struct svc *c, json_t **out)
{
	struct timetable_data d;
	struct schedule_mine mine;
	px_err rc = schedule_load_mine(c, &d, &mine);
	if (rc)
		return rc;
	json_t *sessions = json_array();
	for (size_t i = 0; i < d.in.n_sessions; i++) {
		const struct tsession *t = &d.in.sessions[i];
		if (schedule_is_mine(t, &mine) && t->slot >= 0)
			json_array_append_new(sessions, schedule_session_view(c, t, &d, NULL));
	}
	timetable_data_release(&d);
	*out = json_pack("{so}", "sessions", sessions);
	return PX_OK;
}
