/* search_text.c: the plain text that search reads: tags stripped, references decoded, letters folded. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "search_text.h"

#define SEARCH_TEXT_BAD		0xfffdu

/* The named references a deck's text uses; others are kept as written. */
static const struct {
	const char	*name;
	uint32_t	 cp;
} search_text_refs[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", ' ' }, { "copy", 0xa9 }, { "reg", 0xae },
	{ "deg", 0xb0 }, { "middot", 0xb7 }, { "times", 0xd7 },
	{ "laquo", 0xab }, { "raquo", 0xbb }, { "ndash", 0x2013 },
	{ "mdash", 0x2014 }, { "lsquo", 0x2018 }, { "rsquo", 0x2019 },
	{ "ldquo", 0x201c }, { "rdquo", 0x201d }, { "hellip", 0x2026 },
	{ "rarr", 0x2192 }, { "larr", 0x2190 }, { "yen", 0xa5 },
};

/* Inline elements: their tags do not separate words. */
static const char *const search_text_inline[] = {
	"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em",
	"font", "i", "kbd", "mark", "q", "ruby", "s", "samp", "small", "span",
	"strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
};

/* Decodes one code point. */
size_t
search_text_cp(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char	*u = (const unsigned char *)s;
	uint32_t		 c, min;
	size_t			 n, i;

	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		n = 2;
		c = u[0] & 0x1f;
		min = 0x80;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		n = 3;
		c = u[0] & 0x0f;
		min = 0x800;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		n = 4;
		c = u[0] & 0x07;
		min = 0x10000;
	} else
		goto bad;
	if (len < n)
		goto bad;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			goto bad;
		c = (c << 6) | (u[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = SEARCH_TEXT_BAD;
	return 1;
}

/* Appends a code point as UTF-8. */
void
search_text_put(struct buf *b, uint32_t cp)
{
	char	 s[4];

	if (cp < 0x80) {
		buf_addc(b, (char)cp);
		return;
	}
	if (cp < 0x800) {
		s[0] = (char)(0xc0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, s, 2);
	} else if (cp < 0x10000) {
		s[0] = (char)(0xe0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, s, 3);
	} else {
		s[0] = (char)(0xf0 | (cp >> 18));
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[3] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, s, 4);
	}
}

/* Folds case (and full-width ASCII) for comparison. */
uint32_t
search_text_fold(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	if (c >= 0xff01 && c <= 0xff5e)		/* full-width ASCII */
		return search_text_fold(c - 0xfee0);
	if (c == 0x3000)			/* ideographic space */
		return ' ';
	if ((c >= 0xc0 && c <= 0xde && c != 0xd7) ||
	    (c >= 0x391 && c <= 0x3a9) || (c >= 0x410 && c <= 0x42f))
		return c + 32;
	if (c >= 0x400 && c <= 0x40f)
		return c + 80;
	/* Latin Extended-A: pairs, capital first, on even then odd code points. */
	if (((c >= 0x100 && c <= 0x137) || (c >= 0x14a && c <= 0x177)) &&
	    c % 2 == 0)
		return c + 1;
	if (c >= 0x139 && c <= 0x148 && c % 2 == 1)
		return c + 1;
	return c;
}

/* Returns 1 for white space. */
int
search_text_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == 0xa0 || c == 0x3000;
}

/* Returns 1 if the tag named s (len bytes) is an inline element's. */
static int
search_text_is_inline(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < sizeof search_text_inline / sizeof *search_text_inline;
	    i++)
		if (strlen(search_text_inline[i]) == len &&
		    strncasecmp(search_text_inline[i], s, len) == 0)
			return 1;
	return 0;
}

