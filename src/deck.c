/* deck.c: the .drf parser: preamble, directives, pages, and their expansion. */
#include "config.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "asset.h"
#include "buf.h"
#include "deck.h"
#include "expand.h"
#include "refs.h"
#include "source.h"
#include "typeset.h"
#include "util.h"

/* The directives of drf(5); anything else after '#' is a comment. */
static const char *const deck_directives[] = {
	"title", "header", "footer", "define", "charset", "aspect", "lang",
	"theme",
	"note"
};

/* The themes of drfslides.css a deck may choose with "#theme". */
static const char *const deck_themes[] = { "default", "high-contrast" };
#define DECK_NTHEMES (sizeof deck_themes / sizeof deck_themes[0])
#define DECK_NDIRECTIVES (sizeof deck_directives / sizeof deck_directives[0])

/* The state of one parse, freed when it ends. */
struct deck_parser {
	struct deck		*deck;
	const struct deck_limits *limits;
	struct expand		*exp;
	const char		*title;		/* in force now */
	const char		*header;
	const char		*footer;
	const char		*lang;		/* of #lang, or NULL */
	struct buf		 body;		/* the page being read */
	struct buf		 notes;
	struct buf		 speaker;	/* the page's #note lines, expanded */
	int			 inpage;
	int			 kana;
	unsigned long		 inpre;		/* line of the open <pre>, or 0 */
	unsigned long		 lineno;
	size_t			 termcap;
	size_t			*termlen;	/* of each term, for the hash's compares */
	size_t			*termhash;	/* open addressing: index + 1 of a term, or 0 */
	size_t			 termhashcap;	/* a power of two, or 0 */
	size_t			 done;		/* bytes of finished page bodies */
	size_t			 refcap;
	struct buf		 ref;		/* the reference being decoded */
	char			*chunk;		/* where the next page body goes */
	size_t			 chunkused;
	size_t			 chunkcap;
	size_t			 srclen;	/* of the decoded text */
	char			*errmsg;	/* why the line lineno stopped the parse */
	struct typeset_scan	 ts;		/* the page's code and formulas */
};

/* The largest piece of memory page bodies are put in, unless one is larger. */
#define DECK_CHUNK_MAX	((size_t)8 << 20)

/* Orders pages by label, then by number, for deck_check_labels(). */
static int
deck_label_cmp(const void *a, const void *b)
{
	const struct deck_page	*pa = *(const struct deck_page *const *)a;
	const struct deck_page	*pb = *(const struct deck_page *const *)b;
	int			 c;

	if ((c = strcmp(pa->label, pb->label)) != 0)
		return c;
	return pa < pb ? -1 : pa > pb;
}

/*
 * Warns about a label that a page shares with an earlier page: the address
 * NAME/@LABEL can lead to only one of them (the first).
 */
static void
deck_check_labels(struct deck *d)
{
	const struct deck_page	**v, *first = NULL;
	size_t			 i, n = 0;

	v = xcalloc(d->npages + 1, sizeof *v);
	for (i = 0; i < d->npages; i++)
		if (*d->pages[i].label != '\0')
			v[n++] = &d->pages[i];
	qsort(v, n, sizeof *v, deck_label_cmp);
	for (i = 0; i < n; i++) {
		if (first == NULL || strcmp(v[i]->label, first->label) != 0) {
			first = v[i];
			continue;
		}
		diags_add(&d->diags, DIAG_WARNING, v[i]->line,
		    "page %zu has the label '%s' of page %zu (line %lu): "
		    "links to @%s lead to page %zu only",
		    (size_t)(v[i] - d->pages), v[i]->label,
		    (size_t)(first - d->pages), first->line, v[i]->label,
		    (size_t)(first - d->pages));
	}
	free(v);
}

/* Fills in the default limits. */
void
deck_limits_default(struct deck_limits *l)
{
	l->max_source = DECK_MAX_SOURCE;
	l->max_expanded = DECK_MAX_EXPANDED;
}

/* Frees a deck and everything it owns. */
void
deck_free(struct deck *d)
{
	size_t	 i;

	if (d == NULL)
		return;
	/* The page bodies are in the chunks. */
	for (i = 0; i < d->nchunks; i++)
		free(d->chunks[i]);
	free(d->chunks);
	free(d->pages);
	for (i = 0; i < d->nterms; i++)
		free(d->terms[i].term);
	free(d->terms);
	for (i = 0; i < d->nrefs; i++)
		free(d->refs[i].path);
	free(d->refs);
	for (i = 0; i < d->nstrs; i++)
		free(d->strs[i]);
	free(d->strs);
	diags_free(&d->diags);
	free(d->file);
	free(d->name);
	free(d->title);
	free(d->notes);
	free(d->charset);
	free(d);
}

/* Checks the characters of a deck name. */
int
deck_name_valid(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || len > DECK_NAME_MAX || s[0] == '-')
		return 0;
	for (i = 0; i < len; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return 0;
	}
	return 1;
}

