/* cmd_author.c: the authoring subcommands: check, notes, render and export. */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asset.h"
#include "cmd.h"
#include "deck.h"
#include "diag.h"
#include "export.h"
#include "glossary.h"
#include "paths.h"
#include "render.h"
#include "route_table.h"
#include "typeset.h"
#include "util.h"
#include "vendor.h"

enum {
	OPT_MAX_SOURCE = 256,
	OPT_MAX_EXPANDED,
	OPT_TEMPLATES,
	OPT_STATIC,
	OPT_HIGHLIGHTJS,
	OPT_KATEX,
	OPT_NOTES,
	OPT_DECKS
};

/* The authoring commands, as bits of cmd_author_table's masks. */
#define CA_CHECK	0x1
#define CA_NOTES	0x2
#define CA_RENDER	0x4
#define CA_EXPORT	0x8
#define CA_ALL		(CA_CHECK | CA_NOTES | CA_RENDER | CA_EXPORT)

/* Each authoring command, its bit and its operands. */
static const struct {
	const char	*name;
	int		 bit;
	const char	*operands;
} cmd_author_cmds[] = {
	{ "check", CA_CHECK, "DECK|FOLDER..." },
	{ "notes", CA_NOTES, "DECK" },
	{ "render", CA_RENDER, "DECK N" },
	{ "export", CA_EXPORT, "DECK OUTDIR" },
};
#define CA_NCMDS (sizeof cmd_author_cmds / sizeof cmd_author_cmds[0])

/*
 * Every option of the authoring commands and the commands that take it:
 * the one place that says so. An option given to a command that does not
 * take it is a usage error, never ignored.
 */
static const struct cmd_author_opt {
	const char	*name;
	int		 id;		/* the short letter, or an OPT_ value */
	int		 cmds;		/* CA_ bits */
	const char	*arg;		/* NULL: takes no value */
	const char	*help;
} cmd_author_table[] = {
	{ "help", 'h', CA_ALL, NULL, "show this help" },
	{ "force", 'f', CA_EXPORT, NULL, "export a deck that has errors" },
	{ "quiet", 'q', CA_CHECK | CA_EXPORT, NULL, "print only the diagnostics" },
	{ "notes", OPT_NOTES, CA_EXPORT, NULL, "the handout (print.html) with the speaker notes" },
	{ "decks", OPT_DECKS, CA_CHECK | CA_EXPORT, "DIR", "the decks root a deck in a course folder is in" },
	{ "templates", OPT_TEMPLATES, CA_RENDER | CA_EXPORT, "DIR", "templates to render with" },
	{ "static", OPT_STATIC, CA_EXPORT, "DIR", "static assets to copy" },
	{ "highlightjs", OPT_HIGHLIGHTJS, CA_CHECK | CA_RENDER | CA_EXPORT, "DIR", "highlight.js folder (default " DRF_HIGHLIGHTJS_DIR ")" },
	{ "katex", OPT_KATEX, CA_CHECK | CA_RENDER | CA_EXPORT, "DIR", "KaTeX folder (default " DRF_KATEX_DIR ")" },
	{ "max-source", OPT_MAX_SOURCE, CA_ALL, "SIZE", "largest deck file to read (default 64M)" },
	{ "max-expanded", OPT_MAX_EXPANDED, CA_ALL, "SIZE", "largest expanded deck (default 256M)" },
};
#define CA_NOPTS (sizeof cmd_author_table / sizeof cmd_author_table[0])

/* What the options of one invocation said. */
struct cmd_author {
	const char		*name;
	struct deck_limits	 limits;
	const char		*templates;
	const char		*static_dir;
	const char		*decks;		/* the decks root the decks are in, or NULL */
	int			 quiet;
	int			 notes;		/* export --notes */
	int			 force;		/* export a deck with errors */
};

