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

/*
 * A JSON string literal (with the quotes) that is also safe inside an HTML
 * <script> element or attribute: < > & ' and U+2028/9 are written as \uXXXX.
 */
void	html_json_string(struct buf *, const char *, size_t);

#endif