/* Checks a course folder's name. */
int
deck_course_name_valid(const char *s, size_t len)
{
	return deck_name_valid(s, len) &&
	    !(len == 8 && memcmp(s, "glossary", 8) == 0);
}

/* Checks a deck's path below the root: folders, then the deck's own name. */
int
deck_path_valid(const char *s, size_t len)
{
	const char	*slash;
	size_t		 depth = 0, n;

	while ((slash = memchr(s, '/', len)) != NULL) {
		n = (size_t)(slash - s);
		if (++depth > DECK_DEPTH_MAX || !deck_course_name_valid(s, n))
			return 0;
		s += n + 1;
		len -= n + 1;
	}
	return deck_name_valid(s, len);
}

/* Flattens a deck's name in place: '/' as '+'. */
void
deck_flatten(char *s)
{
	for (; (s = strchr(s, '/')) != NULL; s++)
		*s = '+';
}

/* Returns a deck's name flattened. */
char *
deck_flat_name(const char *name)
{
	char	*s;

	s = xstrdup(name);
	deck_flatten(s);
	return s;
}

/* Sets the deck's name below the root; its base is the last part. */
void
deck_set_name(struct deck *d, const char *name)
{
	const char	*slash;

	free(d->name);
	d->name = xstrdup(name);
	slash = strrchr(d->name, '/');
	d->base = slash == NULL ? d->name : slash + 1;
}

/* Strips the directory and the ".drf" suffix. */
char *
deck_name_from_path(const char *path)
{
	const char	*base, *slash;
	size_t		 len;

	slash = strrchr(path, '/');
	base = slash == NULL ? path : slash + 1;
	len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".drf") == 0)
		len -= 4;
	if (!deck_name_valid(base, len))
		return NULL;
	return xstrndup(base, len);
}

/* Returns "DIR/glossary" for a deck at "DIR/NAME.drf". */
char *
deck_glossary_dir(const char *path)
{
	const char	*slash;

	slash = strrchr(path, '/');
	if (slash == NULL)
		return xstrdup("glossary");
	return xasprintf("%.*s/glossary", (int)(slash - path), path);
}

/* Lists the glossary folders from the deck's own up levels folders. */
char **
deck_glossary_dirs(const char *path, size_t levels, size_t *n)
{
	char		**v;
	const char	*end;
	size_t		 i;

	v = xcalloc(levels + 1, sizeof *v);
	/* end: where the folder part of path ends (its last '/'). */
	end = strrchr(path, '/');
	for (i = 0; i <= levels; i++) {
		if (end == NULL) {
			v[i++] = xstrdup("glossary");
			break;
		}
		v[i] = xasprintf("%.*s/glossary", (int)(end - path), path);
		while (end > path && end[-1] != '/')
			end--;
		end = end > path ? end - 1 : NULL;
	}
	*n = i;
	return v;
}

/* Keeps a string for the pages to share; returns the deck's copy. */
static const char *
deck_keep(struct deck *d, const char *s, size_t len)
{
	/* Double at powers of two: a deck may hold a label per page. */
	if ((d->nstrs & (d->nstrs - 1)) == 0)
		d->strs = xreallocarray(d->strs, d->nstrs == 0 ? 1 :
		    d->nstrs * 2, sizeof *d->strs);
	d->strs[d->nstrs] = xstrndup(s, len);
	return d->strs[d->nstrs++];
}

/* Returns 1 for a blank within a line. */
static int
deck_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Trims blanks from both ends of a range. */
static void
deck_trim(const char **s, size_t *len)
{
	while (*len > 0 && deck_blank(**s))
		(*s)++, (*len)--;
	while (*len > 0 && deck_blank((*s)[*len - 1]))
		(*len)--;
}

/* Returns the damerau-levenshtein distance of two short words, capped at 3. */
static size_t
deck_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t	 d[12][12], i, j, v;

	if (la > 10 || lb > 10)
		return 3;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			v = d[i - 1][j - 1] + (tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]));
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb] > 3 ? 3 : d[la][lb];
}

/* Warns about a comment that looks like a misspelt directive. */
static void
deck_check_comment(struct deck_parser *p, const char *line, size_t len)
{
	size_t	 n = 0, i;

	while (1 + n < len && isalpha((unsigned char)line[1 + n]))
		n++;
	if (n < 3 || (1 + n < len && !deck_blank(line[1 + n])))
		return;
	for (i = 0; i < DECK_NDIRECTIVES; i++) {
		if (deck_distance(line + 1, n, deck_directives[i],
		    strlen(deck_directives[i])) <= 2) {
			diags_add(&p->deck->diags, DIAG_WARNING, p->lineno,
			    "'#%.*s' is not a directive and is ignored as a "
			    "comment; did you mean '#%s'?", (int)n, line + 1,
			    deck_directives[i]);
			return;
		}
	}
}

