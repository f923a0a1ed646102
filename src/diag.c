/* diag.c: collecting and formatting author diagnostics. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

/* Sets a list to empty. */
void
diags_init(struct diags *d)
{
	d->v = NULL;
	d->n = d->cap = d->nerrors = d->nwarnings = 0;
}

/* Frees every message; accepts NULL. */
void
diags_free(struct diags *d)
{
	size_t	 i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++)
		free(d->v[i].msg);
	free(d->v);
	diags_init(d);
}

/* Appends one diagnostic. */
void
diags_add(struct diags *d, enum diag_level level, unsigned long line,
    const char *fmt, ...)
{
	va_list	 ap;

	if (d->n == d->cap) {
		d->cap = d->cap == 0 ? 8 : d->cap * 2;
		d->v = xreallocarray(d->v, d->cap, sizeof *d->v);
	}
	va_start(ap, fmt);
	d->v[d->n].msg = xvasprintf(fmt, ap);
	va_end(ap);
	d->v[d->n].level = level;
	d->v[d->n].line = line;
	d->v[d->n].col = 0;
	d->n++;
	if (level == DIAG_ERROR)
		d->nerrors++;
	else
		d->nwarnings++;
}

/* Names a level the way compilers do. */
const char *
diag_level_name(enum diag_level level)
{
	return level == DIAG_ERROR ? "error" : "warning";
}

/* Formats a diagnostic so that editors can jump to it. */
char *
diag_format(const char *file, const struct diag *dg)
{
	if (dg->line == 0)
		return xasprintf("%s: %s: %s", file,
		    diag_level_name(dg->level), dg->msg);
	return xasprintf("%s:%lu: %s: %s", file, dg->line,
	    diag_level_name(dg->level), dg->msg);
}

/* Inserts "error: " after the file name a cause begins with. */
char *
diag_cause(const char *file, const char *cause)
{
	size_t	 flen = strlen(file);

	if (strncmp(cause, file, flen) == 0 && cause[flen] == ':' &&
	    cause[flen + 1] == ' ')
		return xasprintf("%s: error: %s", file, cause + flen + 2);
	return xasprintf("%s: error: %s", file, cause);
}
