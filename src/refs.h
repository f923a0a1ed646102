/* refs.h: the relative references (src=, href=) of a page's HTML. */
#ifndef DRF_REFS_H
#define DRF_REFS_H

#include <stddef.h>

#include "buf.h"

/*
 * Calls fn(arg, value, len) for the value of every src and href attribute
 * (names in any case, values quoted or not) in a piece of HTML. It reads
 * attributes, not elements: an attribute is a name after a blank or '/'
 * (or at the start), then '=' with optional blanks around it.
 */
void	 refs_scan(const char *, size_t,
	    void (*)(void *, const char *, size_t), void *);

/*
 * Turns an attribute value into the path of a relative reference to a file:
 * blanks trimmed, "?query" and "#fragment" cut, %XX decoded, "." segments
 * dropped. Returns -1 for anything that is not one: a value with a scheme
 * ("http:", "mailto:", "data:", "JavaScript:"), starting with '/', '\\',
 * '#' or '?', or empty. ".." segments are kept, for the caller to refuse.
 */
int	 refs_relative(const char *, size_t, struct buf *);

#endif