/*
 * Follows <pre> and </pre> through a page line (case-insensitive; the last
 * one on the line wins), so that '#' lines inside a code sample are noticed.
 */
static void
deck_track_pre(struct deck_parser *p, const char *line, size_t len)
{
	size_t	 i;

	for (i = 0; i + 4 <= len; i++) {
		if (line[i] != '<')
			continue;
		if (i + 5 <= len && line[i + 1] == '/' &&
		    strncasecmp(line + i + 2, "pre", 3) == 0 &&
		    (i + 5 == len || line[i + 5] == '>' || isspace((unsigned
		    char)line[i + 5])))
			p->inpre = 0;
		else if (strncasecmp(line + i + 1, "pre", 3) == 0 &&
		    (i + 4 == len || line[i + 4] == '>' || isspace((unsigned
		    char)line[i + 4])))
			p->inpre = p->lineno;
	}
}

/*
 * Warns about a '#' line inside <pre>: drf(5) reads it as a comment or a
 * directive, so it is not shown, which a code sample ("#include") rarely wants.
 */
static void
deck_warn_pre(struct deck_parser *p, int dir)
{
	diags_add(&p->deck->diags, DIAG_WARNING, p->lineno,
	    "this line starts with '#' inside <pre> (opened on line %lu): it "
	    "is read as %s%s and not shown; write &#35; for a '#' that "
	    "starts a line of the sample", p->inpre, dir < 0 ? "a comment" :
	    "the directive #", dir < 0 ? "" : deck_directives[dir]);
}

/* Returns the directive a '#' line names, or -1 for a comment. */
static int
deck_directive(const char *line, size_t len, const char **arg, size_t *arglen)
{
	size_t	 i, n;

	for (i = 0; i < DECK_NDIRECTIVES; i++) {
		n = strlen(deck_directives[i]);
		if (len < 1 + n || memcmp(line + 1, deck_directives[i], n) != 0)
			continue;
		if (len > 1 + n && !deck_blank(line[1 + n]))
			continue;
		*arg = line + 1 + n;
		*arglen = len - 1 - n;
		deck_trim(arg, arglen);
		return (int)i;
	}
	return -1;
}

/* Handles "#define FROM TO". */
static void
deck_define(struct deck_parser *p, const char *arg, size_t arglen)
{
	size_t	 n = 0;
	const char *to;
	size_t	 tolen;

	while (n < arglen && !deck_blank(arg[n]))
		n++;
	if (n == 0) {
		diags_add(&p->deck->diags, DIAG_WARNING, p->lineno,
		    "#define without a name is ignored");
		return;
	}
	to = arg + n;
	tolen = arglen - n;
	deck_trim(&to, &tolen);
	expand_define(p->exp, arg, n, to, tolen);
}

/* Hashes a term. */
static size_t
deck_term_hash(const char *s, size_t len)
{
	return (size_t)util_hash(UTIL_HASH_INIT, s, len);
}

/* Returns the hash slot of a term: where it is, or the empty slot for it. */
static size_t
deck_term_slot(struct deck_parser *p, const char *s, size_t len)
{
	const char	*t;
	size_t		 mask = p->termhashcap - 1, j;

	for (j = deck_term_hash(s, len) & mask; p->termhash[j] != 0;
	    j = (j + 1) & mask) {
		t = p->deck->terms[p->termhash[j] - 1].term;
		if (p->termlen[p->termhash[j] - 1] == len &&
		    memcmp(t, s, len) == 0)
			break;
	}
	return j;
}

/* Records a glossary term the first time it is seen. */
static void
deck_add_term(struct deck_parser *p, const char *s, size_t len)
{
	struct deck	*d = p->deck;
	const char	*t;
	size_t		 i, j;

	/* A hash of the terms seen keeps a deck with many terms linear. */
	if (2 * (d->nterms + 1) > p->termhashcap) {
		free(p->termhash);
		p->termhashcap = p->termhashcap == 0 ? 64 : p->termhashcap * 2;
		p->termhash = xcalloc(p->termhashcap, sizeof *p->termhash);
		for (i = 0; i < d->nterms; i++) {
			t = d->terms[i].term;
			p->termhash[deck_term_slot(p, t, p->termlen[i])] = i + 1;
		}
	}
	j = deck_term_slot(p, s, len);
	if (p->termhash[j] != 0)
		return;
	if (d->nterms == p->termcap) {
		p->termcap = p->termcap == 0 ? 16 : p->termcap * 2;
		d->terms = xreallocarray(d->terms, p->termcap, sizeof *d->terms);
		p->termlen = xreallocarray(p->termlen, p->termcap,
		    sizeof *p->termlen);
	}
	p->termlen[d->nterms] = len;
	d->terms[d->nterms].term = xstrndup(s, len);
	d->terms[d->nterms].line = p->lineno;
	d->nterms++;
	p->termhash[j] = d->nterms;
}

