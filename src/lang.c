/* lang.c: the interface languages and the choice of one for a page that lists decks. */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "lang.h"
#include "util.h"

/*
 * The interface languages, English first. A third language is one more
 * table (a copy of lang_en.c, translated, with its own plural rule and a
 * form of each count text for each of the rule's categories) named here.
 */
static const struct lang_table *const lang_tables[] = {
	&lang_en,
	&lang_ja
};
#define LANG_N	(sizeof lang_tables / sizeof lang_tables[0])

/* Returns how many interface languages there are. */
size_t
lang_count(void)
{
	return LANG_N;
}

/* Returns the i-th interface language. */
const struct lang_table *
lang_at(size_t i)
{
	return i < LANG_N ? lang_tables[i] : &lang_en;
}

/* Returns the length of a tag's primary subtag (the letters before '-'), 0 if it has none. */
static size_t
lang_primary(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len && isalpha((unsigned char)s[i]); i++)
		;
	if (i == 0 || i > 8 || (i < len && s[i] != '-'))
		return 0;
	return i;
}

/* Returns the table whose tag is the primary subtag s (len bytes), or LANG_N. */
static size_t
lang_findn(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < LANG_N; i++)
		if (strlen(lang_tables[i]->tag) == len &&
		    strncasecmp(lang_tables[i]->tag, s, len) == 0)
			return i;
	return LANG_N;
}

/* Returns the position of a language tag's table, or lang_count(). */
size_t
lang_find(const char *tag)
{
	size_t	 len;

	if (tag == NULL)
		return LANG_N;
	len = lang_primary(tag, strlen(tag));
	return len == 0 ? LANG_N : lang_findn(tag, len);
}

/* Returns the table for a language tag, English when there is none. */
const struct lang_table *
lang_for(const char *tag)
{
	return lang_at(lang_find(tag));
}

/* Returns a text of a table, falling back to English. */
const char *
lang_text(const struct lang_table *t, const char *name)
{
	size_t	 i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, name) == 0)
			return t->v[i].text;
	return t == &lang_en ? "" : lang_text(&lang_en, name);
}

/* Returns a table's count text of a name, or NULL. */
static const struct lang_count *
lang_count_find(const struct lang_table *t, const char *name)
{
	size_t	 i;

	for (i = 0; i < t->ncounts; i++)
		if (strcmp(t->counts[i].name, name) == 0)
			return &t->counts[i];
	return NULL;
}

/* Returns a count text in the form for n, the number put where "{n}" is. */
char *
lang_count_text(const struct lang_table *t, const char *name,
    unsigned long n, const char *shown)
{
	const struct lang_count	*c;
	struct buf		 b = BUF_INIT;
	const char		*form, *p;
	char			 digits[3 * sizeof n + 1];
	size_t			 k;

	if ((c = lang_count_find(t, name)) == NULL && t != &lang_en)
		return lang_count_text(&lang_en, name, n, shown);
	if (c == NULL)
		return xstrdup("");
	k = t->plural(n);
	form = k < LANG_MAX_FORMS && c->forms[k] != NULL ? c->forms[k] :
	    c->forms[0];
	if (shown == NULL) {
		snprintf(digits, sizeof digits, "%lu", n);
		shown = digits;
	}
	while ((p = strstr(form, "{n}")) != NULL) {
		buf_add(&b, form, (size_t)(p - form));
		buf_adds(&b, shown);
		form = p + 3;
	}
	buf_adds(&b, form);
	return buf_detach(&b, NULL);
}

/*
 * Reads a qvalue ("0", "0.5", "1.000": at most three decimals, not above
 * 1) into thousandths; returns -1 when it is not one.
 */
