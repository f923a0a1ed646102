/* diag.h: author diagnostics in compiler form, "file:line: error|warning: message". */
#ifndef DRF_DIAG_H
#define DRF_DIAG_H

#include <stddef.h>

/*
 * The error convention of drfslides: a function that can fail returns -1 and
 * stores an allocated message in *cause (the caller frees it); a message about
 * a deck reads "file:line: message". Problems that do not stop a deck from
 * loading are collected as diagnostics in a struct diags instead.
 */
enum diag_level {
	DIAG_WARNING,
	DIAG_ERROR
};

struct diag {
	enum diag_level	 level;
	unsigned long	 line;		/* 1-based; 0 when not tied to a line */
	size_t		 col;		/* 1-based byte in the line; 0 when none */
	char		*msg;
};

struct diags {
	struct diag	*v;
	size_t		 n;
	size_t		 cap;
	size_t		 nerrors;
	size_t		 nwarnings;
};

void	 diags_init(struct diags *);
void	 diags_free(struct diags *);
void	 diags_add(struct diags *, enum diag_level, unsigned long,
	    const char *, ...) __attribute__((format(printf, 4, 5)));
/* Returns "file:line: error: message" (or "file: ..." for line 0); caller frees. */
char	*diag_format(const char *, const struct diag *);
const char *diag_level_name(enum diag_level);
/*
 * Turns the cause of a failure not tied to a line ("file: message", such as a
 * file that cannot be read) into "file: error: message"; caller frees. A
 * deck's own errors come as a struct diag (struct deck_error) instead.
 */
char	*diag_cause(const char *file, const char *cause);

#endif
