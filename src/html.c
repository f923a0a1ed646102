/* html.c: escaping for HTML text, attributes, URLs and JSON. */
#include "config.h"

#include <string.h>

#include "html.h"

/* Escapes runs of plain bytes at once, so long text is copied in chunks. */
void
html_text(struct buf *b, const char *s, size_t n)
{
	size_t	 i, start = 0;
	const char *rep;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_add(b, s + start, i - start);
		buf_adds(b, rep);
		start = i + 1;
	}
	buf_add(b, s + start, n - start);
}

/* Escapes a NUL-terminated string. */
void
html_texts(struct buf *b, const char *s)
{
	html_text(b, s, strlen(s));
}

/* Writes runs of kept bytes at once and %XX (or %25XX) for each other byte. */
void
html_percent(struct buf *b, const char *s, size_t n, int flags)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char	  c;
	size_t		  i, start = 0;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (html_percent_keeps(c, flags))
			continue;
		buf_add(b, s + start, i - start);
		buf_adds(b, flags & HTML_PCT_TWICE ? "%25" : "%");
		buf_addc(b, hex[c >> 4]);
		buf_addc(b, hex[c & 15]);
		start = i + 1;
	}
	buf_add(b, s + start, n - start);
}

/* Counts what html_percent() would write. */
size_t
html_percent_size(const char *s, size_t n, int flags)
{
	size_t	 i, size = n;

	for (i = 0; i < n; i++) {
		if (!html_percent_keeps((unsigned char)s[i], flags))
			size += flags & HTML_PCT_TWICE ? 4 : 2;
	}
	return size;
}

/* Writes %XX for every byte that is not unreserved. */
void
html_url_component(struct buf *b, const char *s, size_t n)
{
	html_percent(b, s, n, HTML_PCT_TILDE);
}

/* Escapes for JSON, and also for the HTML contexts a JSON value may land in. */
void
html_json_string(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char	  c;
	size_t		  i;

	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0xa8 ||
		    (unsigned char)s[i + 2] == 0xa9)) {
			buf_adds(b, (unsigned char)s[i + 2] == 0xa8 ?
			    "\\u2028" : "\\u2029");
			i += 2;
			continue;
		}
		switch (c) {
		case '"': buf_adds(b, "\\\""); continue;
		case '\\': buf_adds(b, "\\\\"); continue;
		case '\n': buf_adds(b, "\\n"); continue;
		case '\r': buf_adds(b, "\\r"); continue;
		case '\t': buf_adds(b, "\\t"); continue;
		}
		if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\'') {
			buf_adds(b, "\\u00");
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
			continue;
		}
		buf_addc(b, (char)c);
	}
	buf_addc(b, '"');
}