/* Prints an error of the tool itself on stderr. */
void
cmd_error(const char *cmd, const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "drfslides %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Says what was wrong with an option getopt_long returned ':' or '?' for. */
void
cmd_option_error(const char *cmd, int ch, char **argv,
    const struct option *longopts)
{
	const struct option	*lo;
	const char		*arg = argv[optind - 1];

	for (lo = longopts; lo->name != NULL && lo->val != optopt; lo++)
		continue;
	if (optopt == 0)
		cmd_error(cmd, "unknown option '%s'", arg);
	else if (lo->name != NULL && strncmp(arg, "--", 2) == 0)
		cmd_error(cmd, ch == ':' ? "--%s needs a value" :
		    "--%s takes no value", lo->name);
	else if (ch == ':')
		cmd_error(cmd, "-%c needs a value", optopt);
	else
		cmd_error(cmd, "unknown option '-%c'", optopt);
}

/*
 * Says whether a command line asks for -h or --help, looking at it with
 * getopt_long as the command will: a command does not read its
 * environment then, so that a bad value there does not hide the help.
 */
int
cmd_wants_help(int argc, char **argv, const char *optstring,
    const struct option *longopts)
{
	char	**copy;
	int	 ch, help = 0;

	/* On a copy: getopt_long moves the operands of what it looks at. */
	copy = xcalloc((size_t)argc + 1, sizeof *copy);
	memcpy(copy, argv, (size_t)argc * sizeof *copy);
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, copy, optstring, longopts, NULL)) != -1)
		help = help || ch == 'h';
	free(copy);
	return help;
}

/* Says that a command does not take an option another command takes. */
void
cmd_option_refused(const char *cmd, int letter, const char *name)
{
	if (letter != 0)
		cmd_error(cmd, "-%c, --%s is not an option of %s", letter,
		    name, cmd);
	else
		cmd_error(cmd, "--%s is not an option of %s", name, cmd);
}

/* Parses a size option. */
int
cmd_limit_option(const char *cmd, const char *opt, const char *value,
    size_t *out)
{
	if (util_parse_size(value, out) != 0 || *out == 0) {
		cmd_error(cmd, "%s: '%s' is not a size (a number of bytes, "
		    "with an optional k, M or G)", opt, value);
		return -1;
	}
	return 0;
}

/* Reads the limits from the environment, where web servers put settings. */
int
cmd_limits_env(const char *cmd, struct deck_limits *l)
{
	const char	*v;

	if ((v = getenv("DRFSLIDES_MAX_SOURCE")) != NULL && *v != '\0' &&
	    cmd_limit_option(cmd, "DRFSLIDES_MAX_SOURCE", v,
	    &l->max_source) != 0)
		return -1;
	if ((v = getenv("DRFSLIDES_MAX_EXPANDED")) != NULL && *v != '\0' &&
	    cmd_limit_option(cmd, "DRFSLIDES_MAX_EXPANDED", v,
	    &l->max_expanded) != 0)
		return -1;
	return 0;
}

/* Reads the libraries' folders from the environment, as the servers do. */
static void
cmd_vendor_env(void)
{
	const char	*v;

	if ((v = getenv("DRFSLIDES_HIGHLIGHTJS")) != NULL && *v != '\0')
		vendor_set_dir(VENDOR_HIGHLIGHT, v);
	if ((v = getenv("DRFSLIDES_KATEX")) != NULL && *v != '\0')
		vendor_set_dir(VENDOR_KATEX, v);
}

/*
 * Adds a warning at the first code block or formula of a deck whose
 * library is not installed, naming the package that would typeset it.
 */
