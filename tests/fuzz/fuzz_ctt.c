/*
 * fuzz_ctt.c — libFuzzer target for the ITC-2007 readers: the .ctt instance parser and, when
 * the input parses, the solution validator (the part after a line "SOLUTION" is fed to it)
 * and the conversion to the engine model with a tiny solve.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/itc2007.h"
#include "engine/timetable.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	size_t inst_len = size, sol_off = size;
	const char *mark = memmem(text, size, "\nSOLUTION\n", 10);
	if (mark) {
		inst_len = (size_t)(mark - text) + 1;
		sol_off = inst_len + 9;
	}
	struct itc_instance in;
	char *msg = NULL;
	if (itc_parse(text, inst_len, size & 1 ? "en" : "zh", &in, &msg)) {
		if (!msg)
			abort(); /* every failure must say why */
		free(msg);
		return 0;
	}
	struct itc_cost cost;
	itc_validate(&in, text + sol_off, size - sol_off, "en", &cost, &msg);
	free(msg);
	struct tt_problem *p = itc_to_problem(&in);
	if (tt_problem_events(p) <= 200 && tt_problem_periods(p) <= 60) {
		struct tt_options opt = { .seed = 1, .max_iterations = 200 };
		struct tt_solution s;
		struct tt_report r;
		tt_solve(p, &opt, &s, &r);
		tt_solution_release(&s);
		tt_report_release(&r);
	}
	tt_problem_free(p);
	itc_instance_release(&in);
	return 0;
}
