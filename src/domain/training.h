/*
 * training.h — classes, experts, rooms and sessions (SPEC §2), and their validation.
 *
 * The structs are what the store reads and writes and what the schedule builder turns into
 * a timetabling problem. Validation follows the registry's pattern: every problem named by
 * field, in the user's language, collected in one pass.
 */
#ifndef PX_TRAINING_H
#define PX_TRAINING_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/fields.h"

#define SLOTS_PER_DAY 3 /* 上午, 下午, 晚上 */

struct training_class {
	int64_t id;
	int64_t plan_id;
	int64_t region_id;
	const char *name;
	const char *host;      /* 承办: the institution that runs it (a party school) */
	const char *organizer; /* 主办单位: who organizes it (an organization department) */
	const char *location;  /* the site whose rooms it uses */
	int off_site;
	char start_date[11];
	char end_date[11];
	int capacity;
	double credited_hours;
	double credited_days;
	const char *kind;   /* enum_class_kind */
	const char *status; /* enum_class_status */
	const char *approval;
	int step;
	const char *target_levels;     /* rank level codes joined by ',' */
	const char *target_categories; /* category codes joined by ',' */
	int64_t batch_of;
	int batch_no;
	const char *term;          /* a party school's term: classes solved together */
	const char *manager_phone; /* 班主任联系电话 ("" when not given) */
	char report_date[11];      /* 报到: the day trainees report ("" when not given) */
	const char *report_time;   /* its time as written ("14:00–20:00"), "" */
	const char *report_place;  /* where, "" */
	int64_t version;
	int64_t enrolled; /* trainees on the roster (read-only) */
};

struct expert {
	int64_t id;
	int64_t region_id;
	const char *name;
	const char *institution;
	const char *title;
	const char *topics;
	const char *bio;
	const char *availability; /* "open": marks are busy half-days; "restricted": the only
				     half-days the expert can teach */
	int64_t version;
};

/* A marked half-day of an expert. */
struct expert_slot {
	int64_t expert_id;
	char day[11];
	int slot;
};

struct room {
	int64_t id;
	int64_t region_id;
	const char *site;
	const char *name;
	int capacity;
	const char *kind; /* enum_room_kind: lecture_hall, seminar_room, offsite */
	int64_t version;
};

struct tsession {
	int64_t id;
	int64_t class_id;
	const char *kind; /* enum_session_kind */
	const char *topic;
	const char *description;
	double hours;
	const char *room_kind;             /* enum_room_kind */
	int groups;                        /* a seminar held by N groups at once in N rooms */
	int preferred_slot;                /* -1: none */
	char day[11];                      /* "" while unplaced */
	int slot;                          /* -1 while unplaced */
	const char *start_time, *end_time; /* exact times, "" for the slot's default */
	int64_t room_id;                   /* 0: none */
	int pinned;
	int sort_order;
	int64_t version;
	int64_t *experts;
	int n_experts;
	int64_t *group_rooms; /* rooms of groups 2..N (n = groups - 1), 0 when unplaced */
	int n_group_rooms;
};

/* The default times of the three slots, for calendars and printouts. */
extern const char *const slot_start[SLOTS_PER_DAY];
extern const char *const slot_end[SLOTS_PER_DAY];

/* Validation from raw text (API bodies). Each returns the number of problems added. The
 * field tables below are the one description of each form: the checks read their length
 * caps and vocabularies from them, and the API's request schemas are made from them. */

/* ---- plans (年度培训计划) ---- */

enum plan_field { PF_TITLE, PF_YEAR, PF_BUDGET, PF__COUNT };
extern const struct field_def plan_fields[PF__COUNT];

struct plan_input {
	const char *v[PF__COUNT]; /* raw text, NULL = absent */
};

/* The checked fields of a plan. */
struct plan_draft {
	const char *title;
	int year;
	int64_t budget_cents;
};
int plan_validate(struct field_ctx *c, const struct plan_input *in, struct plan_draft *out);

/* ---- classes ---- */

enum class_field {
	CLF_NAME,
	CLF_HOST,
	CLF_LOCATION,
	CLF_OFF_SITE,
	CLF_START_DATE,
	CLF_END_DATE,
	CLF_CAPACITY,
	CLF_CREDITED_HOURS,
	CLF_CREDITED_DAYS,
	CLF_KIND,
	CLF_STATUS,
	CLF_TARGET_LEVELS,
	CLF_TARGET_CATEGORIES,
	CLF_TERM,
	CLF_BATCH_NO,
	CLF_ORGANIZER,
	CLF_MANAGER_PHONE,
	CLF_REPORT_DATE,
	CLF_REPORT_TIME,
	CLF_REPORT_PLACE,
	CLF__COUNT
};
extern const struct field_def class_fields[CLF__COUNT];

struct class_input {
	const char *name, *host, *location, *off_site, *start_date, *end_date, *capacity,
		*credited_hours, *credited_days, *kind, *status, *target_levels, *target_categories,
		*term, *batch_no, *organizer, *manager_phone, *report_date, *report_time,
		*report_place;
};
/* The report day, when given, lies within the 30 days before the first day, or on it. */
int class_validate(struct field_ctx *c, const struct class_input *in, struct training_class *out);

/* ---- experts and rooms ---- */

enum expert_field {
	EF_NAME,
	EF_INSTITUTION,
	EF_TITLE,
	EF_TOPICS,
	EF_BIO,
	EF_AVAILABILITY,
	EF__COUNT
};
extern const struct field_def expert_fields[EF__COUNT];

struct expert_input {
	const char *name, *institution, *title, *topics, *bio, *availability;
};
int expert_validate(struct field_ctx *c, const struct expert_input *in, struct expert *out);

enum room_field { RMF_SITE, RMF_NAME, RMF_CAPACITY, RMF_KIND, RMF__COUNT };
extern const struct field_def room_fields[RMF__COUNT];

struct room_input {
	const char *site, *name, *capacity, *kind;
};
int room_validate(struct field_ctx *c, const struct room_input *in, struct room *out);

/* ---- sessions ---- */

enum session_field {
	SF_KIND,
	SF_TOPIC,
	SF_DESCRIPTION,
	SF_HOURS,
	SF_ROOM_KIND,
	SF_GROUPS,
	SF_PREFERRED_SLOT,
	SF_DAY,
	SF_SLOT,
	SF_START_TIME,
	SF_END_TIME,
	SF__COUNT
};
extern const struct field_def session_fields[SF__COUNT];

struct session_input {
	const char *kind, *topic, *description, *hours, *room_kind, *groups, *preferred_slot, *day,
		*slot, *start_time, *end_time;
};
int session_validate(struct field_ctx *c, const struct session_input *in, struct tsession *out);

/* A "HH:MM" time, or "" (empty allowed); NULL after adding a problem. */
const char *field_time(struct field_ctx *c, const struct field_def *f, const char *s);

#endif
