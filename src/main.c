/* main.c: the drfslides command line: dispatches to one subcommand. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const struct {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*summary;
} main_cmds[] = {
	{ "check", cmd_check, "check decks, or a folder of them and its glossary; report file:line: message" },
	{ "notes", cmd_notes, "print a deck's preamble notes" },
	{ "render", cmd_render, "print the HTML of one page" },
	{ "export", cmd_export, "write a deck as a static site" },
	{ "serve", cmd_serve, "run the dev server: live reload, errors in the browser" },
	{ "fcgi", cmd_fcgi, "serve decks over FastCGI (or CGI) behind a web server" },
};
#define MAIN_NCMDS (sizeof main_cmds / sizeof main_cmds[0])

/* Prints the list of subcommands. */
static void
main_usage(FILE *f)
{
	size_t	 i;

	fprintf(f, "usage: drfslides [--help | --version] COMMAND [ARGS]\n\n"
	    "Serves and exports lecture slide decks written as .drf files.\n\n"
	    "commands:\n");
	for (i = 0; i < MAIN_NCMDS; i++)
		fprintf(f, "  %-8s %s\n", main_cmds[i].name,
		    main_cmds[i].summary);
	fprintf(f, "\nRun 'drfslides COMMAND --help' for a command's options; "
	    "see drfslides(1) and drf(5).\n");
}

/* The only place the program's exit status is decided. */
int
main(int argc, char **argv)
{
	size_t	 i;

	if (argc < 2) {
		main_usage(stderr);
		return CMD_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		main_usage(stdout);
		return CMD_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
		return CMD_OK;
	}
	for (i = 0; i < MAIN_NCMDS; i++) {
		if (strcmp(argv[1], main_cmds[i].name) == 0)
			return main_cmds[i].fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "drfslides: unknown command '%s'\n", argv[1]);
	main_usage(stderr);
	return CMD_USAGE;
}
