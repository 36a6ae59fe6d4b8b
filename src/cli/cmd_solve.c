/*
 * cmd_solve.c — `peixun solve` and `peixun validate`: the timetable engine on ITC-2007 files
 * and on the classes of the database.
 *
 *	peixun solve --ctt FILE [--time SECONDS] [--seed N] [--iterations N] [--out FILE]
 *	peixun solve --class ID [--time SECONDS] [--seed N] [--iterations N] [--class-only]
 *	             [--fresh] [--apply]
 *	peixun validate --ctt FILE --solution FILE
 *
 * solve --ctt reads the instance and hands it to the ITC-2007 operation (service/itc.c),
 * which solves it, writes the solution and scores the text it wrote with the independent
 * validator; the solution goes to --out, else stdout, and the breakdown to stderr (to
 * stdout when --out is given, since stdout is then free). The engine's own total is printed
 * beside it, and a disagreement is reported as an internal error: the two are computed
 * separately and must match. validate scores an existing solution file.
 *
 * solve --class arranges a class of the database (with its term, unless --class-only; from
 * scratch with --fresh) as the operator at the shell: the same job (timetable.solve) a
 * server runs for `POST /classes/{id}/timetable/solve`, run here and now. It prints the
 * proposal — the cost before → after by constraint (the one cost function: what `peixun
 * demo` and the API say of a timetable) and every session it moves — and applies it only
 * with --apply, through the same operation as `POST …/timetable/apply` (refused for a class
 * that has ended, audited, undoable from the web UI).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "service/app.h"
#include "service/schedule.h"

#define MAX_FILE (64L << 20)

/* Read a whole file (≤ 64 MiB) into a NUL-terminated buffer the caller frees. */
static px_err read_file(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return PX_ERR_IO;
	struct buf b = BUF_INIT((size_t)MAX_FILE);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	px_err rc = ferror(f) ? PX_ERR_IO : b.err;
	fclose(f);
	if (rc) {
		buf_release(&b);
		return rc;
	}
	if (!b.data) {
		*data = xstrdup("");
		*len = 0;
	} else {
		*data = buf_detach(&b, len);
	}
	return PX_OK;
}

/* --tune t0=4,t1=0.15,hw=50,keep=40,kempe=0: search parameters for tuning runs. */
static int parse_tune(const char *spec, struct itc_run_options *opt)
{
	char *copy = xstrdup(spec), *save = NULL;
	int bad = 0;
	for (char *kv = strtok_r(copy, ",", &save); kv && !bad; kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '='), *end = NULL;
		if (!eq) {
			bad = 1;
			break;
		}
		*eq = 0;
		double v = strtod(eq + 1, &end);
		if (*end)
			bad = 1;
		else if (!strcmp(kv, "t0"))
			opt->t_start = v;
		else if (!strcmp(kv, "t1"))
			opt->t_end = v;
		else if (!strcmp(kv, "hw"))
			opt->hard_weight = (int)v;
		else if (!strcmp(kv, "keep"))
			opt->keep_room_percent = (int)v;
		else if (!strcmp(kv, "kempe"))
			opt->kempe_permille = (int)v;
		else
			bad = 1;
	}
	free(copy);
	return bad;
}

/* Read an instance file; on failure print why and return the exit status. */
static int read_input(struct cli *cli, const char *path, char **data, size_t *len)
{
	px_err rc = read_file(path, data, len);
	if (rc)
		return cli_fail(rc, "%s: %s", path,
				rc == PX_ERR_IO ? strerror(errno) : px_err_message(rc, cli->lang));
	return 0;
}

