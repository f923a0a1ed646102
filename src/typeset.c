/* typeset.c: finds a page's code blocks and TeX formulas, and the formulas' broken delimiters. */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "diag.h"
#include "typeset.h"

/* Elements whose text KaTeX's auto-render leaves alone (its ignoredTags). */
static const char *const typeset_skip_tags[] = {
	"pre", "code", "script", "style", "textarea", "noscript", "option"
};

/* Returns 1 for an ASCII letter. */
static int
typeset_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Returns 1 if the tag name n (len bytes) is one whose text is not TeX. */
static int
typeset_skip_tag(const char *n, size_t len)
{
	size_t	 i;

	for (i = 0; i < sizeof typeset_skip_tags / sizeof typeset_skip_tags[0];
	    i++)
		if (strlen(typeset_skip_tags[i]) == len &&
		    strncasecmp(typeset_skip_tags[i], n, len) == 0)
			return 1;
	return 0;
}

/* Returns 1 if the bytes s..end hold "language-" or "lang-" (a highlight.js class). */
static int
typeset_has_language(const char *s, const char *end)
{
	for (; s + 5 <= end; s++) {
		if (strncasecmp(s, "lang-", 5) == 0 || (s + 9 <= end &&
		    strncasecmp(s, "language-", 9) == 0))
			return 1;
	}
	return 0;
}

/*
 * Reads the tag at s ('<'), which ends before end or at the end of the
 * line; returns where the scan goes on. Not a tag ("a < b", "<!--"): s + 1.
 */
static const char *
typeset_tag(struct typeset_scan *ts, const char *s, const char *end,
    unsigned long line, struct diags *diags)
{
	const char	*n = s + 1, *gt;
	size_t		 nlen;
	int		 closing = 0;

	if (n < end && *n == '/') {
		closing = 1;
		n++;
	}
	if (n >= end || !typeset_alpha(*n))
		return s + 1;
	for (nlen = 0; n + nlen < end && (typeset_alpha(n[nlen]) ||
	    (n[nlen] >= '0' && n[nlen] <= '9')); nlen++)
		;
	if ((gt = memchr(n + nlen, '>', (size_t)(end - n - nlen))) == NULL)
		gt = end;
	if (ts->open != 0 && ts->skip == 0) {
		/* A formula is one piece of text: a tag ends its chance. */
		diags_add(diags, DIAG_WARNING, line, "the formula begun with "
		    "'\\%c' on line %lu is cut by the HTML tag '%.*s': KaTeX "
		    "typesets only text up to '\\%c' (write '<' as '&lt;'), so "
		    "it stays as TeX", ts->open, ts->open_line,
		    (int)(gt == end ? end - s : gt + 1 - s), s,
		    ts->open == '(' ? ')' : ']');
		ts->orphan = ts->open == '(' ? ')' : ']';
		ts->open = 0;
	}
	if (!closing && nlen == 4 && strncasecmp(n, "code", 4) == 0 &&
	    typeset_has_language(n + nlen, gt) && ts->code_line == 0) {
		ts->found |= TYPESET_CODE;
		ts->code_line = line;
	}
	if (typeset_skip_tag(n, nlen) && (gt == end || gt[-1] != '/')) {
		if (!closing)
			ts->skip++;
		else if (ts->skip > 0)
			ts->skip--;
	}
	return gt == end ? end : gt + 1;
}

/* Handles the delimiter '\' c at line; c is one of "()[]". */
static void
typeset_delim(struct typeset_scan *ts, char c, unsigned long line,
    struct diags *diags)
{
	char	 close = ts->open == '(' ? ')' : ']';

	if (ts->open == 0) {
		if (c == '(' || c == '[') {
			ts->open = c;
			ts->open_line = line;
			ts->braces = 0;
			ts->orphan = 0;
		} else if (c == ts->orphan)
			ts->orphan = 0;	/* the end of a formula a tag cut */
		else
			diags_add(diags, DIAG_WARNING, line, "'\\%c' closes no "
			    "formula: there is no '\\%c' before it", c,
			    c == ')' ? '(' : '[');
		return;
	}
	if (c == close && ts->braces == 0) {
		ts->open = 0;
		ts->found |= TYPESET_MATH;
		if (ts->math_line == 0)
			ts->math_line = ts->open_line;
	} else if (c == '(' || c == '[')
		diags_add(diags, DIAG_WARNING, line, "'\\%c' begins a formula "
		    "inside the one begun with '\\%c' on line %lu: is its '\\%c' "
		    "missing?", c, ts->open, ts->open_line, close);
	else if (c != close)
		diags_add(diags, DIAG_WARNING, line, "'\\%c' inside the formula "
		    "begun with '\\%c' on line %lu, which '\\%c' ends", c,
		    ts->open, ts->open_line, close);
}

/* Scans one line of a page's expanded HTML. */
void
typeset_scan_line(struct typeset_scan *ts, const char *s, size_t len,
    unsigned long line, struct diags *diags)
{
	const char	*end = s + len;

	/* Most lines have neither tags nor TeX. */
	if (ts->open == 0 && memchr(s, '<', len) == NULL &&
	    memchr(s, '\\', len) == NULL)
		return;
	while (s < end) {
		if (*s == '<') {
			s = typeset_tag(ts, s, end, line, diags);
			continue;
		}
		if (ts->skip == 0 && *s == '\\' && s + 1 < end) {
			if (strchr("()[]", s[1]) != NULL)
				typeset_delim(ts, s[1], line, diags);
			/* In a formula, "\{" or "\\" is one symbol: skip both. */
			s += 2;
			continue;
		}
		if (ts->open != 0 && ts->skip == 0) {
			if (*s == '{')
				ts->braces++;
			else if (*s == '}' && ts->braces > 0)
				ts->braces--;
		}
		s++;
	}
}

/* Ends a page. */
void
typeset_scan_end(struct typeset_scan *ts, struct diags *diags)
{
	if (ts->open != 0)
		diags_add(diags, DIAG_WARNING, ts->open_line, "the formula "
		    "begun with '\\%c' on this line has no '\\%c' on its page: "
		    "it is shown as TeX", ts->open, ts->open == '(' ? ')' : ']');
	ts->open = 0;
}