static void
cmd_check_vendor(struct deck *d)
{
	if ((d->typeset & TYPESET_CODE) && !vendor_have(VENDOR_HIGHLIGHT))
		diags_add(&d->diags, DIAG_WARNING, d->code_line, "code is "
		    "shown without colours: install %s (or give %s DIR) to "
		    "highlight it", vendor_package(VENDOR_HIGHLIGHT),
		    vendor_option(VENDOR_HIGHLIGHT));
	if ((d->typeset & TYPESET_MATH) && !vendor_have(VENDOR_KATEX))
		diags_add(&d->diags, DIAG_WARNING, d->math_line, "formulas are "
		    "shown as TeX: install %s (or give %s DIR) to typeset "
		    "them", vendor_package(VENDOR_KATEX),
		    vendor_option(VENDOR_KATEX));
}

/* Prints a command's usage: the options cmd_author_table gives it. */
static void
cmd_author_usage(FILE *f, const char *name, int bit, const char *operands)
{
	const struct cmd_author_opt	*o;
	size_t				 i;
	char				*left;

	fprintf(f, "usage: drfslides %s [options] %s\n\noptions:\n", name,
	    operands);
	for (i = 0; i < CA_NOPTS; i++) {
		o = &cmd_author_table[i];
		if ((o->cmds & bit) == 0)
			continue;
		if (o->id < 256)
			left = xasprintf("-%c, --%s", o->id, o->name);
		else
			left = xasprintf("--%s%s%s", o->name,
			    o->arg != NULL ? " " : "",
			    o->arg != NULL ? o->arg : "");
		fprintf(f, "  %-22s %s\n", left, o->help);
		free(left);
	}
	fprintf(f, "\nSee drfslides(1).\n");
}

/* Parses the options; returns the index of the first operand, -1 or -2 (help). */
static int
cmd_author_parse(struct cmd_author *c, const char *name, int argc,
    char **argv, int nargs_min, int nargs_max)
{
	struct option			 longopts[CA_NOPTS + 1];
	const struct cmd_author_opt	*o;
	const char			*operands = "";
	size_t				 i;
	int				 bit = 0, ch, nargs;

	memset(c, 0, sizeof *c);
	c->name = name;
	for (i = 0; i < CA_NCMDS; i++) {
		if (strcmp(cmd_author_cmds[i].name, name) == 0) {
			bit = cmd_author_cmds[i].bit;
			operands = cmd_author_cmds[i].operands;
		}
	}
	/*
	 * Every option is known to getopt, so that one another command takes
	 * is named as such rather than as unknown.
	 */
	memset(longopts, 0, sizeof longopts);
	for (i = 0; i < CA_NOPTS; i++) {
		longopts[i].name = cmd_author_table[i].name;
		longopts[i].has_arg = cmd_author_table[i].arg != NULL ?
		    required_argument : no_argument;
		longopts[i].val = cmd_author_table[i].id;
	}
	deck_limits_default(&c->limits);
	if (!cmd_wants_help(argc, argv, ":hqf", longopts)) {
		if (cmd_limits_env(name, &c->limits) != 0)
			return -1;
		cmd_vendor_env();
	}
	optind = 0;	/* getopt starts afresh after cmd_wants_help */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":hqf", longopts, NULL)) != -1) {
		o = NULL;
		for (i = 0; i < CA_NOPTS; i++) {
			if (cmd_author_table[i].id == ch)
				o = &cmd_author_table[i];
		}
		if (o == NULL) {
			cmd_option_error(name, ch, argv, longopts);
			cmd_author_usage(stderr, name, bit, operands);
			return -1;
		}
		if ((o->cmds & bit) == 0) {
			cmd_option_refused(name, o->id < 256 ? o->id : 0,
			    o->name);
			cmd_author_usage(stderr, name, bit, operands);
			return -1;
		}
		switch (ch) {
		case 'h':
			cmd_author_usage(stdout, name, bit, operands);
			return -2;
		case 'q':
			c->quiet = 1;
			break;
		case 'f':
			c->force = 1;
			break;
		case OPT_MAX_SOURCE:
			if (cmd_limit_option(name, "--max-source", optarg,
			    &c->limits.max_source) != 0)
				return -1;
			break;
		case OPT_MAX_EXPANDED:
			if (cmd_limit_option(name, "--max-expanded", optarg,
			    &c->limits.max_expanded) != 0)
				return -1;
			break;
		case OPT_TEMPLATES:
			c->templates = optarg;
			break;
		case OPT_STATIC:
			c->static_dir = optarg;
			break;
		case OPT_HIGHLIGHTJS:
			vendor_set_dir(VENDOR_HIGHLIGHT, optarg);
			break;
		case OPT_KATEX:
			vendor_set_dir(VENDOR_KATEX, optarg);
			break;
		case OPT_DECKS:
			c->decks = optarg;
			break;
		case OPT_NOTES:
			c->notes = 1;
			break;
		}
	}
	nargs = argc - optind;
	if (nargs < nargs_min || nargs > nargs_max) {
		cmd_author_usage(stderr, name, bit, operands);
		return -1;
	}
	return optind;
}

