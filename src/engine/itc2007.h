/*
 * itc2007.h — the ITC-2007 track 3 (curriculum-based course timetabling) file formats.
 *
 * itc_parse reads a `.ctt` instance from memory, strictly: every header line in its order,
 * section titles, exactly the announced number of lines per section with the right number of
 * fields, known course ids in curricula and unavailability lines, no duplicate ids, day and
 * period in range, and `END.` at the end. Any deviation is PX_ERR_BAD_FILE with a message
 * naming the line number and what was wrong (zh-CN or en by `lang`).
 *
 * itc_to_problem converts an instance to the engine's model with the UD2 weights: one
 * teacher per distinct teacher id, one group per curriculum, one course per course, its
 * lectures as events (event ids are grouped by course in file order, see itc_event_course).
 *
 * itc_write_solution writes the competition's solution format, one line per lecture:
 * `CourseID RoomID Day Period`.
 *
 * itc_validate is the independent validator: it parses a solution text against the instance
 * and recomputes the UD2 cost straight from the competition's rules, sharing no code with the
 * engine's evaluators.
 */
#ifndef PX_ITC2007_H
#define PX_ITC2007_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"
#include "engine/timetable.h"

struct itc_course {
	char *id;
	int teacher; /* index into itc_instance.teachers */
	int lectures;
	int min_days;
	int students;
};

struct itc_room {
	char *id;
	int capacity;
};

struct itc_curriculum {
	char *id;
	int n_courses;
	int *courses; /* course indexes */
};

struct itc_unavailability {
	int course, day, period;
};

struct itc_instance {
	char *name;
	int days, periods_per_day;
	int n_courses, n_rooms, n_curricula, n_unavailability, n_teachers;
	struct itc_course *courses;
	struct itc_room *rooms;
	struct itc_curriculum *curricula;
	struct itc_unavailability *unavailability;
	char **teachers;
};

/* Parse; on success *out owns everything (release with itc_instance_release). On failure
 * returns PX_ERR_BAD_FILE (*out is empty) and, when msg is non-NULL, *msg receives a message
 * the caller frees. Input larger than 64 MiB is refused as PX_ERR_TOO_LARGE. */
px_err itc_parse(const char *data, size_t len, const char *lang, struct itc_instance *out,
		 char **msg);
void itc_instance_release(struct itc_instance *in);

/* A new problem for tt_solve (caller frees with tt_problem_free). */
struct tt_problem *itc_to_problem(const struct itc_instance *in);

/* Append the solution's lines to out. Unplaced lectures are left out (the validator then
 * counts them under Lectures). */
void itc_write_solution(const struct itc_instance *in, const struct tt_problem *p,
			const struct tt_solution *s, struct buf *out);

enum itc_hard {
	ITC_LECTURES,
	ITC_CONFLICTS,
	ITC_AVAILABILITY,
	ITC_ROOM_OCCUPANCY,
	ITC_HARD__COUNT
};
enum itc_soft {
	ITC_ROOM_CAPACITY,
	ITC_MIN_WORKING_DAYS,
	ITC_CURRICULUM_COMPACTNESS,
	ITC_ROOM_STABILITY,
	ITC_SOFT__COUNT
};

struct itc_cost {
	long hard[ITC_HARD__COUNT];
	long violations[ITC_SOFT__COUNT]; /* soft violations, unweighted */
	long soft[ITC_SOFT__COUNT];       /* weighted: 1, 5, 2, 1 */
	long hard_total, soft_total;
};

/* Validate a solution text. PX_ERR_BAD_FILE (with *msg naming the line) for a malformed line,
 * an unknown course or room, or a day/period out of range. */
px_err itc_validate(const struct itc_instance *in, const char *sol, size_t len, const char *lang,
		    struct itc_cost *out, char **msg);

/* The breakdown, one constraint per line, ending with the totals. */
void itc_cost_print(const struct itc_cost *c, struct buf *out);

#endif