static int solve_ctt(struct cli *cli, const char *ctt, const char *out_path,
		     const struct itc_run_options *opt)
{
	char *data = NULL;
	size_t len = 0;
	int status = read_input(cli, ctt, &data, &len);
	if (status)
		return status;
	struct itc_run run;
	px_err rc = svc_itc_solve(data, len, opt, cli->lang, &run);
	free(data);
	FILE *rep_out = out_path ? stdout : stderr;
	if (run.bad == ITC_BAD_INSTANCE) {
		status = cli_fail(rc, "%s: %s", ctt, run.message);
		goto out;
	}
	if (rc && !run.solution.len) {
		status = cli_fail(rc, "solve: %s", run.message ? run.message : "");
		goto out;
	}
	const char *text = run.solution.data ? run.solution.data : "";
	if (out_path) {
		FILE *f = fopen(out_path, "wb");
		if (!f || fwrite(text, 1, run.solution.len, f) != run.solution.len) {
			if (f)
				fclose(f);
			status = cli_fail(PX_ERR_IO, "solve: cannot write %s: %s", out_path,
					  strerror(errno));
			goto out;
		}
		if (fclose(f)) {
			status = cli_fail(PX_ERR_IO, "solve: cannot write %s: %s", out_path,
					  strerror(errno));
			goto out;
		}
	} else {
		fwrite(text, 1, run.solution.len, stdout);
		fflush(stdout);
	}
	if (!run.report.len) { /* the written solution did not parse */
		status = cli_fail(rc, "solve: %s", run.message ? run.message : "");
		goto out;
	}
	fputs(run.report.data, rep_out);
	if (rc == PX_ERR_INFEASIBLE) {
		fputs(run.explanation ? run.explanation : "", stderr);
		status = cli_fail(rc, "solve: %s", px_err_message(rc, cli->lang));
		goto out;
	}
	status = rc ? cli_fail(rc, "solve: %s", run.message ? run.message : "") : 0;
out:
	itc_run_release(&run);
	return status;
}

/* A placement of a proposal in a few words: "2023-03-06/0 room 3 +4,5", or "-". */
static void print_placement(const json_t *p)
{
	const char *day = json_string_value(json_object_get(p, "day"));
	if (!day || !*day) {
		printf("-");
		return;
	}
	printf("%s/%lld room %lld", day, (long long)json_integer_value(json_object_get(p, "slot")),
	       (long long)json_integer_value(json_object_get(p, "room_id")));
	size_t i;
	const json_t *g;
	json_array_foreach(json_object_get(p, "group_rooms"), i, g)
	{
		printf("%s%lld", i ? "," : " +", (long long)json_integer_value(g));
	}
}

/* The proposal of a solve's result: the cost before → after, then its moves. */
static void print_proposal(const json_t *result)
{
	const json_t *b = json_object_get(result, "cost_before");
	const json_t *a = json_object_get(result, "cost_after");
	printf("cost: hard %lld → %lld, unplaced %lld → %lld, soft %lld → %lld\n",
	       (long long)json_integer_value(json_object_get(b, "hard")),
	       (long long)json_integer_value(json_object_get(a, "hard")),
	       (long long)json_integer_value(json_object_get(b, "unplaced")),
	       (long long)json_integer_value(json_object_get(a, "unplaced")),
	       (long long)json_integer_value(json_object_get(b, "soft")),
	       (long long)json_integer_value(json_object_get(a, "soft")));
	size_t i;
	const json_t *k;
	json_array_foreach(json_object_get(b, "constraints"), i, k)
	{
		const json_t *ka = json_array_get(json_object_get(a, "constraints"), i);
		printf("  %-14s %lld → %lld\n", json_string_value(json_object_get(k, "key")),
		       (long long)json_integer_value(json_object_get(k, "cost")),
		       (long long)json_integer_value(json_object_get(ka, "cost")));
	}
	const json_t *moves = json_object_get(json_object_get(result, "proposal"), "moves");
	printf("moves: %zu\n", json_array_size(moves));
	const json_t *m;
	json_array_foreach(moves, i, m)
	{
		printf("  session %lld (%s) %s: ",
		       (long long)json_integer_value(json_object_get(m, "session_id")),
		       json_string_value(json_object_get(m, "topic")),
		       json_string_value(json_object_get(m, "change")));
		print_placement(json_object_get(m, "from"));
		printf(" → ");
		print_placement(json_object_get(m, "to"));
		printf("\n");
	}
}