/* Maps the parser's result to an exit status when it did not return operands. */
static int
cmd_author_status(int rc)
{
	return rc == -2 ? CMD_OK : CMD_USAGE;
}

/* Loads a deck, printing why it failed: in check's report, else on stderr. */
static struct deck *
cmd_load(const struct cmd_author *c, const char *path)
{
	struct deck_error	 err;
	struct deck		*d;
	char			*cause = NULL, *msg;

	memset(&err, 0, sizeof err);
	if (deck_load_file(&d, path, &c->limits, 0, NULL, &cause,
	    &err) != 0) {
		msg = err.dg.msg != NULL ? diag_format(path, &err.dg) :
		    diag_cause(path, cause);
		fprintf(strcmp(c->name, "check") == 0 ? stdout : stderr, "%s\n",
		    msg);
		free(msg);
		fflush(stdout);
		free(cause);
		deck_error_free(&err);
		return NULL;
	}
	return d;
}

/* Prints every diagnostic of a list, one "file:line: level: message" a line. */
static void
cmd_print_diags(FILE *f, const char *file, const struct diags *dg)
{
	size_t	 i;
	char	*s;

	for (i = 0; i < dg->n; i++) {
		s = diag_format(file, &dg->v[i]);
		fprintf(f, "%s\n", s);
		free(s);
	}
}

/*
 * Returns how many course folders a deck at path is below --decks (0
 * without it), or -1, said, when the path is not a deck inside it.
 */
static int
cmd_levels(const struct cmd_author *c, const char *path, size_t *levels)
{
	const char	*rel;
	size_t		 n;

	*levels = 0;
	if (c->decks == NULL)
		return 0;
	n = strlen(c->decks);
	while (n > 1 && c->decks[n - 1] == '/')
		n--;
	rel = path + n + 1;
	if (strncmp(path, c->decks, n) != 0 || path[n] != '/' ||
	    strlen(rel) <= 4 || strcmp(rel + strlen(rel) - 4, ".drf") != 0 ||
	    !deck_path_valid(rel, strlen(rel) - 4)) {
		cmd_error(c->name, "%s is not a deck in a course folder of "
		    "--decks %s (at most %d folders deep)", path, c->decks,
		    DECK_DEPTH_MAX);
		return -1;
	}
	for (; *rel != '\0'; rel++)
		*levels += *rel == '/';
	return 0;
}

/*
 * A glossary term a checked deck uses, with the entry it finds: the same
 * term found in two folders' glossaries is two of these.
 */
struct cmd_term {
	char		*term;
	char		*dir;		/* the glossary folder of its entry, or NULL */
	char		*file;		/* where it is first used */
	unsigned long	 line;
	char		*want;		/* the entry the deck's own folder would hold */
	int		 said;		/* its missing entry was said by the deck's own check */
};

/* What check gathers of a folder's decks for the report across them. */
struct cmd_terms {
	struct cmd_term	*v;
	size_t		 n;
	char		**gdirs;	/* the glossary folders in the folder, sorted */
	size_t		 ngdirs;
};