/* Turns the expander's events into diagnostics and the term list. */
static void
deck_expand_event(void *arg, enum expand_event ev, const char *s, size_t len,
    size_t col)
{
	struct deck_parser	*p = arg;
	struct buf		 shown = BUF_INIT;
	size_t			 i;

	switch (ev) {
	case EXPAND_UNTERMINATED:
		diags_add(&p->deck->diags, DIAG_ERROR, p->lineno,
		    "macro call '%.*s(' at column %zu has no ')' on its line; "
		    "left as written", (int)len, s, col);
		break;
	case EXPAND_TERM:
		deck_add_term(p, s, len);
		break;
	case EXPAND_BAD_TERM:
		for (i = 0; i < len && i < 40; i++) {
			if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
				buf_printf(&shown, "\\x%02x", (unsigned char)s[i]);
			else
				buf_addc(&shown, s[i]);
		}
		if (i < len)
			buf_adds(&shown, "...");
		diags_add(&p->deck->diags, DIAG_ERROR, p->lineno,
		    "glossary term '%s' at column %zu is not valid: use "
		    "letters, digits, '.', '_' and '-', not starting with '.'",
		    shown.data == NULL ? "" : shown.data, col);
		buf_free(&shown);
		break;
	}
}

/* Records one src= or href= value of the current line when it is a relative reference. */
static void
deck_add_ref(void *arg, const char *v, size_t len)
{
	struct deck_parser	*p = arg;
	struct deck		*d = p->deck;
	struct deck_ref		*last;

	if (refs_relative(v, len, &p->ref) != 0)
		return;
	last = d->nrefs == 0 ? NULL : &d->refs[d->nrefs - 1];
	if (last != NULL && last->line == p->lineno &&
	    strcmp(last->path, p->ref.data) == 0)
		return;
	if (d->nrefs == p->refcap) {
		p->refcap = p->refcap == 0 ? 16 : p->refcap * 2;
		d->refs = xreallocarray(d->refs, p->refcap, sizeof *d->refs);
	}
	d->refs[d->nrefs].path = xstrndup(p->ref.data, p->ref.len);
	d->refs[d->nrefs].line = p->lineno;
	d->nrefs++;
}

/* Returns 1 if a UTF-8 line holds kana or CJK ideographs. */
static int
deck_has_cjk(const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i;

	for (i = 0; i + 2 < len; i++) {
		/* U+3040-U+30FF (kana) and U+4E00-U+9FFF (ideographs). */
		if ((u[i] == 0xe3 && (u[i + 1] == 0x81 || u[i + 1] == 0x82 ||
		    u[i + 1] == 0x83)) || (u[i] >= 0xe4 && u[i] <= 0xe9))
			return 1;
	}
	return 0;
}

/*
 * Returns room for n bytes of page body. The bodies share large chunks, with
 * huge pages when the system has them: a big deck's bodies then cost a few
 * allocations and page faults instead of one allocation per page and one
 * fault every 4 KiB. The first chunk is about the size of the source text.
 */
static char *
deck_body_space(struct deck_parser *p, size_t n)
{
	struct deck	*d = p->deck;
	size_t		 cap;
	char		*s;

	if (p->chunk == NULL || n > p->chunkcap - p->chunkused) {
		if (p->chunk == NULL)
			cap = p->srclen < 4096 ? 4096 : p->srclen;
		else
			cap = p->chunkcap * 2;
		if (cap > DECK_CHUNK_MAX)
			cap = DECK_CHUNK_MAX;
		if (cap < n)
			cap = n;
		if ((d->nchunks & (d->nchunks - 1)) == 0)
			d->chunks = xreallocarray(d->chunks, d->nchunks == 0 ?
			    1 : d->nchunks * 2, sizeof *d->chunks);
		p->chunk = xmalloc(cap);
		util_hint_huge(p->chunk, cap);
		d->chunks[d->nchunks++] = p->chunk;
		p->chunkused = 0;
		p->chunkcap = cap;
	}
	s = p->chunk + p->chunkused;
	p->chunkused += n;
	return s;
}

/* Closes the page being read, if any. */
static void
deck_end_page(struct deck_parser *p)
{
	struct deck_page	*pg;
	size_t			 len;

	if (!p->inpage)
		return;
	pg = &p->deck->pages[p->deck->npages - 1];
	/*
	 * Copy the body out at its exact size: decks can be large, and the
	 * buffer, kept for the next page, has grown to fit already.
	 */
	len = p->body.len;
	pg->body = deck_body_space(p, len + 1);
	if (len != 0)
		memcpy(pg->body, p->body.data, len);
	pg->body[len] = '\0';
	pg->bodylen = len;
	typeset_scan_end(&p->ts, &p->deck->diags);
	pg->typeset = p->ts.found;
	p->deck->typeset |= p->ts.found;
	if (p->deck->code_line == 0)
		p->deck->code_line = p->ts.code_line;
	if (p->deck->math_line == 0)
		p->deck->math_line = p->ts.math_line;
	memset(&p->ts, 0, sizeof p->ts);
	p->done += len;
	p->body.len = 0;
	len = p->speaker.len;
	if (len != 0) {
		pg->notes = deck_body_space(p, len + 1);
		memcpy(pg->notes, p->speaker.data, len);
		pg->notes[len] = '\0';
		pg->noteslen = len;
		p->done += len;
		p->speaker.len = 0;
	}
	p->inpage = 0;
}

