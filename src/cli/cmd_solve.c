/*
 * cmd_solve.c — `peixun solve` and `peixun validate`: the timetable engine on ITC-2007 files.
 *
 *	peixun solve --ctt FILE [--time SECONDS] [--seed N] [--iterations N] [--out FILE]
 *	peixun validate --ctt FILE --solution FILE
 *
 * solve reads the instance, runs tt_solve, writes the solution (to --out, else stdout) and
 * then scores the text it wrote with the independent validator, printing the breakdown to
 * stderr (to stdout when --out is given, since stdout is then free). The engine's own total
 * is printed beside it, and a disagreement is reported as an internal error: the two are
 * computed separately and must match. validate scores an existing solution file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "engine/itc2007.h"
#include "engine/timetable.h"

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

static int load_instance(struct cli *cli, const char *path, struct itc_instance *in)
{
	char *data = NULL, *msg = NULL;
	size_t len = 0;
	px_err rc = read_file(path, &data, &len);
	if (rc)
		return cli_fail(rc, "%s: %s", path,
				rc == PX_ERR_IO ? strerror(errno) : px_err_message(rc, cli->lang));
	rc = itc_parse(data, len, cli->lang, in, &msg);
	free(data);
	if (rc) {
		int status =
			cli_fail(rc, "%s: %s", path, msg ? msg : px_err_message(rc, cli->lang));
		free(msg);
		return status;
	}
	return 0;
}

/* --tune t0=4,t1=0.15,hw=50,keep=40,kempe=0: search parameters for tuning runs. */
static int parse_tune(const char *spec, struct tt_options *opt)
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

int cmd_solve(struct cli *cli, int argc, char **argv)
{
	const char *ctt = NULL, *out_path = NULL, *v;
	double seconds = 10;
	unsigned long long seed = 1;
	long iterations = 0;
	const char *tune = NULL;
	for (int i = 1; i < argc; i++) {
		bool missing = false;
		char *end = NULL;
		if ((v = cli_opt(argc, argv, &i, "--ctt", &missing)))
			ctt = v;
		else if ((v = cli_opt(argc, argv, &i, "--out", &missing)))
			out_path = v;
		else if ((v = cli_opt(argc, argv, &i, "--time", &missing))) {
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
	if (!ctt)
		return cli_fail(PX_ERR_CONFIG, "solve: --ctt FILE is required");
	struct tt_options opt = { .seed = seed,
				  .time_limit_ms = iterations ? 0 : (long)(seconds * 1000),
				  .max_iterations = iterations };
	if (tune && parse_tune(tune, &opt))
		return cli_fail(PX_ERR_CONFIG,
				"solve: --tune takes t0=X,t1=X,hw=N,keep=N,kempe=N, not %s", tune);

	struct itc_instance in;
	int status = load_instance(cli, ctt, &in);
	if (status)
		return status;
	struct tt_problem *p = itc_to_problem(&in);
	struct tt_solution sol;
	struct tt_report rep;
	px_err rc = tt_solve(p, &opt, &sol, &rep);
	struct buf text = BUF_INIT(0);
	struct buf report = BUF_INIT(0);
	struct itc_cost cost;
	char *msg = NULL;
	FILE *rep_out = out_path ? stdout : stderr;
	if (rc && rc != PX_ERR_INFEASIBLE) {
		status = cli_fail(rc, "solve: %s", px_err_message(rc, cli->lang));
		goto out;
	}
	itc_write_solution(&in, p, &sol, &text);
	if (out_path) {
		FILE *f = fopen(out_path, "wb");
		if (!f || fwrite(text.data ? text.data : "", 1, text.len, f) != text.len) {
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
		fwrite(text.data ? text.data : "", 1, text.len, stdout);
		fflush(stdout);
	}
	px_err vrc = itc_validate(&in, text.data ? text.data : "", text.len, "en", &cost, &msg);
	if (vrc) {
		status = cli_fail(PX_ERR_INTERNAL, "solve: the written solution does not parse: %s",
				  msg ? msg : "");
		goto out;
	}
	buf_printf(&report, "instance %s (%s), seed %llu, %ld iterations in %.1f s\n", ctt, in.name,
		   seed, rep.iterations, rep.elapsed_ms / 1000.0);
	itc_cost_print(&cost, &report);
	buf_printf(&report, "Engine's own total     %13ld\n", rep.cost.soft_total);
	fputs(report.data, rep_out);
	if (rc == PX_ERR_INFEASIBLE) {
		char *why = tt_report_explain(&rep, cli->lang);
		fputs(why, stderr);
		free(why);
		status = cli_fail(rc, "solve: %s", px_err_message(rc, cli->lang));
		goto out;
	}
	if (cost.hard_total != 0 || cost.soft_total != rep.cost.soft_total) {
		status = cli_fail(
			PX_ERR_INTERNAL,
			"solve: the validator (%ld hard, %ld soft) disagrees with the engine "
			"(%ld hard, %ld soft)",
			cost.hard_total, cost.soft_total, rep.cost.hard_total, rep.cost.soft_total);
		goto out;
	}
	status = 0;
out:
	free(msg);
	buf_release(&text);
	buf_release(&report);
	tt_report_release(&rep);
	tt_solution_release(&sol);
	tt_problem_free(p);
	itc_instance_release(&in);
	return status;
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
	struct itc_instance in;
	int status = load_instance(cli, ctt, &in);
	if (status)
		return status;
	char *data = NULL, *msg = NULL;
	size_t len = 0;
	struct itc_cost cost;
	struct buf report = BUF_INIT(0);
	px_err rc = read_file(solution, &data, &len);
	if (rc) {
		status =
			cli_fail(rc, "%s: %s", solution,
				 rc == PX_ERR_IO ? strerror(errno) : px_err_message(rc, cli->lang));
		goto out;
	}
	rc = itc_validate(&in, data, len, cli->lang, &cost, &msg);
	if (rc) {
		status = cli_fail(rc, "%s: %s", solution, msg);
		goto out;
	}
	itc_cost_print(&cost, &report);
	fputs(report.data, stdout);
	status = cost.hard_total ? cli_fail(PX_ERR_INFEASIBLE, "validate: %ld hard violations",
					    cost.hard_total)
				 : 0;
out:
	free(data);
	free(msg);
	buf_release(&report);
	itc_instance_release(&in);
	return status;
}