/*
 * Finds the glossary folder (of dirs, in order) that has or refuses a
 * term's entry: its index, or n for none. *any tells whether one of the
 * folders exists.
 */
static size_t
cmd_term_dir(char *const *dirs, size_t n, const char *term, int *any)
{
	struct stat	 st;
	char		*cause;
	size_t		 i;
	int		 fd, rc;

	*any = 0;
	for (i = 0; i < n; i++) {
		if ((fd = glossary_dir_open(dirs[i])) == -1)
			continue;
		close(fd);
		*any = 1;
		cause = NULL;
		rc = glossary_open(dirs[i], term, &fd, &st, &cause);
		free(cause);
		if (rc == 0)
			close(fd);
		if (rc != 1)
			return i;
	}
	return n;
}

/* Records the terms of a checked deck (at path, levels below its root) not seen with their entry before. */
static void
cmd_terms_add(struct cmd_terms *t, const struct deck *d, const char *path,
    size_t levels)
{
	struct cmd_term	*e;
	char		**dirs, *dir;
	size_t		 i, j, n, w;
	int		 any;

	dirs = deck_glossary_dirs(path, levels, &n);
	for (i = 0; i < d->nterms; i++) {
		w = cmd_term_dir(dirs, n, d->terms[i].term, &any);
		dir = w < n ? dirs[w] : NULL;
		for (j = 0; j < t->n && (strcmp(t->v[j].term,
		    d->terms[i].term) != 0 || (dir == NULL) !=
		    (t->v[j].dir == NULL) || (dir != NULL &&
		    strcmp(t->v[j].dir, dir) != 0)); j++)
			;
		if (j < t->n) {
			/* A missing entry is said once, by a deck that could not say it. */
			t->v[j].said &= any;
			continue;
		}
		t->v = xreallocarray(t->v, t->n + 1, sizeof *t->v);
		e = &t->v[t->n++];
		e->term = xstrdup(d->terms[i].term);
		e->dir = dir != NULL ? xstrdup(dir) : NULL;
		e->file = xstrdup(path);
		e->line = d->terms[i].line;
		e->want = xasprintf("%s/%s.html", dirs[0], d->terms[i].term);
		e->said = any;
	}
	for (i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
}

/* Checks one deck (see cmd_check); returns 1 if it has errors or did not load. */
static int
cmd_check_one(const struct cmd_author *c, const char *path, size_t levels,
    struct cmd_terms *terms)
{
	struct deck	*d;
	int		 bad;

	if ((d = cmd_load(c, path)) == NULL) {
		if (!c->quiet)
			printf("%s: failed to load: 1 error\n", path);
		return 1;
	}
	glossary_check_deck(d, path, levels, route_table_is_page);
	cmd_check_vendor(d);
	cmd_print_diags(stdout, d->file, &d->diags);
	if (!c->quiet)
		printf("%s: %zu page%s, %zu error%s, %zu warning%s\n",
		    d->file, d->npages, d->npages == 1 ? "" : "s",
		    d->diags.nerrors, d->diags.nerrors == 1 ? "" : "s",
		    d->diags.nwarnings, d->diags.nwarnings == 1 ? "" : "s");
	if (terms != NULL)
		cmd_terms_add(terms, d, path, levels);
	bad = d->diags.nerrors != 0;
	deck_free(d);
	return bad;
}

/* Orders paths. */
static int
cmd_cmp_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds a path to a list. */
static void
cmd_push(char ***v, size_t *n, char *path)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = path;
}

/*
 * Collects the decks of a folder and of the folders below it (not a deck's
 * asset folder, nor a symbolic link), and their glossary folders, sorted.
 */
