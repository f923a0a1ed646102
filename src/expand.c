/* expand.c: the substitution table and the single-pass, longest-match expander. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expand.h"
#include "source.h"
#include "util.h"

struct expand_entry {
	char	*from;		/* for a macro, "NAME(" */
	size_t	 fromlen;
	char	*to;
	size_t	 tolen;
	size_t	 nsub;		/* how many $1 the template holds */
	int	 macro;
	int	 glossary;
	int	 jsurl;		/* the template is a javascript: URL */
	int	 same;		/* a plain FROM that maps to itself */
};

struct expand {
	struct expand_entry	*v;
	size_t			 n;
	size_t			 cap;
	/*
	 * For each first byte, the entries starting with it, longest first,
	 * so that the first one that matches is the longest match.
	 */
	struct expand_entry	**byfirst[256];
	size_t			 nbyfirst[256];
	/*
	 * A filter on the first two bytes, cheaper than any comparison, as
	 * UTF-8 text shares a few lead bytes: pairs[firstix[c] << 8 | c2] is
	 * 1 if an entry may start with c then c2 (any c2 for a one-byte
	 * entry). firstix[c] is 0, a row of zeros, when nothing starts with c.
	 */
	uint16_t		 firstix[256];
	unsigned char		*pairs;
	/*
	 * When no entry is a single byte (but for self-maps), the scan looks
	 * at every second pair only: steps[stepix[a] << 8 | b] is 1 if a, b
	 * may be the first two bytes of an entry, or its second and third,
	 * or the second byte of a two-byte entry and any byte after it; it
	 * is indexed by the two bytes as they are in memory, one load.
	 */
	int			 stride2;
	unsigned char		*steps;
	int			 dirty;
};

/* Creates an empty table. */
struct expand *
expand_create(void)
{
	return xcalloc(1, sizeof(struct expand));
}

/* Drops the first-byte index. */
static void
expand_clear_index(struct expand *e)
{
	int	 c;

	for (c = 0; c < 256; c++) {
		free(e->byfirst[c]);
		e->byfirst[c] = NULL;
		e->nbyfirst[c] = 0;
	}
	free(e->pairs);
	e->pairs = NULL;
	free(e->steps);
	e->steps = NULL;
}

/* Frees the table and its entries. */
void
expand_free(struct expand *e)
{
	size_t	 i;

	if (e == NULL)
		return;
	for (i = 0; i < e->n; i++) {
		free(e->v[i].from);
		free(e->v[i].to);
	}
	free(e->v);
	expand_clear_index(e);
	free(e);
}

/* Returns the number of entries. */
size_t
expand_count(const struct expand *e)
{
	return e->n;
}

/* Finds a substring in a byte range. */
static int
expand_contains(const char *s, size_t len, const char *needle)
{
	return memmem(s, len, needle, strlen(needle)) != NULL;
}

/* Adds an entry or replaces the one with the same FROM. */
void
expand_define(struct expand *e, const char *from, size_t fromlen,
    const char *to, size_t tolen)
{
	struct expand_entry	*ent = NULL;
	char			*key;
	size_t			 keylen, i;
	int			 macro = 0;

	if (fromlen == 0)
		return;
	if (fromlen > 2 && from[fromlen - 2] == '(' && from[fromlen - 1] == ')') {
		macro = 1;
		keylen = fromlen - 1;		/* keep the "(" */
	} else
		keylen = fromlen;
	key = xstrndup(from, keylen);

	for (i = 0; i < e->n; i++) {
		if (e->v[i].macro == macro && e->v[i].fromlen == keylen &&
		    memcmp(e->v[i].from, key, keylen) == 0) {
			ent = &e->v[i];
			free(ent->from);
			free(ent->to);
			break;
		}
	}
	if (ent == NULL) {
		if (e->n == e->cap) {
			e->cap = e->cap == 0 ? 16 : e->cap * 2;
			e->v = xreallocarray(e->v, e->cap, sizeof *e->v);
		}
		ent = &e->v[e->n++];
	}
	ent->from = key;
	ent->fromlen = keylen;
	ent->to = xstrndup(to, tolen);
	ent->tolen = tolen;
	ent->macro = macro;
	ent->nsub = 0;
	for (i = 0; i + 1 < tolen; i++) {
		if (to[i] == '$' && to[i + 1] == '1') {
			ent->nsub++;
			i++;
		}
	}
	ent->glossary = macro && ((keylen == 4 && memcmp(key, "GLS(", 4) == 0) ||
	    expand_contains(to, tolen, "openglossary("));
	/* A javascript: URL is percent-decoded by the browser before it runs. */
	ent->jsurl = tolen >= 11 && strncasecmp(to, "javascript:", 11) == 0;
	ent->same = !macro && tolen == keylen && memcmp(to, key, keylen) == 0;
	e->dirty = 1;
}