/* Auto-arrange a class of the database as the operator at the shell; apply it when asked. */
static int solve_class(struct cli *cli, long class_id, double seconds, unsigned long long seed,
		       long iterations, bool class_only, bool fresh, bool apply)
{
	struct app app;
	struct store *db;
	int status = cli_open(cli, 0, &app, &db);
	if (status)
		return status;
	struct arena arena;
	arena_init(&arena);
	struct problems pb;
	problems_init(&pb);
	struct svc c;
	svc_init_shell(&c, db, &app, cli->lang, &arena, &pb);
	json_t *time_limit = json_integer(seconds < 1 ? 1 : (json_int_t)(seconds + 0.5));
	json_t *seed_j = json_integer((json_int_t)seed);
	json_t *iter_j = json_integer(iterations);
	json_t *term = json_boolean(!class_only), *keep = json_boolean(!fresh);
	struct solve_form f = { .time_limit = time_limit,
				.max_iterations = iter_j,
				.seed = seed_j,
				.keep_previous = keep,
				.whole_term = term };
	json_t *result = NULL, *applied = NULL;
	px_err rc = svc_class_solve_now(&c, class_id, &f, NULL, NULL, &result);
	if (!rc) {
		printf("class %ld: %lld of %lld sessions placed, soft cost %lld, %lld iterations\n",
		       class_id, (long long)json_integer_value(json_object_get(result, "placed")),
		       (long long)json_integer_value(json_object_get(result, "sessions")),
		       (long long)json_integer_value(json_object_get(result, "soft_cost")),
		       (long long)json_integer_value(json_object_get(result, "iterations")));
		print_proposal(result);
		if (apply)
			rc = svc_timetable_apply_proposal(
				&c, class_id, 0, json_object_get(result, "proposal"), &applied);
		if (!rc)
			printf(apply ? "applied\n" : "not applied (--apply applies it)\n");
	}
	for (size_t i = 0; i < pb.n; i++)
		fprintf(stderr, "peixun: %s: %s\n", pb.items[i].field ? pb.items[i].field : "",
			pb.items[i].message);
	const char *expl = json_string_value(json_object_get(result, "explanation"));
	size_t k;
	json_t *p;
	json_array_foreach(json_object_get(result, "problems"), k, p)
	{
		fprintf(stderr, "peixun: %s\n", json_string_value(json_object_get(p, "message")));
	}
	if (rc) {
		if (expl && *expl)
			fputs(expl, stderr);
		status = cli_fail(rc, "solve: class %ld: %s", class_id,
				  c.message ? c.message : px_err_message(rc, cli->lang));
	}
	json_decref(result);
	json_decref(applied);
	json_decref(time_limit);
	json_decref(seed_j);
	json_decref(iter_j);
	json_decref(term);
	json_decref(keep);
	problems_release(&pb);
	arena_release(&arena);
	cli_close(&app, db);
	return status;
}