/* Starts a page at a separator line. */
static void
deck_start_page(struct deck_parser *p, const char *line, size_t len)
{
	struct deck		*d = p->deck;
	struct deck_page	*pg;
	const char		*label;
	size_t			 labellen;

	deck_end_page(p);
	if ((d->npages & (d->npages - 1)) == 0)
		d->pages = xreallocarray(d->pages, d->npages == 0 ? 1 :
		    d->npages * 2, sizeof *d->pages);
	pg = &d->pages[d->npages++];
	memset(pg, 0, sizeof *pg);
	label = line;
	labellen = len;
	while (labellen > 0 && *label == '-')
		label++, labellen--;
	deck_trim(&label, &labellen);
	pg->line = p->lineno;
	pg->label = labellen == 0 ? "" : deck_keep(d, label, labellen);
	pg->title = p->title;
	pg->header = p->header;
	pg->footer = p->footer;
	if (d->npages == 1 && d->title == NULL)
		d->title = xstrdup(p->title);
	p->inpage = 1;
	p->inpre = 0;
}

/* Handles "#aspect 16:9|4:3": the shape of every slide, set before the first page. */
static void
deck_aspect(struct deck_parser *p, const char *arg, size_t arglen)
{
	if (p->deck->npages != 0)
		diags_add(&p->deck->diags, DIAG_WARNING, p->lineno,
		    "#aspect after the first page separator has no effect");
	else if (arglen == 4 && memcmp(arg, "16:9", 4) == 0)
		p->deck->aspect = "16:9";
	else if (arglen == 3 && memcmp(arg, "4:3", 3) == 0)
		p->deck->aspect = "4:3";
	else
		diags_add(&p->deck->diags, DIAG_WARNING, p->lineno,
		    "#aspect '%.*s' is ignored; it is 16:9 or 4:3",
		    (int)arglen, arg);
}

/* Handles "#theme NAME": the look of every page, one of deck_themes, set before the first page. */
static void
deck_theme(struct deck_parser *p, const char *arg, size_t arglen)
{
	size_t	i;

	if (p->deck->npages != 0) {
		diags_add(&p->deck->diags, DIAG_WARNING, p->lineno,
		    "#theme after the first page separator has no effect");
		return;
	}
	for (i = 0; i < DECK_NTHEMES; i++)
		if (strlen(deck_themes[i]) == arglen &&
		    memcmp(deck_themes[i], arg, arglen) == 0) {
			p->deck->theme = deck_themes[i];
			return;
		}
	diags_add(&p->deck->diags, DIAG_WARNING, p->lineno,
	    "#theme '%.*s' is not a theme; it is default or high-contrast",
	    (int)arglen, arg);
}

/*
 * Expands one line into out, followed by a newline; the limit counts every
 * page body and note, so this line gets what is left. -1 with *cause when
 * the deck grows past it.
 */
static int
deck_expand(struct deck_parser *p, const char *line, size_t len,
    struct buf *out, expand_report_cb *ev, char **cause)
{
	size_t	 used, limit;

	used = p->done + p->body.len + p->speaker.len;
	limit = used < p->limits->max_expanded ?
	    p->limits->max_expanded - used : 0;
	limit += out->len;
	if (expand_line(p->exp, line, len, out, limit, ev, p) != 0 ||
	    out->len + 1 > limit) {
		p->errmsg = xasprintf("the expanded deck is larger than the "
		    "limit of %zu bytes (--max-expanded)",
		    p->limits->max_expanded);
		*cause = xasprintf("%s:%lu: %s", p->deck->file, p->lineno,
		    p->errmsg);
		return -1;
	}
	buf_addc(out, '\n');
	return 0;
}

/*
 * Reports what the expander finds in a speaker note: its errors, but not its
 * glossary terms, which would put the entry in public documents (print).
 */
static void
deck_note_event(void *arg, enum expand_event ev, const char *s, size_t len,
    size_t col)
{
	if (ev != EXPAND_TERM)
		deck_expand_event(arg, ev, s, len, col);
}

/* Handles "#note TEXT": a line of the page's speaker notes, expanded like its text. */
static int
deck_note(struct deck_parser *p, const char *arg, size_t arglen, char **cause)
{
	if (!p->inpage) {
		diags_add(&p->deck->diags, DIAG_WARNING, p->lineno,
		    "#note before the first page separator is ignored; "
		    "the preamble itself is the deck's notes");
		return 0;
	}
	return deck_expand(p, arg, arglen, &p->speaker, deck_note_event, cause);
}

