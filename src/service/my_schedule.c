/*
 * my_schedule.c — one's own schedule (see schedule.h): the placed sessions of the classes on
 * a trainee's rosters and an expert's own lectures, whichever the caller is; and for a
 * trainee what a phone needs of each class besides: its dates, where and when to report
 * (报到), its class managers (班主任) and their phone, and the trainee's seminar group.
 */
#include "service/schedule_int.h"

static const struct view_field my_manager_fields[] = {
	{ "display_name", VIEW_TEXT, "The class manager's name" },
};
static const struct view_spec my_manager_shape = VIEW_SPEC("MyClassManager", my_manager_fields);

static const struct view_field my_class_fields[] = {
	{ "id", VIEW_INT, "The class" },
	{ "name", VIEW_TEXT, "Its name" },
	{ "start_date", VIEW_TEXT, "First day (YYYY-MM-DD)" },
	{ "end_date", VIEW_TEXT, "Last day" },
	{ "host", VIEW_TEXT, "Who runs it (承办)" },
	{ "organizer", VIEW_TEXT, "Who organizes it (主办单位), \"\" when not given" },
	{ "location", VIEW_TEXT, "Where it is held" },
	{ "managers", VIEW_OBJECTS, "Its class managers (班主任)", &my_manager_shape },
	{ "manager_phone", VIEW_TEXT, "Their phone (\"\" when not given)" },
	{ "report_date", VIEW_TEXT,
	  "报到: the day to report; the first day when the class does not say" },
	{ "report_time", VIEW_TEXT, "Its time as written (\"\" when not given)" },
	{ "report_place", VIEW_TEXT, "Where to report; the location when the class does not say" },
	{ "report_given", VIEW_BOOL, "false: day and place are the first day and the location" },
	{ "seminar_group", VIEW_INT,
	  "The trainee's seminar group (研讨小组) on it: its seminars' group N meets in room N; 0 "
	  "while groups are not formed (分组待定)" },
};
static const struct view_spec my_class_shape = VIEW_SPEC("MyClass", my_class_fields);

static const struct view_field my_schedule_fields[] = {
	{ "sessions", VIEW_OBJECTS,
	  "The placed sessions of the classes on one's rosters and one's own lectures",
	  &svc_class_session_shape },
	{ "classes", VIEW_OBJECTS, "The classes on one's rosters (a trainee's; [] for others)",
	  &my_class_shape },
};
const struct view_spec svc_my_schedule_shape = VIEW_SPEC("MySchedule", my_schedule_fields);

/* One class of a trainee's rosters, as a phone shows it. */
static px_err my_class(struct svc *c, int64_t id, json_t **out)
{
	struct class_row row;
	px_err rc = classes_get(c->db, c->arena, id, &row);
	struct class_manager *m = NULL;
	size_t n = 0;
	int group = 0;
	if (!rc)
		rc = class_managers_of(c->db, c->arena, id, &m, &n);
	if (!rc)
		rc = enrollments_group(c->db, id, c->who->cadre_id, &group);
	if (rc)
		return rc;
	const struct training_class *k = &row.c;
	json_t *managers = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(managers,
				      json_pack("{ss}", "display_name", m[i].display_name));
	bool given = k->report_date[0] || *k->report_place;
	*out = json_pack("{sI ss ss ss ss ss ss so ss ss ss ss sb si}", "id", (json_int_t)k->id,
			 "name", k->name, "start_date", k->start_date, "end_date", k->end_date,
			 "host", k->host, "organizer", k->organizer, "location", k->location,
			 "managers", managers, "manager_phone", k->manager_phone, "report_date",
			 k->report_date[0] ? k->report_date : k->start_date, "report_time",
			 k->report_time, "report_place",
			 *k->report_place ? k->report_place : k->location, "report_given", given,
			 "seminar_group", group);
	return *out ? PX_OK : PX_ERR_INTERNAL;
}

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
	json_t *classes = json_array();
	for (size_t k = 0; !rc && k < mine.n; k++) {
		json_t *one = NULL;
		if (!(rc = my_class(c, mine.rosters[k], &one)))
			json_array_append_new(classes, one);
	}
	if (rc) {
		json_decref(sessions);
		json_decref(classes);
		return rc;
	}
	*out = json_pack("{so so}", "sessions", sessions, "classes", classes);
	return PX_OK;
}
