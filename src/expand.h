/* expand.h: #define substitutions and one-argument macros, in one linear pass. */
#ifndef DRF_EXPAND_H
#define DRF_EXPAND_H

#include <stddef.h>

#include "buf.h"

/*
 * A table of substitutions. "FROM" entries replace text; "NAME()" entries are
 * macros whose call NAME(ARG) is replaced by a template with every $1 set to
 * ARG. Expansion is one left-to-right pass: at each position the longest FROM
 * that matches wins (a macro matches as "NAME("), and what a substitution
 * produces is never scanned again. A table is not thread safe while it is
 * being defined; expand_line() on a table nobody is changing is read-only
 * apart from its lazily built automata and scratch space, so give each
 * thread its own table.
 *
 * Cost: expand_define() is linear in the length of FROM and TO, whatever
 * the number of entries; expand_line() is linear in the length of the line
 * and its output times the logarithm of the number of FROMs at worst,
 * whatever their shape. Memory is linear in the bytes of the FROMs.
 */
struct expand;

/* Why expand_line() reports a place in the line. */
enum expand_event {
	EXPAND_UNTERMINATED,	/* NAME( with no ) on the line: left as written */
	EXPAND_TERM,		/* a glossary macro's argument that is a valid term */
	EXPAND_BAD_TERM		/* a glossary macro's argument that is not a valid term */
};

/* Receives events; s/len is the macro name or the term, col the 1-based column in characters. */
typedef void expand_report_cb(void *arg, enum expand_event, const char *s,
    size_t len, size_t col);

struct expand	*expand_create(void);
void		 expand_free(struct expand *);		/* accepts NULL */

/*
 * Adds or replaces an entry. A FROM that ends in "()" (and has a name before
 * it) defines a macro. A macro named GLS, or one whose template contains
 * "openglossary(", is a glossary macro: its argument is a glossary term, and
 * bytes of it other than ASCII letters, digits, '.', '_' and '-' are
 * percent-encoded in the output.
 */
void		 expand_define(struct expand *, const char *from, size_t fromlen,
		    const char *to, size_t tolen);
size_t		 expand_count(const struct expand *);

/*
 * Appends the expansion of one line (without its terminator) to out. Returns
 * 0, or -1 if out would grow past limit bytes in total (out is then left at
 * some length <= limit). Events go to cb (may be NULL).
 */
int		 expand_line(struct expand *, const char *line, size_t len,
		    struct buf *out, size_t limit, expand_report_cb *cb,
		    void *arg);

/* Returns 1 if a glossary term is valid: not empty, not starting with '.', and only letters, digits, '.', '_', '-' or non-ASCII. */
int		 expand_term_valid(const char *, size_t);

#endif