/* Orders entries longest first. */
static int
expand_cmp_len(const void *a, const void *b)
{
	const struct expand_entry *ea = *(struct expand_entry *const *)a;
	const struct expand_entry *eb = *(struct expand_entry *const *)b;

	if (ea->fromlen != eb->fromlen)
		return ea->fromlen > eb->fromlen ? -1 : 1;
	return 0;
}

/* Returns the index of the pair a, b in the table of steps. */
static size_t
expand_step_index(unsigned char a, unsigned char b)
{
	unsigned char	 pair[2] = { a, b };
	uint16_t	 ix;

	memcpy(&ix, pair, sizeof ix);
	return ix;
}

/* Builds the table of the scan that looks at every second pair, if it can serve. */
static void
expand_build_steps(struct expand *e)
{
	const struct expand_entry	*v;
	size_t				 i;
	int				 c;

	e->stride2 = 1;
	for (i = 0; i < e->n; i++) {
		if (e->v[i].fromlen == 1 && !e->v[i].same)
			e->stride2 = 0;
	}
	if (!e->stride2)
		return;
	e->steps = xcalloc(256, 256);
	for (i = 0; i < e->n; i++) {
		v = &e->v[i];
		if (v->fromlen == 1)
			continue;
		e->steps[expand_step_index(v->from[0], v->from[1])] = 1;
		if (v->fromlen > 2) {
			e->steps[expand_step_index(v->from[1], v->from[2])] = 1;
			continue;
		}
		for (c = 0; c < 256; c++)
			e->steps[expand_step_index(v->from[1], c)] = 1;
	}
}

/* Rebuilds the first-byte index after the table changed. */
static void
expand_build_index(struct expand *e)
{
	size_t		 i, nfirst = 0;
	int		 c;
	unsigned char	 f;
	unsigned char	*row;

	expand_clear_index(e);
	for (i = 0; i < e->n; i++)
		e->nbyfirst[(unsigned char)e->v[i].from[0]]++;
	for (c = 0; c < 256; c++) {
		e->firstix[c] = 0;
		if (e->nbyfirst[c] != 0) {
			e->byfirst[c] = xreallocarray(NULL, e->nbyfirst[c],
			    sizeof *e->byfirst[c]);
			e->firstix[c] = (uint16_t)++nfirst;
		}
		e->nbyfirst[c] = 0;
	}
	e->pairs = xcalloc(nfirst + 1, 256);
	for (i = 0; i < e->n; i++) {
		f = (unsigned char)e->v[i].from[0];
		e->byfirst[f][e->nbyfirst[f]++] = &e->v[i];
		if (e->v[i].fromlen == 1 && e->v[i].same)
			continue;	/* matching it or not gives the same text */
		row = e->pairs + ((size_t)e->firstix[f] << 8);
		if (e->v[i].fromlen == 1)
			memset(row, 1, 256);
		else
			row[(unsigned char)e->v[i].from[1]] = 1;
	}
	for (c = 0; c < 256; c++) {
		if (e->nbyfirst[c] > 1)
			qsort(e->byfirst[c], e->nbyfirst[c],
			    sizeof *e->byfirst[c], expand_cmp_len);
	}
	expand_build_steps(e);
	e->dirty = 0;
}

/* Returns 1 for a byte a glossary term may hold as it is. */
static int
expand_term_byte(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* Checks a glossary term against the rules in drf(5). */
int
expand_term_valid(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || s[0] == '.')
		return 0;
	for (i = 0; i < len; i++) {
		if (!expand_term_byte((unsigned char)s[i]) &&
		    (unsigned char)s[i] < 0x80)
			return 0;
	}
	/* Non-ASCII letters, yes; bytes that are not UTF-8, no. */
	return source_valid_utf8(s, len, NULL);
}

