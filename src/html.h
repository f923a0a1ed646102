/* html.h: every escaping primitive of drfslides, in one place. */
#ifndef DRF_HTML_H
#define DRF_HTML_H

#include <stddef.h>

#include "buf.h"

/*
 * Text for an element's content or a quoted attribute value: & < > " ' are
 * replaced by character references. Everything that is not the author's own
 * HTML goes through this before it reaches a page.
 */
void	html_text(struct buf *, const char *, size_t);
void	html_texts(struct buf *, const char *);

/*
 * Percent-encodes every byte outside the RFC 3986 unreserved set
 * (A-Z a-z 0-9 - . _ ~), so the result is safe in a URL path segment, a
 * query value, an HTML attribute and a JavaScript string alike.
 */
void	html_url_component(struct buf *, const char *, size_t);

/* How html_percent() encodes. */
#define HTML_PCT_TILDE	0x1	/* leave '~' as it is, as html_url_component() does */
#define HTML_PCT_TWICE	0x2	/* write '%' as "%25": a javascript: URL decodes once */

/*
 * The one percent-encoder: %XX for every byte other than A-Z a-z 0-9 - . _
 * (and '~' with HTML_PCT_TILDE).
 */
void	html_percent(struct buf *, const char *, size_t, int flags);

/* Returns 1 for a byte html_percent() writes as it is (inline: called per byte). */
static inline int
html_percent_keeps(unsigned char c, int flags)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    (c == '~' && (flags & HTML_PCT_TILDE));
}

/* Returns the number of bytes html_percent() writes for s. */
size_t	html_percent_size(const char *, size_t, int flags);

/*
 * A JSON string literal (with the quotes) that is also safe inside an HTML
 * <script> element or attribute: < > & ' and U+2028/9 are written as \uXXXX.
 */
void	html_json_string(struct buf *, const char *, size_t);

#endif