/* Decodes a character reference at s ('&'); returns its length, or 0 for none. */
static size_t
search_text_ref(const char *s, size_t len, uint32_t *cp)
{
	unsigned long	 v = 0;
	size_t		 i, n;
	int		 hex;

	for (n = 1; n < len && n < 12 && s[n] != ';'; n++)
		;
	if (n >= len || s[n] != ';' || n < 2)
		return 0;
	if (s[1] == '#') {
		hex = n > 2 && (s[2] == 'x' || s[2] == 'X');
		for (i = hex ? 3 : 2; i < n; i++) {
			if (s[i] >= '0' && s[i] <= '9')
				v = v * (hex ? 16 : 10) + (unsigned long)(s[i] - '0');
			else if (hex && (s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'f')
				v = v * 16 + (unsigned long)((s[i] | 0x20) - 'a' + 10);
			else
				return 0;
		}
		if (i == (hex ? 3u : 2u))
			return 0;
		*cp = v == 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff) ?
		    SEARCH_TEXT_BAD : (uint32_t)v;
		return n + 1;
	}
	for (i = 0; i < sizeof search_text_refs / sizeof *search_text_refs; i++)
		if (strlen(search_text_refs[i].name) == n - 1 &&
		    memcmp(search_text_refs[i].name, s + 1, n - 1) == 0) {
			*cp = search_text_refs[i].cp;
			return n + 1;
		}
	return 0;
}

/* Appends a code point, collapsing white space; *space says one is pending. */
static void
search_text_emit(struct buf *b, size_t start, uint32_t cp, int *space)
{
	if (search_text_space(cp)) {
		*space = 1;
		return;
	}
	if (*space && b->len > start)
		buf_addc(b, ' ');
	*space = 0;
	search_text_put(b, cp);
}

/*
 * Skips a tag, comment or element whose content is not text at s ('<');
 * returns the bytes to skip and sets *sep when it separates words.
 */
static size_t
search_text_tag(const char *s, size_t len, int *sep)
{
	const char	*e, *name;
	size_t		 i, n, nlen;
	char		 q = 0;

	*sep = 0;
	if (len >= 4 && memcmp(s, "<!--", 4) == 0) {
		for (i = 4; i + 3 <= len; i++)
			if (memcmp(s + i, "-->", 3) == 0)
				return i + 3;
		return len;
	}
	name = s + 1 + (len > 1 && s[1] == '/');
	for (nlen = 0; name + nlen < s + len && (((name[nlen] | 0x20) >= 'a' &&
	    (name[nlen] | 0x20) <= 'z') || (name[nlen] >= '0' &&
	    name[nlen] <= '9')); nlen++)
		;
	for (i = 1; i < len; i++) {
		if (q != 0) {
			if (s[i] == q)
				q = 0;
		} else if (s[i] == '"' || s[i] == '\'')
			q = s[i];
		else if (s[i] == '>')
			break;
	}
	n = i < len ? i + 1 : len;
	*sep = !search_text_is_inline(name, nlen);
	/* The text of a script or a style is not the page's. */
	if (s[1] != '/' && ((nlen == 6 && strncasecmp(name, "script", 6) == 0) ||
	    (nlen == 5 && strncasecmp(name, "style", 5) == 0))) {
		for (i = n; i + nlen + 2 <= len; i++)
			if (s[i] == '<' && s[i + 1] == '/' &&
			    strncasecmp(s + i + 2, name, nlen) == 0)
				break;
		e = i + nlen + 2 <= len ? memchr(s + i, '>', len - i) : NULL;
		return e != NULL ? (size_t)(e - s) + 1 : len;
	}
	return n;
}

/* Appends the plain text of an HTML fragment. */
void
search_text_plain(struct buf *b, const char *s, size_t len)
{
	uint32_t	 cp;
	size_t		 i = 0, n, start = b->len;
	int		 space = 0, sep;

	while (i < len) {
		if (s[i] == '<' && i + 1 < len && (s[i + 1] == '/' ||
		    s[i + 1] == '!' || ((s[i + 1] | 0x20) >= 'a' &&
		    (s[i + 1] | 0x20) <= 'z'))) {
			i += search_text_tag(s + i, len - i, &sep);
			if (sep)
				space = 1;
			continue;
		}
		if (s[i] == '&' && (n = search_text_ref(s + i, len - i, &cp)) > 0) {
			i += n;
			search_text_emit(b, start, cp, &space);
			continue;
		}
		i += search_text_cp(s + i, len - i, &cp);
		search_text_emit(b, start, cp, &space);
	}
}