/* Returns the size of a glossary term once percent-encoded (twice, in a javascript: URL). */
static size_t
expand_term_size(const char *s, size_t len, int jsurl)
{
	size_t	 i, n = len;

	for (i = 0; i < len; i++) {
		if (!expand_term_byte((unsigned char)s[i]))
			n += jsurl ? 4 : 2;
	}
	return n;
}

/*
 * Appends a glossary term, percent-encoding every byte that is not plainly
 * safe. In a javascript: URL the browser decodes %XX once before the script
 * runs, so there the '%' itself is encoded too (%25XX): the script then sees
 * %XX, never a quote, and passes an encoded file name to the display frame.
 */
static void
expand_add_term(struct buf *out, const char *s, size_t len, int jsurl)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t		  i, start = 0;
	unsigned char	  c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (expand_term_byte(c))
			continue;
		buf_add(out, s + start, i - start);
		/* Not html_url_component(): that one leaves '~' as it is. */
		buf_adds(out, jsurl ? "%25" : "%");
		buf_addc(out, hex[c >> 4]);
		buf_addc(out, hex[c & 15]);
		start = i + 1;
	}
	buf_add(out, s + start, len - start);
}

/* Appends a macro's template with each $1 replaced by the argument. */
static void
expand_add_template(struct buf *out, const struct expand_entry *ent,
    const char *arg, size_t arglen)
{
	const char	*t = ent->to, *end = ent->to + ent->tolen, *d;

	while (t < end) {
		d = memchr(t, '$', (size_t)(end - t));
		if (d == NULL || d + 1 >= end) {
			buf_add(out, t, (size_t)(end - t));
			return;
		}
		buf_add(out, t, (size_t)(d - t));
		if (d[1] == '1') {
			if (ent->glossary)
				expand_add_term(out, arg, arglen, ent->jsurl);
			else
				buf_add(out, arg, arglen);
			t = d + 2;
		} else {
			buf_addc(out, '$');
			t = d + 1;
		}
	}
}

/* Compares two short byte ranges; FROMs are short, so no call to memcmp. */
static int
expand_same(const char *a, const char *b, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (a[i] != b[i])
			return 0;
	}
	return 1;
}

/*
 * Returns the first position from i on where an entry may start, judged by
 * its first two bytes; the last byte of the line is always returned, for
 * one-byte entries. The scan that all plain text goes through.
 */
#define EXPAND_MAY(e, u, i) \
	((e)->pairs[(size_t)(e)->firstix[(u)[i]] << 8 | (u)[(i) + 1]])

static size_t
expand_skip(const struct expand *e, const unsigned char *u, size_t i,
    size_t len)
{
	/* Eight bytes at a time, without a branch each, in plain text. */
	for (; i + 8 < len; i += 8) {
		if (EXPAND_MAY(e, u, i) | EXPAND_MAY(e, u, i + 1) |
		    EXPAND_MAY(e, u, i + 2) | EXPAND_MAY(e, u, i + 3) |
		    EXPAND_MAY(e, u, i + 4) | EXPAND_MAY(e, u, i + 5) |
		    EXPAND_MAY(e, u, i + 6) | EXPAND_MAY(e, u, i + 7))
			break;
	}
	for (; i + 1 < len; i++) {
		if (EXPAND_MAY(e, u, i))
			return i;
	}
	return i;
}

/*
 * Like expand_skip, for a table without one-byte entries (self-maps aside),
 * but returns only positions where an entry's first three bytes may match
 * (two for a two-byte entry). An entry of two bytes or more that starts at
 * p covers the pair at p and the pair at p + 1, so looking at every second
 * pair finds it; the exact filter then tells p from p + 1.
 */
#define EXPAND_STEP(e, u, s) \
	((e)->steps[expand_load16((u) + (s))])

/* Loads two bytes as they are in memory. */
static inline uint16_t
expand_load16(const unsigned char *p)
{
	uint16_t	 v;

	memcpy(&v, p, sizeof v);
	return v;
}

