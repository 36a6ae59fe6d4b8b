/*
 * itc.c — the ITC-2007 track 3 benchmark (curriculum-based course timetabling) as
 * operations (see schedule.h): solve an instance and score what was written, or score a
 * given solution. The engine's own total and the independent validator's score of the
 * written text are computed separately, so a disagreement is a bug, reported as one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "engine/itc2007.h"
#include "engine/timetable.h"
#include "service/schedule.h"

static void run_init(struct itc_run *out)
{
	memset(out, 0, sizeof *out);
	buf_init(&out->solution, 0);
	buf_init(&out->report, 0);
}

void itc_run_release(struct itc_run *r)
{
	buf_release(&r->solution);
	buf_release(&r->report);
	free(r->explanation);
	free(r->message);
	memset(r, 0, sizeof *r);
}

/* Parse the instance; on failure out->message says why. */
static px_err parse(const char *text, size_t n, const char *lang, struct itc_instance *in,
		    struct itc_run *out)
{
	char *msg = NULL;
	px_err rc = itc_parse(text, n, lang, in, &msg);
	if (rc) {
		out->bad = ITC_BAD_INSTANCE;
		out->message = msg ? msg : xstrdup(px_err_message(rc, lang));
	}
	return rc;
}

px_err svc_itc_solve(const char *text, size_t n, const struct itc_run_options *o, const char *lang,
		     struct itc_run *out)
{
	run_init(out);
	struct itc_instance in;
	px_err rc = parse(text, n, lang, &in, out);
	if (rc)
		return rc;
	struct tt_options opt = { .seed = o->seed,
				  .time_limit_ms = o->time_limit_ms,
				  .max_iterations = o->max_iterations,
				  .t_start = o->t_start,
				  .t_end = o->t_end,
				  .hard_weight = o->hard_weight,
				  .keep_room_percent = o->keep_room_percent,
				  .kempe_permille = o->kempe_permille };
	struct tt_problem *p = itc_to_problem(&in);
	struct tt_solution sol;
	struct tt_report rep;
	struct itc_cost cost;
	char *msg = NULL;
	rc = tt_solve(p, &opt, &sol, &rep);
	if (rc && rc != PX_ERR_INFEASIBLE) {
		out->message = xstrdup(px_err_message(rc, lang));
		goto out;
	}
	itc_write_solution(&in, p, &sol, &out->solution);
	px_err vrc = itc_validate(&in, out->solution.data ? out->solution.data : "",
				  out->solution.len, "en", &cost, &msg);
	if (vrc) {
		out->message = xasprintf("the written solution does not parse: %s", msg ? msg : "");
		rc = PX_ERR_INTERNAL;
		goto out;
	}
	out->hard_total = cost.hard_total;
	out->soft_total = cost.soft_total;
	buf_printf(&out->report, "instance %s (%s), seed %llu, %ld iterations in %.1f s\n",
		   o->source ? o->source : "", in.name, (unsigned long long)o->seed, rep.iterations,
		   rep.elapsed_ms / 1000.0);
	itc_cost_print(&cost, &out->report);
	buf_printf(&out->report, "Engine's own total     %13ld\n", rep.cost.soft_total);
	if (rc == PX_ERR_INFEASIBLE) {
		out->explanation = tt_report_explain(&rep, lang);
		goto out;
	}
	if (cost.hard_total != 0 || cost.soft_total != rep.cost.soft_total) {
		out->message = xasprintf("the validator (%ld hard, %ld soft) disagrees with the "
					 "engine (%ld hard, %ld soft)",
					 cost.hard_total, cost.soft_total, rep.cost.hard_total,
					 rep.cost.soft_total);
		rc = PX_ERR_INTERNAL;
	}
out:
	free(msg);
	tt_report_release(&rep);
	tt_solution_release(&sol);
	tt_problem_free(p);
	itc_instance_release(&in);
	return rc;
}

px_err svc_itc_validate(const char *text, size_t n, const char *solution, size_t sn,
			const char *lang, struct itc_run *out)
{
	run_init(out);
	struct itc_instance in;
	px_err rc = parse(text, n, lang, &in, out);
	if (rc)
		return rc;
	struct itc_cost cost;
	char *msg = NULL;
	rc = itc_validate(&in, solution, sn, lang, &cost, &msg);
	if (rc) {
		out->bad = ITC_BAD_SOLUTION;
		out->message = msg ? msg : xstrdup(px_err_message(rc, lang));
	} else {
		out->hard_total = cost.hard_total;
		out->soft_total = cost.soft_total;
		itc_cost_print(&cost, &out->report);
		if (cost.hard_total)
			rc = PX_ERR_INFEASIBLE;
	}
	itc_instance_release(&in);
	return rc;
}
