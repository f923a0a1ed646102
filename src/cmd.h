/* cmd.h: the subcommands of drfslides; each returns main's exit status. */
#ifndef DRF_CMD_H
#define DRF_CMD_H

#include "deck.h"

/* Exit statuses shared by every subcommand. */
#define CMD_OK		0
#define CMD_FAIL	1	/* the input was bad: errors were reported */
#define CMD_USAGE	2	/* the command line was bad */

int	 cmd_check(int, char **);
int	 cmd_notes(int, char **);
int	 cmd_render(int, char **);
int	 cmd_export(int, char **);
int	 cmd_fcgi(int, char **);
int	 cmd_serve(int, char **);

/* Prints "drfslides CMD: message" on stderr. */
void	 cmd_error(const char *cmd, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

struct option;

/*
 * Prints, as cmd_error does, why getopt_long (called with opterr 0 and an
 * optstring that begins with ':') returned ch, ':' or '?', for argv.
 */
void	 cmd_option_error(const char *cmd, int ch, char **argv,
	    const struct option *);

/*
 * Says whether a command line asks for -h or --help (getopt_long's view of
 * it, with optstring and longopts), so that the environment is not read.
 */
int	 cmd_wants_help(int, char **, const char *, const struct option *);

/*
 * Prints that cmd does not take the option --name (-letter, when letter is
 * not 0), which another command takes.
 */
void	 cmd_option_refused(const char *cmd, int letter, const char *name);

/*
 * Handles --max-source / --max-expanded (and their DRFSLIDES_MAX_SOURCE /
 * DRFSLIDES_MAX_EXPANDED environment variables); returns -1 on a bad size.
 */
int	 cmd_limit_option(const char *cmd, const char *opt, const char *value,
	    size_t *out);
int	 cmd_limits_env(const char *cmd, struct deck_limits *);

#endif