static int
lang_qvalue(const char *s, size_t len)
{
	size_t	 i;
	int	 q, scale = 100;

	if (len == 0 || (s[0] != '0' && s[0] != '1') ||
	    (len > 1 && (s[1] != '.' || len > 5)))
		return -1;
	q = (s[0] - '0') * 1000;
	for (i = 2; i < len; i++, scale /= 10) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		q += (s[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

/* Trims blanks (OWS) from both ends of [*s, *s + *len). */
static void
lang_trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

/*
 * Reads the parameters of one list member (after its range): the q, 1000
 * when there is none, -1 when a q is malformed.
 */
static int
lang_member_q(const char *p, size_t len)
{
	const char	*e, *v;
	size_t		 n, vl;
	int		 q = 1000;

	while (len > 0) {
		e = memchr(p, ';', len);
		n = e == NULL ? len : (size_t)(e - p);
		v = p;
		vl = n;
		lang_trim(&v, &vl);
		if (vl >= 2 && (v[0] == 'q' || v[0] == 'Q')) {
			v++;
			vl--;
			lang_trim(&v, &vl);
			if (vl == 0 || *v != '=')
				return -1;
			v++;
			vl--;
			lang_trim(&v, &vl);
			if ((q = lang_qvalue(v, vl)) < 0)
				return -1;
		}
		if (e == NULL)
			break;
		p = e + 1;
		len -= n + 1;
	}
	return q;
}

/* Reads Accept-Language for one table's tag. */
int
lang_accept_q(const char *accept, const char *tag, size_t *pos)
{
	const char	*p = accept, *e, *r, *semi;
	size_t		 n, rl, at = 0, best_pos = 0, star_pos = 0;
	int		 q, best = -1, star = -1, any = 0;

	*pos = (size_t)-1;
	if (accept == NULL)
		return -1;
	for (; *p != '\0'; p = *e == '\0' ? e : e + 1) {
		e = p + strcspn(p, ",");
		n = (size_t)(e - p);
		semi = memchr(p, ';', n);
		r = p;
		rl = semi == NULL ? n : (size_t)(semi - p);
		lang_trim(&r, &rl);
		if (rl == 0)
			continue;
		q = semi == NULL ? 1000 : lang_member_q(semi + 1,
		    n - (size_t)(semi + 1 - p));
		if (q < 0 || (!(rl == 1 && *r == '*') &&
		    lang_primary(r, rl) == 0))
			continue;
		any = 1;
		at++;
		if (rl == 1 && *r == '*') {
			if (q > star) {
				star = q;
				star_pos = at;
			}
		} else if (lang_primary(r, rl) == strlen(tag) &&
		    strncasecmp(r, tag, strlen(tag)) == 0 && q > best) {
			best = q;
			best_pos = at;
		}
	}
	if (!any)
		return -1;
	if (best >= 0) {
		*pos = best_pos;
		return best;
	}
	if (star >= 0) {
		*pos = (size_t)-1 / 2 + star_pos;
		return star;
	}
	return 0;
}

/* Counts the decks of each table: votes[i] for lang_at(i). */
void
lang_votes(size_t *votes, const char *const *deck_langs, size_t n)
{
	size_t	 j, i;

	memset(votes, 0, LANG_N * sizeof *votes);
	for (j = 0; j < n; j++)
		if ((i = lang_find(deck_langs[j])) < LANG_N)
			votes[i]++;
}

/* Picks the interface of a page that lists decks, from the decks' votes. */
size_t
lang_pick_votes(const char *accept, const size_t *votes)
{
	size_t	 i, best = 0, pos, best_pos = 0;
	int	 q, best_q = 0;

	/* The reader's preference first, then most decks, then the table order. */
	for (i = 0; i < LANG_N; i++) {
		q = lang_accept_q(accept, lang_tables[i]->tag, &pos);
		if (q < 0)
			q = 0;
		if (i == 0 || q > best_q || (q == best_q && q > 0 &&
		    pos < best_pos) || (q == best_q && (q == 0 ||
		    pos == best_pos) && votes[i] > votes[best])) {
			best = i;
			best_q = q;
			best_pos = pos;
		}
	}
	return best;
}

/* Picks the interface of a page that lists decks. */
const struct lang_table *
lang_pick(const char *accept, const char *const *deck_langs, size_t n)
{
	size_t	 votes[LANG_N];

	lang_votes(votes, deck_langs, n);
	return lang_tables[lang_pick_votes(accept, votes)];
}