/*
 * Returns 1 if s is a language tag of the shape BCP 47 gives: a primary
 * language of 2 or 3 letters (or "x" or "i" for a private or old tag), then
 * subtags of 1 to 8 letters or digits, separated by '-'.
 */
static int
deck_lang_valid(const char *s, size_t len)
{
	size_t	 i, start = 0, n;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '-') {
			if (!isalnum((unsigned char)s[i]) ||
			    (start == 0 && !isalpha((unsigned char)s[i])))
				return 0;
			continue;
		}
		n = i - start;
		if (n == 0 || n > 8 || (start == 0 && n != 2 && n != 3 &&
		    !(n == 1 && (s[0] == 'x' || s[0] == 'i' || s[0] == 'X' ||
		    s[0] == 'I'))))
			return 0;
		start = i + 1;
	}
	return len > 0;
}

/* Handles "#lang TAG": the language of the deck and of its interface. */
static void
deck_lang(struct deck_parser *p, const char *arg, size_t arglen)
{
	if (p->deck->npages != 0)
		diags_add(&p->deck->diags, DIAG_WARNING, p->lineno,
		    "#lang after the first page separator has no effect");
	else if (!deck_lang_valid(arg, arglen))
		diags_add(&p->deck->diags, DIAG_WARNING, p->lineno,
		    "#lang '%.*s' is ignored: it is not a language tag such "
		    "as en, ja or pt-BR", (int)arglen, arg);
	else
		p->lang = deck_keep(p->deck, arg, arglen);
}

/* Handles one line of the decoded text; returns -1 with *cause on a fatal error. */
static int
deck_line(struct deck_parser *p, const char *line, size_t len, char **cause)
{
	struct deck	*d = p->deck;
	const char	*arg;
	size_t		 arglen, start;
	int		 dir;

	if (len >= 3 && line[0] == '-' && line[1] == '-' && line[2] == '-') {
		deck_start_page(p, line, len);
		return 0;
	}
	if (len > 0 && line[0] == '#') {
		dir = deck_directive(line, len, &arg, &arglen);
		if (p->inpre != 0 && p->inpage)
			deck_warn_pre(p, dir);
		switch (dir) {
		case 0:
			p->title = deck_keep(d, arg, arglen);
			break;
		case 1:
			p->header = deck_keep(d, arg, arglen);
			refs_scan(arg, arglen, deck_add_ref, p);
			break;
		case 2:
			p->footer = deck_keep(d, arg, arglen);
			refs_scan(arg, arglen, deck_add_ref, p);
			break;
		case 3:
			deck_define(p, arg, arglen);
			break;
		case 4:
			if (d->npages != 0)
				diags_add(&d->diags, DIAG_WARNING, p->lineno,
				    "#charset after the first page separator "
				    "has no effect");
			break;
		case 5:
			deck_aspect(p, arg, arglen);
			break;
		case 6:
			deck_lang(p, arg, arglen);
			break;
		case 7:
			deck_theme(p, arg, arglen);
			break;
		case 8:
			return deck_note(p, arg, arglen, cause);
		default:
			deck_check_comment(p, line, len);
			break;
		}
		return 0;
	}
	if (!p->inpage) {
		buf_add(&p->notes, line, len);
		buf_addc(&p->notes, '\n');
		return 0;
	}
	if (!p->kana)
		p->kana = deck_has_cjk(line, len);
	deck_track_pre(p, line, len);
	start = p->body.len;
	if (deck_expand(p, line, len, &p->body, deck_expand_event, cause) != 0)
		return -1;
	refs_scan(p->body.data + start, p->body.len - start, deck_add_ref, p);
	typeset_scan_line(&p->ts, p->body.data + start, p->body.len - start - 1,
	    p->lineno, &d->diags);
	return 0;
}

/*
 * Fills *err (when not NULL) with a failure on line and byte column (0:
 * none), taking msg and text.
 */
static void
deck_error_set(struct deck_error *err, unsigned long line, size_t col,
    char *msg, char *text, size_t textlen)
{
	if (err == NULL) {
		free(msg);
		free(text);
		return;
	}
	deck_error_free(err);
	err->dg.level = DIAG_ERROR;
	err->dg.line = line;
	err->dg.col = col;
	err->dg.msg = msg;
	err->text = text;
	err->textlen = textlen;
}

/* Frees what a failure holds and empties it; accepts NULL. */
void
deck_error_free(struct deck_error *err)
{
	if (err == NULL)
		return;
	free(err->dg.msg);
	free(err->text);
	memset(err, 0, sizeof *err);
}