/* Folds a query into code points, white space collapsed and trimmed. */
int
search_text_query(struct search_query_cp *q, const char *s, size_t len)
{
	uint32_t	 cp;
	size_t		 i = 0;
	int		 space = 0;

	q->n = 0;
	while (i < len) {
		i += search_text_cp(s + i, len - i, &cp);
		cp = search_text_fold(cp);
		if (search_text_space(cp)) {
			space = 1;
			continue;
		}
		if (q->n + (space && q->n > 0) >= SEARCH_TEXT_MAX)
			return -1;
		if (space && q->n > 0)
			q->cp[q->n++] = ' ';
		space = 0;
		q->cp[q->n++] = cp;
	}
	return 0;
}

/* Returns 1 if the folded query matches at text[at..len), with its length in bytes. */
static int
search_text_match(const char *text, size_t len, size_t at,
    const struct search_query_cp *q, size_t *mlen)
{
	uint32_t	 cp;
	size_t		 i, p = at;

	for (i = 0; i < q->n; i++) {
		if (p >= len)
			return 0;
		p += search_text_cp(text + p, len - p, &cp);
		if (search_text_fold(cp) != q->cp[i])
			return 0;
	}
	*mlen = p - at;
	return 1;
}

/* Where the first code point of a query may be found by its bytes alone. */
struct search_text_scan {
	char		 enc[4];	/* kana or kanji as UTF-8 */
	size_t		 enclen;	/* 0: an ASCII one, by its two cases */
	char		 lo, up;
	size_t		 nlo, nup;	/* the next place of each case; SIZE_MAX: not looked */
};

/*
 * Prepares the quick scan when only the first code point's own bytes can
 * stand for it: an ASCII one in text without full-width forms (EF BC xx,
 * EF BD xx, which fold to ASCII), or kana and kanji, which nothing folds
 * to. Returns 0 when the text must be read code point by code point.
 */
static int
search_text_scan_init(struct search_text_scan *sc, uint32_t first,
    const char *text, size_t len)
{
	struct buf	 b = BUF_INIT;

	memset(sc, 0, sizeof *sc);
	sc->nlo = sc->nup = SIZE_MAX;
	sc->enclen = 0;
	if (first >= 0x3040) {
		search_text_put(&b, first);
		memcpy(sc->enc, b.data, b.len);
		sc->enclen = b.len;
		buf_free(&b);
		return 1;
	}
	if (first >= 0x80 || memchr(text, 0xef, len) != NULL)
		return 0;
	sc->lo = (char)first;
	sc->up = first >= 'a' && first <= 'z' ? (char)(first - 32) : sc->lo;
	return 1;
}

/* Returns the next place from p where the first code point is, or len. */
static size_t
search_text_next(struct search_text_scan *sc, const char *text, size_t len,
    size_t p)
{
	const char	*a;

	if (sc->enclen > 0) {
		a = memmem(text + p, len - p, sc->enc, sc->enclen);
		return a != NULL ? (size_t)(a - text) : len;
	}
	/* Each case's next place is looked for again only once passed. */
	if (sc->nlo == SIZE_MAX || sc->nlo < p) {
		a = memchr(text + p, sc->lo, len - p);
		sc->nlo = a != NULL ? (size_t)(a - text) : len;
	}
	if (sc->nup == SIZE_MAX || sc->nup < p) {
		a = sc->up != sc->lo ? memchr(text + p, sc->up, len - p) : NULL;
		sc->nup = a != NULL ? (size_t)(a - text) : len;
	}
	return sc->nlo < sc->nup ? sc->nlo : sc->nup;
}

/* Finds the folded query in the text, from a code point boundary. */
int
search_text_find(const char *text, size_t len, size_t from,
    const struct search_query_cp *q, size_t *off, size_t *mlen)
{
	struct search_text_scan	 sc;
	uint32_t		 cp;
	size_t			 p = from, n;
	int			 quick;

	if (q->n == 0 || from >= len)
		return 0;
	quick = search_text_scan_init(&sc, q->cp[0], text + from, len - from);
	while (p < len) {
		if (quick) {
			if ((p = search_text_next(&sc, text, len, p)) >= len)
				return 0;
			n = 1;
		} else {
			n = search_text_cp(text + p, len - p, &cp);
			if (search_text_fold(cp) != q->cp[0]) {
				p += n;
				continue;
			}
		}
		if (search_text_match(text, len, p, q, mlen)) {
			*off = p;
			return 1;
		}
		p += n;
	}
	return 0;
}
