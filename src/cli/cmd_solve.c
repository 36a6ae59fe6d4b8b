/*
 * cmd_solve.c — `peixun solve`: runs the timetable engine on an ITC-2007 .ctt instance.
 * (The engine lands in src/engine/; until then this command says so and fails.)
 */
#include "cli/cli.h"

int cmd_solve(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	return cli_fail(PX_ERR_CONFIG, "solve: the timetable engine is not built yet");
}