int cmd_solve(struct cli *cli, int argc, char **argv)
{
	const char *ctt = NULL, *out_path = NULL, *v;
	double seconds = 10;
	unsigned long long seed = 1;
	long iterations = 0, class_id = 0;
	bool class_only = false, fresh = false, apply = false;
	const char *tune = NULL;
	for (int i = 1; i < argc; i++) {
		bool missing = false;
		char *end = NULL;
		if ((v = cli_opt(argc, argv, &i, "--ctt", &missing)))
			ctt = v;
		else if ((v = cli_opt(argc, argv, &i, "--out", &missing)))
			out_path = v;
		else if ((v = cli_opt(argc, argv, &i, "--class", &missing))) {
			class_id = strtol(v, &end, 10);
			if (*end || class_id <= 0)
				return cli_fail(PX_ERR_CONFIG,
						"solve: --class needs a class id, not %s", v);
		} else if (!strcmp(argv[i], "--class-only")) {
			class_only = true;
		} else if (!strcmp(argv[i], "--fresh")) {
			fresh = true;
		} else if (!strcmp(argv[i], "--apply")) {
			apply = true;
		} else if ((v = cli_opt(argc, argv, &i, "--time", &missing))) {
			seconds = strtod(v, &end);
			if (*end || !(seconds > 0) || seconds > 1e6)
				return cli_fail(PX_ERR_CONFIG,
						"solve: --time needs seconds > 0, not %s", v);
		} else if ((v = cli_opt(argc, argv, &i, "--seed", &missing))) {
			errno = 0;
			seed = strtoull(v, &end, 10);
			if (*end || errno || *v == '-')
				return cli_fail(PX_ERR_CONFIG,
						"solve: --seed needs a number, not %s", v);
		} else if ((v = cli_opt(argc, argv, &i, "--iterations", &missing))) {
			iterations = strtol(v, &end, 10);
			if (*end || iterations <= 0)
				return cli_fail(
					PX_ERR_CONFIG,
					"solve: --iterations needs a positive number, not %s", v);
		} else if ((v = cli_opt(argc, argv, &i, "--tune", &missing))) {
			tune = v;
		} else if (missing)
			return cli_fail(PX_ERR_CONFIG, "solve: %s needs a value", argv[i]);
		else
			return cli_fail(PX_ERR_CONFIG, "solve: unknown argument %s", argv[i]);
		if (missing)
			return cli_fail(PX_ERR_CONFIG, "solve: %s needs a value", argv[i]);
	}
	if (class_id && ctt)
		return cli_fail(PX_ERR_CONFIG, "solve: --ctt and --class exclude each other");
	if (class_id)
		return solve_class(cli, class_id, seconds, seed, iterations, class_only, fresh,
				   apply);
	if (!ctt)
		return cli_fail(PX_ERR_CONFIG, "solve: --ctt FILE or --class ID is required");
	struct itc_run_options opt = { .source = ctt,
				       .seed = seed,
				       .time_limit_ms = iterations ? 0 : (long)(seconds * 1000),
				       .max_iterations = iterations };
	if (tune && parse_tune(tune, &opt))
		return cli_fail(PX_ERR_CONFIG,
				"solve: --tune takes t0=X,t1=X,hw=N,keep=N,kempe=N, not %s", tune);
	return solve_ctt(cli, ctt, out_path, &opt);
}

int cmd_validate(struct cli *cli, int argc, char **argv)
{
	const char *ctt = NULL, *solution = NULL, *v;
	for (int i = 1; i < argc; i++) {
		bool missing = false;
		if ((v = cli_opt(argc, argv, &i, "--ctt", &missing)))
			ctt = v;
		else if ((v = cli_opt(argc, argv, &i, "--solution", &missing)))
			solution = v;
		else if (missing)
			return cli_fail(PX_ERR_CONFIG, "validate: %s needs a value", argv[i]);
		else
			return cli_fail(PX_ERR_CONFIG, "validate: unknown argument %s", argv[i]);
	}
	if (!ctt || !solution)
		return cli_fail(PX_ERR_CONFIG,
				"validate: --ctt FILE and --solution FILE are required");
	char *data = NULL, *sol = NULL;
	size_t len = 0, sn = 0;
	int status = read_input(cli, ctt, &data, &len);
	if (status)
		return status;
	struct itc_run run = { 0 };
	if ((status = read_input(cli, solution, &sol, &sn))) {
		/* the instance is parsed first, as before: its errors come before the solution's */
		px_err rc = svc_itc_validate(data, len, "", 0, cli->lang, &run);
		if (run.bad == ITC_BAD_INSTANCE)
			status = cli_fail(rc, "%s: %s", ctt, run.message);
		goto out;
	}
	px_err rc = svc_itc_validate(data, len, sol, sn, cli->lang, &run);
	if (run.bad == ITC_BAD_INSTANCE) {
		status = cli_fail(rc, "%s: %s", ctt, run.message);
	} else if (run.bad == ITC_BAD_SOLUTION) {
		status = cli_fail(rc, "%s: %s", solution, run.message);
	} else {
		fputs(run.report.data ? run.report.data : "", stdout);
		status = rc ? cli_fail(rc, "validate: %ld hard violations", run.hard_total) : 0;
	}
out:
	free(data);
	free(sol);
	itc_run_release(&run);
	return status;
}