static void
cmd_folder_decks(const char *dir, int depth, char ***v, size_t *n,
    struct cmd_terms *t)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*path, *deck;
	size_t		 len;

	if (depth > DECK_DEPTH_MAX || (d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		len = strlen(de->d_name);
		deck = xasprintf("%s.drf", path);
		if (lstat(path, &st) != 0)
			st.st_mode = 0;
		if (strcmp(de->d_name, "glossary") == 0) {
			if (S_ISDIR(st.st_mode)) {
				cmd_push(&t->gdirs, &t->ngdirs, path);
				path = NULL;
			}
		} else if (S_ISREG(st.st_mode) && len > 4 &&
		    strcmp(de->d_name + len - 4, ".drf") == 0) {
			cmd_push(v, n, path);
			path = NULL;
		} else if (S_ISDIR(st.st_mode) && access(deck, F_OK) != 0)
			cmd_folder_decks(path, depth + 1, v, n, t);
		free(deck);
		free(path);
	}
	closedir(d);
	if (depth == 0 && *n > 1)
		qsort(*v, *n, sizeof **v, cmd_cmp_paths);
	if (depth == 0 && t->ngdirs > 1)
		qsort(t->gdirs, t->ngdirs, sizeof *t->gdirs, cmd_cmp_paths);
}

/* Returns 1 if some deck's term found its entry in glossary folder gdir. */
static int
cmd_entry_used(const struct cmd_terms *t, const char *gdir, const char *term)
{
	size_t	 i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].dir != NULL && strcmp(t->v[i].dir, gdir) == 0 &&
		    strcmp(t->v[i].term, term) == 0)
			return 1;
	return 0;
}

/*
 * Reports the entries of the glossary folders in a folder (its own and its
 * course folders') that no deck finds; returns how many.
 */
static size_t
cmd_check_unused(const struct cmd_terms *t, const char *dir)
{
	char		**entries;
	size_t		 g, n, j, unused = 0;

	for (g = 0; g < t->ngdirs; g++) {
		n = glossary_list(t->gdirs[g], 0, &entries);
		for (j = 0; j < n; j++) {
			if (!cmd_entry_used(t, t->gdirs[g], entries[j])) {
				unused++;
				printf("%s/%s.html: warning: glossary entry "
				    "'%s' is used by no deck of %s\n",
				    t->gdirs[g], entries[j], entries[j], dir);
			}
			free(entries[j]);
		}
		free(entries);
	}
	return unused;
}

/*
 * Reports across a folder's decks: the terms used without an entry in
 * their deck's glossary folders (when the deck's own check could not say
 * so: none of those folders exists), and the entries that no deck finds.
 */
static void
cmd_check_concordance(const struct cmd_author *c, const char *dir,
    struct cmd_terms *t, size_t ndecks)
{
	size_t		 i, missing = 0, unused;

	for (i = 0; i < t->n; i++) {
		if (t->v[i].dir != NULL)
			continue;
		missing++;
		if (!t->v[i].said)
			printf("%s:%lu: warning: glossary term '%s' has no entry "
			    "(%s)\n", t->v[i].file, t->v[i].line, t->v[i].term,
			    t->v[i].want);
	}
	unused = cmd_check_unused(t, dir);
	if (!c->quiet)
		printf("%s: %zu deck%s, %zu glossary term%s used, %zu without "
		    "an entry, %zu entr%s used by no deck\n", dir, ndecks,
		    ndecks == 1 ? "" : "s", t->n, t->n == 1 ? "" : "s", missing,
		    unused, unused == 1 ? "y" : "ies");
}

/* Frees what check gathered across a folder. */
static void
cmd_terms_free(struct cmd_terms *t)
{
	size_t	 i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].term);
		free(t->v[i].dir);
		free(t->v[i].file);
		free(t->v[i].want);
	}
	free(t->v);
	for (i = 0; i < t->ngdirs; i++)
		free(t->gdirs[i]);
	free(t->gdirs);
}

/*
 * Returns how many folders a deck found in a checked folder is below its
 * decks root: --decks when given, else the checked folder; -1, said, when
 * it is not inside --decks.
 */