static size_t
expand_skip2(const struct expand *e, const unsigned char *u, size_t i,
    size_t len)
{
	size_t	 s, k;

	if (i + 1 < len && EXPAND_MAY(e, u, i))
		return i;
	/* The pair at s flags an entry starting at s - 1 or s. */
	s = i + 1;
	for (;;) {
		for (; s + 7 < len; s += 8) {
			if (EXPAND_STEP(e, u, s) | EXPAND_STEP(e, u, s + 2) |
			    EXPAND_STEP(e, u, s + 4) | EXPAND_STEP(e, u, s + 6))
				break;
		}
		if (s + 1 >= len)
			break;
		for (k = 0; k < 4 && s + 1 < len; k++, s += 2) {
			if (!EXPAND_STEP(e, u, s))
				continue;
			if (EXPAND_MAY(e, u, s - 1))
				return s - 1;
			if (EXPAND_MAY(e, u, s))
				return s;
		}
	}
	/* The pairs not looked at yet, one by one. */
	for (s--; s + 1 < len; s++) {
		if (EXPAND_MAY(e, u, s))
			return s;
	}
	return s;
}

/* The expansion loop: copies plain runs in bulk and tries entries only where one can start. */
int
expand_line(struct expand *e, const char *line, size_t len, struct buf *out,
    size_t limit, expand_report_cb *cb, void *arg)
{
	struct expand_entry	**cand, *ent;
	const char		*close, *a, *nextclose = NULL, *from = NULL;
	size_t			 i = 0, run = 0, k, ncand, alen, grow;
	unsigned char		 c;

	if (e->dirty)
		expand_build_index(e);
	if (e->n == 0) {
		if (len > limit || out->len > limit - len)
			return -1;
		buf_add(out, line, len);
		return 0;
	}
	while (i < len) {
		if (e->stride2)
			i = expand_skip2(e, (const unsigned char *)line, i,
			    len);
		else
			i = expand_skip(e, (const unsigned char *)line, i, len);
		if (i == len)
			break;
		c = (unsigned char)line[i];
		ncand = e->nbyfirst[c];
		cand = e->byfirst[c];
		ent = NULL;
		for (k = 0; k < ncand; k++) {
			/* The first byte is known to match. */
			if (cand[k]->fromlen <= len - i &&
			    expand_same(line + i + 1, cand[k]->from + 1,
			    cand[k]->fromlen - 1)) {
				ent = cand[k];
				break;
			}
		}
		if (ent == NULL) {
			i++;
			continue;
		}
		if (ent->same) {
			/* Like "#define < <": the text stays in the plain run. */
			i += ent->fromlen;
			continue;
		}
		/* Flush the plain run before the match. */
		if (i - run > limit || out->len > limit - (i - run))
			return -1;
		buf_add(out, line + run, i - run);
		if (!ent->macro) {
			if (ent->tolen > limit || out->len > limit - ent->tolen)
				return -1;
			buf_add(out, ent->to, ent->tolen);
			i += ent->fromlen;
			run = i;
			continue;
		}
		a = line + i + ent->fromlen;
		/*
		 * Remember the first ')' at or after from, so that many calls
		 * without one do not scan the rest of the line each time.
		 */
		if (from == NULL || (nextclose != NULL && a > nextclose)) {
			from = a;
			nextclose = memchr(a, ')', len - i - ent->fromlen);
		}
		close = nextclose;
		if (close == NULL) {
			if (cb != NULL)
				cb(arg, EXPAND_UNTERMINATED, ent->from,
				    ent->fromlen - 1, i + 1);
			if (ent->fromlen > limit || out->len > limit - ent->fromlen)
				return -1;
			buf_add(out, ent->from, ent->fromlen);
			i += ent->fromlen;
			run = i;
			continue;
		}
		alen = (size_t)(close - a);
		if (ent->glossary && cb != NULL)
			cb(arg, expand_term_valid(a, alen) ? EXPAND_TERM :
			    EXPAND_BAD_TERM, a, alen, (size_t)(a - line) + 1);
		/* Each $1 becomes the argument, %XX-encoded for a glossary macro. */
		grow = ent->glossary ? expand_term_size(a, alen, ent->jsurl) : alen;
		if (__builtin_mul_overflow(grow, ent->nsub, &grow) ||
		    __builtin_add_overflow(grow, ent->tolen - 2 * ent->nsub, &grow) ||
		    grow > limit || out->len > limit - grow)
			return -1;
		expand_add_template(out, ent, a, alen);
		i = (size_t)(close - line) + 1;
		run = i;
	}
	if (len - run > limit || out->len > limit - (len - run))
		return -1;
	buf_add(out, line + run, len - run);
	return 0;
}
