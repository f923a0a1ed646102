/* refs.c: finds the src= and href= values of a page and the relative paths they name. */
#include "config.h"

#include <string.h>

#include "buf.h"
#include "refs.h"
#include "util.h"

/* Returns 1 for HTML's blanks (ASCII whitespace). */
static int
refs_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Returns 1 if s[0..n) is name, ignoring ASCII case. */
static int
refs_is(const char *s, size_t n, const char *name)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if ((s[i] | 0x20) != name[i])
			return 0;
	}
	return name[n] == '\0';
}

/*
 * Walks the HTML for name=value pairs of src and href. It jumps from one '='
 * to the next (page text holds few), then looks back for the name: this is a
 * pass over every line of every deck, so it must cost little more than memchr.
 */
void
refs_scan(const char *s, size_t len, void (*fn)(void *, const char *, size_t),
    void *arg)
{
	const char	*eq, *qe;
	size_t		 i = 0, e, b, n, j, v;
	char		 q;

	while (i < len && (eq = memchr(s + i, '=', len - i)) != NULL) {
		e = (size_t)(eq - s);
		i = e + 1;
		/* The name ends at the last non-blank before '='. */
		for (b = e; b > 0 && refs_blank(s[b - 1]); b--)
			;
		for (n = 0; n < 5 && n < b && s[b - n - 1] != '/' &&
		    !refs_blank(s[b - n - 1]); n++)
			;
		/* Only "src" or "href" whole: not data-src, not xhref. */
		if ((n != 3 && n != 4) ||
		    !refs_is(s + b - n, n, n == 3 ? "src" : "href"))
			continue;
		j = e + 1;
		while (j < len && refs_blank(s[j]))
			j++;
		if (j >= len)
			break;
		if (s[j] == '"' || s[j] == '\'') {
			q = s[j++];
			qe = memchr(s + j, q, len - j);
			v = qe != NULL ? (size_t)(qe - s) : len;
		} else {
			for (v = j; v < len && !refs_blank(s[v]) && s[v] != '>';
			    v++)
				;
		}
		fn(arg, s + j, v - j);
		i = v;
	}
}

/* Classifies a value and writes the relative path it names. */
int
refs_relative(const char *s, size_t len, struct buf *out)
{
	size_t	 i, seg;
	int	 hi, lo;
	char	 c;

	while (len > 0 && refs_blank(*s))
		s++, len--;
	while (len > 0 && refs_blank(s[len - 1]))
		len--;
	if (len == 0 || s[0] == '/' || s[0] == '\\' || s[0] == '#' ||
	    s[0] == '?')
		return -1;
	/* A scheme: a letter, then letters, digits, '+', '.', '-', then ':'. */
	if ((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z') {
		for (i = 1; i < len; i++) {
			c = s[i];
			if (c == ':')
				return -1;
			if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') &&
			    !(c >= '0' && c <= '9') && c != '+' && c != '.' &&
			    c != '-')
				break;
		}
	}
	for (i = 0; i < len && s[i] != '?' && s[i] != '#'; i++)
		;
	len = i;
	buf_reset(out);
	for (i = 0; i < len; i = seg) {
		/* One segment at a time: "." ones are dropped as a browser does. */
		for (seg = i; seg < len && s[seg] != '/'; seg++)
			;
		if (seg - i == 1 && s[i] == '.') {
			seg++;
			continue;
		}
		if (seg - i == 3 && s[i] == '%' && s[i + 1] == '2' &&
		    (s[i + 2] | 0x20) == 'e') {
			seg++;
			continue;
		}
		for (; i < seg; i++) {
			/* A NUL stays written as "%00": it can name no file. */
			if (s[i] == '%' && i + 2 < seg &&
			    (hi = util_hex(s[i + 1])) >= 0 &&
			    (lo = util_hex(s[i + 2])) >= 0 && (hi | lo) != 0) {
				buf_addc(out, (char)(hi * 16 + lo));
				i += 2;
			} else
				buf_addc(out, s[i]);
		}
		if (seg < len) {
			buf_addc(out, '/');
			seg++;
		}
	}
	return out->len == 0 ? -1 : 0;
}