static int
cmd_folder_levels(const struct cmd_author *c, const char *dir,
    const char *path, size_t *levels)
{
	const char	*p;

	if (c->decks != NULL)
		return cmd_levels(c, path, levels);
	*levels = 0;
	for (p = path + strlen(dir); *p != '\0'; p++)
		*levels += *p == '/';
	/* The '/' after dir itself is not a folder. */
	*levels -= *levels > 0;
	return 0;
}

/*
 * Checks every deck of a folder, each looking its terms up from its own
 * folder up to the decks root, then the glossary across them.
 */
static int
cmd_check_folder(const struct cmd_author *c, const char *dir)
{
	struct cmd_terms t;
	char		**paths = NULL;
	size_t		 n = 0, i, levels;
	int		 bad = 0;

	memset(&t, 0, sizeof t);
	cmd_folder_decks(dir, 0, &paths, &n, &t);
	for (i = 0; i < n; i++) {
		if (cmd_folder_levels(c, dir, paths[i], &levels) != 0)
			bad = 1;
		else
			bad |= cmd_check_one(c, paths[i], levels, &t);
		free(paths[i]);
	}
	free(paths);
	cmd_check_concordance(c, dir, &t, n);
	cmd_terms_free(&t);
	return bad;
}

/*
 * drfslides check: every diagnostic of every deck, and a summary line
 * each; a folder checks its decks and its glossaries across them.
 */
int
cmd_check(int argc, char **argv)
{
	struct cmd_author	 c;
	struct stat		 st;
	size_t			 levels;
	int			 first, bad;

	if ((first = cmd_author_parse(&c, "check", argc, argv, 1, 1 << 20)) < 0)
		return cmd_author_status(first);
	for (bad = 0; first < argc; first++) {
		if (stat(argv[first], &st) == 0 && S_ISDIR(st.st_mode))
			bad |= cmd_check_folder(&c, argv[first]);
		else if (cmd_levels(&c, argv[first], &levels) != 0)
			bad = 1;
		else
			bad |= cmd_check_one(&c, argv[first], levels, NULL);
	}
	return bad ? CMD_FAIL : CMD_OK;
}

/* drfslides notes: what the original generator printed on standard output. */
int
cmd_notes(int argc, char **argv)
{
	struct cmd_author	 c;
	struct deck		*d;
	int			 first;

	if ((first = cmd_author_parse(&c, "notes", argc, argv, 1, 1)) < 0)
		return cmd_author_status(first);
	if ((d = cmd_load(&c, argv[first])) == NULL)
		return CMD_FAIL;
	if (*d->notes != '\0')
		printf("%s\n", d->notes);
	deck_free(d);
	return CMD_OK;
}

/* Loads the templates for rendering. */
static struct render_templates *
cmd_templates(const struct cmd_author *c)
{
	struct render_templates	*rt;
	char			*dir, *cause;

	dir = paths_data_dir("templates", c->templates, "DRFSLIDES_TEMPLATES");
	if (render_templates_load(&rt, dir, &cause) != 0) {
		cmd_error(c->name, "%s", cause);
		free(cause);
		rt = NULL;
	}
	free(dir);
	return rt;
}