/* Copies a failure. */
void
deck_error_copy(struct deck_error *dst, const struct deck_error *src)
{
	*dst = *src;
	dst->dg.msg = src->dg.msg == NULL ? NULL : xstrdup(src->dg.msg);
	dst->text = src->text == NULL ? NULL : xstrndup(src->text,
	    src->textlen);
}

/* Parses decoded text into the deck; a failing line goes to *err. */
static int
deck_parse_text(struct deck_parser *p, const char *text, size_t len,
    char **cause, struct deck_error *err)
{
	struct source_iter	 it;
	const char		*line;
	size_t			 linelen;

	source_iter_init(&it, text, len);
	while (source_next_line(&it, &line, &linelen, &p->lineno) == 0) {
		if (deck_line(p, line, linelen, cause) != 0) {
			deck_error_set(err, p->lineno, 0, p->errmsg,
			    xstrndup(line, linelen), linelen);
			p->errmsg = NULL;
			return -1;
		}
	}
	return 0;
}

/* Takes the notes buffer apart into the deck's notes, without trailing blank lines. */
static void
deck_finish_notes(struct deck_parser *p)
{
	struct buf	*n = &p->notes;

	while (n->len > 0 && (n->data[n->len - 1] == '\n' ||
	    deck_blank(n->data[n->len - 1])))
		n->len--;
	if (n->data != NULL)
		n->data[n->len] = '\0';
	p->deck->notes = buf_detach(n, NULL);
}

/* Parses bytes that are already in memory; a failure also goes to *err (may be NULL). */
static int
deck_parse_err(struct deck **out, const char *file, char *bytes, size_t len,
    const struct deck_limits *limits, char **cause, struct deck_error *err)
{
	struct deck_limits	 deflimits;
	struct deck_parser	 p;
	struct source		 src;
	struct deck		*d;
	const char		*slash;
	char			*msg;
	size_t			 nlen;
	int			 rc;

	*out = NULL;
	if (limits == NULL) {
		deck_limits_default(&deflimits);
		limits = &deflimits;
	}
	if (len > limits->max_source) {
		msg = xasprintf("the file is %zu bytes, larger than the limit "
		    "of %zu bytes (--max-source)", len, limits->max_source);
		*cause = xasprintf("%s: %s", file, msg);
		deck_error_set(err, 0, 0, msg, NULL, 0);
		free(bytes);
		return -1;
	}
	if (source_decode(&src, file, bytes, len, cause) != 0) {
		deck_error_set(err, src.err_line, src.err_col, src.err_msg,
		    src.err_text, src.err_textlen);
		src.err_msg = src.err_text = NULL;
		source_free(&src);
		return -1;
	}

	d = xcalloc(1, sizeof *d);
	diags_init(&d->diags);
	d->file = xstrdup(file);
	d->name = deck_name_from_path(file);
	if (d->name == NULL) {
		slash = strrchr(file, '/');
		slash = slash == NULL ? file : slash + 1;
		nlen = strlen(slash);
		if (nlen > 4 && strcmp(slash + nlen - 4, ".drf") == 0)
			nlen -= 4;
		d->name = xstrndup(slash, nlen);
	}
	d->base = d->name;
	d->charset = xstrdup(src.charset);
	d->charset_guessed = src.guessed;
	if (src.guessed)
		diags_add(&d->diags, DIAG_WARNING, 1, "the file is not UTF-8 "
		    "and has no #charset line; it was read as %s by a guess: "
		    "add \"#charset %s\" (or save it as UTF-8) to be sure",
		    src.charset, strcmp(src.charset, "CP932") == 0 ?
		    "Shift_JIS" : src.charset);
	d->aspect = "16:9";
	d->theme = "default";

	memset(&p, 0, sizeof p);
	p.deck = d;
	p.limits = limits;
	p.exp = expand_create();
	p.title = p.header = p.footer = "";
	buf_init(&p.body);
	buf_init(&p.notes);
	buf_init(&p.speaker);

	p.srclen = src.len;
	rc = deck_parse_text(&p, src.text, src.len, cause, err);
	if (rc == 0) {
		deck_end_page(&p);
		d->expanded = p.done;
		if (d->title == NULL)
			d->title = xstrdup(p.title);
		if (*d->title == '\0') {
			free(d->title);
			d->title = xstrdup(d->name);
		}
		deck_finish_notes(&p);
		deck_check_labels(d);
		d->lang = p.lang != NULL ? p.lang : p.kana ? "ja" : "en";
	}
	buf_free(&p.body);
	buf_free(&p.notes);
	buf_free(&p.speaker);
	buf_free(&p.ref);
	free(p.termhash);
	free(p.termlen);
	expand_free(p.exp);
	source_free(&src);
	if (rc != 0) {
		deck_free(d);
		return -1;
	}
	*out = d;
	return 0;
}

/* Reads a deck file and parses it; symbolic links are refused with nofollow. */
int
deck_load_file(struct deck **out, const char *path,
    const struct deck_limits *limits, int nofollow, struct stat *stp,
    char **cause, struct deck_error *err)
{
	return deck_load_file_raw(out, path, limits, nofollow, stp, cause, err,
	    NULL, NULL);
}