/* drfslides render: one page's HTML on standard output. */
int
cmd_render(int argc, char **argv)
{
	struct cmd_author	 c;
	struct render_templates	*rt;
	struct deck		*d;
	struct buf		 b = BUF_INIT;
	unsigned long		 n;
	int			 first, status = CMD_OK;
	const char		*arg;

	if ((first = cmd_author_parse(&c, "render", argc, argv, 2, 2)) < 0)
		return cmd_author_status(first);
	arg = argv[first + 1];
	if (util_parse_ulong(arg, strlen(arg), (unsigned long)-1, &n) != 0) {
		cmd_error("render", "'%s' is not a page number (0, 1, 2, ...)",
		    arg);
		return CMD_USAGE;
	}
	if ((d = cmd_load(&c, argv[first])) == NULL)
		return CMD_FAIL;
	if (d->npages == 0) {
		cmd_error("render", "%s has no pages (no line of three or more "
		    "'-' starts one)", d->file);
		deck_free(d);
		return CMD_FAIL;
	}
	if (n >= d->npages) {
		cmd_error("render", "%s has %zu page%s (0 to %zu); there is no "
		    "page %lu", d->file, d->npages, d->npages == 1 ? "" : "s",
		    d->npages - 1, n);
		deck_free(d);
		return CMD_FAIL;
	}
	if ((rt = cmd_templates(&c)) == NULL) {
		deck_free(d);
		return CMD_FAIL;
	}
	render_page(rt, d, n, RENDER_SERVED, &b);
	if (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0) {
		cmd_error("render", "writing the page: %s", strerror(errno));
		status = CMD_FAIL;
	}
	buf_free(&b);
	render_templates_free(rt);
	deck_free(d);
	return status;
}

/* Shows export progress on a terminal, one line rewritten in place. */
static void
cmd_export_progress(void *arg, const char *file, size_t done, size_t total)
{
	(void)arg;
	fprintf(stderr, "\r%zu/%zu %-40.40s", done, total, file);
	if (done == total)
		fputc('\n', stderr);
}

/* drfslides export: the deck as a static site in OUTDIR. */
int
cmd_export(int argc, char **argv)
{
	struct cmd_author	 c;
	struct render_templates	*rt;
	struct deck		*d;
	struct diags		 warnings;
	struct export_routes	 routes = { route_table_is_page,
				    route_table_exported, 0 };
	char			*sdir, **gdirs, *adir, *cause;
	size_t			 levels, ngdirs, i;
	int			 first, rc, status = CMD_OK;

	if ((first = cmd_author_parse(&c, "export", argc, argv, 2, 2)) < 0)
		return cmd_author_status(first);
	if (cmd_levels(&c, argv[first], &levels) != 0 ||
	    (d = cmd_load(&c, argv[first])) == NULL)
		return CMD_FAIL;
	/* What check would say, and no site from a deck with errors. */
	glossary_check_deck(d, argv[first], levels, route_table_is_page);
	cmd_print_diags(stderr, d->file, &d->diags);
	if (d->diags.nerrors != 0 && !c.force) {
		cmd_error("export", "%s has %zu error%s; nothing is exported "
		    "(--force exports it anyway)", d->file, d->diags.nerrors,
		    d->diags.nerrors == 1 ? "" : "s");
		deck_free(d);
		return CMD_FAIL;
	}
	if ((rt = cmd_templates(&c)) == NULL) {
		deck_free(d);
		return CMD_FAIL;
	}
	routes.notes = c.notes;
	sdir = paths_data_dir("static", c.static_dir, "DRFSLIDES_STATIC");
	gdirs = deck_glossary_dirs(argv[first], levels, &ngdirs);
	adir = asset_dir(argv[first]);
	diags_init(&warnings);
	rc = export_deck(d, rt, sdir, gdirs, ngdirs, adir, argv[first + 1],
	    &routes, isatty(STDERR_FILENO) && !c.quiet ?
	    cmd_export_progress : NULL, NULL, &warnings, &cause);
	/* Assets that could not be copied: the site works, less those. */
	cmd_print_diags(stderr, d->file, &warnings);
	diags_free(&warnings);
	free(adir);
	if (rc != 0) {
		cmd_error("export", "%s", cause);
		free(cause);
		status = CMD_FAIL;
	} else if (!c.quiet)
		printf("%s: %zu pages written to %s/ (open %s/index.html)\n",
		    d->file, d->npages, argv[first + 1], argv[first + 1]);
	free(sdir);
	for (i = 0; i < ngdirs; i++)
		free(gdirs[i]);
	free(gdirs);
	render_templates_free(rt);
	deck_free(d);
	return status;
}