/* Reads a deck file and parses it, keeping a copy of its bytes as read when raw is not NULL. */
int
deck_load_file_raw(struct deck **out, const char *path,
    const struct deck_limits *limits, int nofollow, struct stat *stp,
    char **cause, struct deck_error *err, char **raw, size_t *rawlen)
{
	struct deck_limits	 deflimits;
	struct stat		 st;
	char			*bytes, *msg;
	size_t			 len;
	int			 rc;

	*out = NULL;
	if (limits == NULL) {
		deck_limits_default(&deflimits);
		limits = &deflimits;
	}
	/* Say which limit, before the reader refuses the size on its own terms. */
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uintmax_t)st.st_size > limits->max_source) {
		msg = xasprintf("the file is %jd bytes, larger than the limit "
		    "of %zu bytes (--max-source)", (intmax_t)st.st_size,
		    limits->max_source);
		*cause = xasprintf("%s: %s", path, msg);
		deck_error_set(err, 0, 0, msg, NULL, 0);
		return -1;
	}
	rc = util_read_file_st(path, nofollow, limits->max_source, &bytes, &len,
	    stp, cause);
	if (rc != 0)
		return -2;	/* not read: descriptors, memory, permissions */
	if (raw != NULL) {
		*raw = xmalloc(len + 1);
		memcpy(*raw, bytes, len + 1);
		*rawlen = len;
	}
	return deck_parse_err(out, path, bytes, len, limits, cause, err);
}

/* Parses bytes that are already in memory. */
int
deck_parse(struct deck **out, const char *file, char *bytes, size_t len,
    const struct deck_limits *limits, char **cause)
{
	return deck_parse_err(out, file, bytes, len, limits, cause, NULL);
}

/* Reads a deck file and parses it. */
int
deck_load(struct deck **out, const char *path, const struct deck_limits *limits,
    char **cause)
{
	return deck_load_file(out, path, limits, 0, NULL, cause, NULL);
}

/* Tells a link to one of the deck's pages ("3", "print", "NAME3.html") from an asset. */
int
deck_ref_is_page(const struct deck *d, const char *ref, deck_is_page_fn *is_page)
{
	size_t	 len = strlen(ref), nlen = strlen(d->base), i;

	if (is_page != NULL && is_page(ref, len))
		return 1;
	/* The 2001 names of the pages, as an exported site has them. */
	if (len <= nlen + 5 || strncmp(ref, d->base, nlen) != 0 ||
	    strcmp(ref + len - 5, ".html") != 0)
		return 0;
	for (i = nlen; i < len - 5; i++) {
		if (ref[i] < '0' || ref[i] > '9')
			return 0;
	}
	return 1;
}

/* Returns 1 if a relative path has a ".." segment. */
static int
deck_ref_escapes(const char *p)
{
	const char	*s;
	size_t		 n;

	for (s = p; *s != '\0'; s += n + (s[n] == '/')) {
		n = strcspn(s, "/");
		if (n == 2 && s[0] == '.' && s[1] == '.')
			return 1;
	}
	return 0;
}

/* Warns for references that name no file the servers would send. */
size_t
deck_check_assets(struct deck *d, const char *dir, deck_is_page_fn *is_page)
{
	struct stat	 st;
	const char	*p;
	char		*cause;
	size_t		 i, bad = 0;
	int		 fd;

	for (i = 0; i < d->nrefs; i++) {
		p = d->refs[i].path;
		if (deck_ref_is_page(d, p, is_page))
			continue;
		if (deck_ref_escapes(p)) {
			diags_add(&d->diags, DIAG_WARNING, d->refs[i].line,
			    "'%s' leads out of the deck's folder %s/ with "
			    "'..': it is not an asset of this deck and export "
			    "does not copy it", p, dir);
			bad++;
		} else if (!asset_path_valid(p, strlen(p))) {
			diags_add(&d->diags, DIAG_WARNING, d->refs[i].line,
			    "'%s' is not a valid asset name (use letters, "
			    "digits, '.', '_' and '-', each part of the path "
			    "not starting with '.')", p);
			bad++;
		} else if (asset_open(dir, p, strlen(p), &fd, &st,
		    &cause) != 0) {
			diags_add(&d->diags, DIAG_WARNING, d->refs[i].line,
			    "'%s' is referenced but %s", p, cause);
			free(cause);
			bad++;
		} else
			close(fd);
	}
	return bad;
}

/* Finds the first page that carries a label (check warns about a label two pages share). */
size_t
deck_label_page(const struct deck *d, const char *label, size_t len)
{
	size_t	 i;

	for (i = 0; i < d->npages; i++)
		if (strlen(d->pages[i].label) == len &&
		    memcmp(d->pages[i].label, label, len) == 0)
			break;
	return i;
}
