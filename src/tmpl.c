/* tmpl.c: compiles logic-less templates once and renders them with escaping. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "tmpl.h"
#include "util.h"

#define TMPL_MAX_FILE	(1024 * 1024)
#define TMPL_MAX_DEPTH	32
#define TMPL_SHOW_MAX	64

enum tmpl_type {
	TMPL_LITERAL,		/* bytes copied as they are */
	TMPL_VAR,		/* {{name}} */
	TMPL_RAW,		/* {{{name}}} */
	TMPL_SECTION,		/* {{#name}} */
	TMPL_INVERTED		/* {{^name}} */
};

/*
 * A compiled template is a flat array of nodes. A section's body is the run
 * of nodes after it, up to (not including) the node at index end.
 */
struct tmpl_node {
	enum tmpl_type	 type;
	size_t		 off;		/* literal bytes or name, in text */
	size_t		 len;
	size_t		 end;		/* sections only */
};

struct tmpl {
	char		*text;		/* a private copy of the source */
	struct tmpl_node *nodes;
	size_t		 nnodes;
	size_t		 cap;
};

enum tdict_type {
	TDICT_TEXT,
	TDICT_HTML,
	TDICT_BOOL,
	TDICT_LIST
};

struct tdict_entry {
	size_t		 keyoff;	/* in the dictionary's keys */
	size_t		 keylen;
	enum tdict_type	 type;
	const char	*str;		/* text and HTML */
	size_t		 len;
	char		*owned;		/* str, when the dictionary owns it */
	int		 flag;		/* booleans */
	struct tdict	**items;	/* lists */
	size_t		 nitems;
	size_t		 capitems;
};

struct tdict {
	struct tdict_entry *entries;
	size_t		 n;
	size_t		 cap;
	struct buf	 keys;		/* every key, each with its NUL */
	const struct tdict *outer;	/* looked in after this one, or NULL */
};

/* One level of name lookup during a render; lives on the stack. */
struct tmpl_scope {
	const struct tdict	*dict;
	const struct tmpl_scope	*up;
};

struct tmpl_parser {
	struct tmpl	*t;
	const char	*name;
	const char	*s;
	size_t		 len;
	size_t		 pos;
	unsigned long	 line;
	size_t		 open[TMPL_MAX_DEPTH];
	unsigned long	 openline[TMPL_MAX_DEPTH];
	size_t		 depth;
	char		*cause;
};

static int	tmpl_error(struct tmpl_parser *, unsigned long, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

/* Counts the newlines in n bytes. */
static unsigned long
tmpl_count_lines(const char *s, size_t n)
{
	const char	*p, *end = s + n;
	unsigned long	 lines = 0;

	while (s < end && (p = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		lines++;
		s = p + 1;
	}
	return lines;
}

/* Finds the next "{{" or "}}" (as given by c) at or after from; len if none. */
static size_t
tmpl_find_pair(const char *s, size_t len, size_t from, char c)
{
	const char	*p;

	while (from + 1 < len) {
		p = memchr(s + from, c, len - from - 1);
		if (p == NULL)
			break;
		from = (size_t)(p - s);
		if (s[from + 1] == c)
			return from;
		from++;
	}
	return len;
}

/* Tells whether a byte may appear in a name. */
static int
tmpl_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Tells whether a byte is a blank allowed around a name. */
static int
tmpl_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Tells whether a tag's contents are short and printable enough to quote. */
static int
tmpl_showable(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0 || n > TMPL_SHOW_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e)
			return 0;
	}
	return 1;
}

/* Records a parse error as "name:line: message"; always returns -1. */
static int
tmpl_error(struct tmpl_parser *ps, unsigned long line, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	free(ps->cause);
	ps->cause = xasprintf("%s:%lu: %s", ps->name, line, msg);
	free(msg);
	return -1;
}

/* Appends a node and returns its index. */
static size_t
tmpl_add_node(struct tmpl *t, enum tmpl_type type, size_t off, size_t len)
{
	struct tmpl_node	*n;

	if (t->nnodes == t->cap) {
		t->cap = t->cap == 0 ? 16 : t->cap * 2;
		t->nodes = xreallocarray(t->nodes, t->cap, sizeof *t->nodes);
	}
	n = &t->nodes[t->nnodes];
	n->type = type;
	n->off = off;
	n->len = len;
	n->end = t->nnodes + 1;
	return t->nnodes++;
}

/* Compiles the tag starting with "{{" at pos. */
static int
tmpl_parse_tag(struct tmpl_parser *ps)
{
	const char	*s = ps->s;
	struct tmpl_node *top;
	unsigned long	 line = ps->line;
	size_t		 start, close, after, a, b, i, idx;
	int		 triple;
	char		 sigil = '\0';

	triple = ps->pos + 2 < ps->len && s[ps->pos + 2] == '{';
	start = ps->pos + (triple ? 3 : 2);
	close = tmpl_find_pair(s, ps->len, start, '}');
	if (close == ps->len)
		return tmpl_error(ps, line, "unclosed %s", triple ? "{{{" : "{{");
	after = close + 2;
	if (triple) {
		if (after >= ps->len || s[after] != '}')
			return tmpl_error(ps, line, "{{{ closed by }} instead "
			    "of }}}");
		after++;
	}
	ps->line += tmpl_count_lines(s + ps->pos, after - ps->pos);
	ps->pos = after;

	a = start;
	b = close;
	while (a < b && tmpl_blank(s[a]))
		a++;
	while (b > a && tmpl_blank(s[b - 1]))
		b--;
	if (!triple && a < b && s[a] == '!')
		return 0;
	if (!triple && a < b && (s[a] == '#' || s[a] == '^' || s[a] == '/')) {
		sigil = s[a++];
		while (a < b && tmpl_blank(s[a]))
			a++;
	}
	for (i = a; i < b; i++) {
		if (!tmpl_name_char(s[i]))
			break;
	}
	if (a == b || i != b) {
		if (tmpl_showable(s + start, close - start))
			return tmpl_error(ps, line, "bad name in tag {{%s%.*s}}",
			    triple ? "{" : "", (int)(close - start), s + start);
		return tmpl_error(ps, line, "bad name in tag");
	}

	switch (sigil) {
	case '#':
	case '^':
		if (ps->depth == TMPL_MAX_DEPTH)
			return tmpl_error(ps, line, "sections nested deeper "
			    "than %d", TMPL_MAX_DEPTH);
		idx = tmpl_add_node(ps->t, sigil == '#' ? TMPL_SECTION :
		    TMPL_INVERTED, a, b - a);
		ps->open[ps->depth] = idx;
		ps->openline[ps->depth] = line;
		ps->depth++;
		break;
	case '/':
		if (ps->depth == 0)
			return tmpl_error(ps, line, "{{/%.*s}} without an open "
			    "section", (int)(b - a), s + a);
		top = &ps->t->nodes[ps->open[ps->depth - 1]];
		if (top->len != b - a || memcmp(s + top->off, s + a, b - a) != 0)
			return tmpl_error(ps, line, "{{/%.*s}} does not close "
			    "{{%c%.*s}} from line %lu", (int)(b - a), s + a,
			    top->type == TMPL_SECTION ? '#' : '^',
			    (int)top->len, s + top->off,
			    ps->openline[ps->depth - 1]);
		top->end = ps->t->nnodes;
		ps->depth--;
		break;
	default:
		tmpl_add_node(ps->t, triple ? TMPL_RAW : TMPL_VAR, a, b - a);
		break;
	}
	return 0;
}

/* Compiles text into a flat node array. */
int
tmpl_parse(struct tmpl **tp, const char *name, const char *text, size_t len,
    char **cause)
{
	struct tmpl_parser	 ps;
	struct tmpl_node	*top;
	struct tmpl		*t;
	size_t			 open;

	t = xcalloc(1, sizeof *t);
	t->text = xmalloc(len + 1);
	if (len != 0)
		memcpy(t->text, text, len);
	t->text[len] = '\0';

	memset(&ps, 0, sizeof ps);
	ps.t = t;
	ps.name = name;
	ps.s = t->text;
	ps.len = len;
	ps.line = 1;
	while (ps.pos < len) {
		open = tmpl_find_pair(ps.s, len, ps.pos, '{');
		if (open > ps.pos) {
			tmpl_add_node(t, TMPL_LITERAL, ps.pos, open - ps.pos);
			ps.line += tmpl_count_lines(ps.s + ps.pos,
			    open - ps.pos);
			ps.pos = open;
		}
		if (open == len)
			break;
		if (tmpl_parse_tag(&ps) != 0)
			goto fail;
	}
	if (ps.depth != 0) {
		top = &t->nodes[ps.open[ps.depth - 1]];
		tmpl_error(&ps, ps.openline[ps.depth - 1], "unclosed section "
		    "{{%c%.*s}}", top->type == TMPL_SECTION ? '#' : '^',
		    (int)top->len, ps.s + top->off);
		goto fail;
	}
	*tp = t;
	return 0;

fail:
	*cause = ps.cause;
	tmpl_free(t);
	return -1;
}

/* Reads a template file of at most TMPL_MAX_FILE bytes and compiles it. */
int
tmpl_load(struct tmpl **tp, const char *path, char **cause)
{
	char	*data;
	size_t	 len;
	int	 rc;

	if (util_read_file(path, TMPL_MAX_FILE, &data, &len, cause) != 0)
		return -1;
	rc = tmpl_parse(tp, path, data, len, cause);
	free(data);
	return rc;
}

/* Frees a compiled template; accepts NULL. */
void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	free(t->nodes);
	free(t->text);
	free(t);
}

/* Returns the index of key in a dictionary, or d->n if it is not there. */
static size_t
tdict_index(const struct tdict *d, const char *key, size_t len)
{
	size_t	 i;

	/* The first byte first: most keys of the same length differ there. */
	for (i = 0; i < d->n; i++) {
		if (d->entries[i].keylen == len && (len == 0 ||
		    (d->keys.data[d->entries[i].keyoff] == key[0] &&
		    memcmp(d->keys.data + d->entries[i].keyoff, key,
		    len) == 0)))
			break;
	}
	return i;
}

/* Finds key in one dictionary without allocating. */
static const struct tdict_entry *
tdict_find(const struct tdict *d, const char *key, size_t len)
{
	size_t	 i;

	if (d == NULL)
		return NULL;
	i = tdict_index(d, key, len);
	return i == d->n ? NULL : &d->entries[i];
}

/* Looks a name up in the innermost scope that has it. */
static const struct tdict_entry *
tmpl_lookup(const struct tmpl_scope *sc, const char *name, size_t len)
{
	const struct tdict_entry	*e;

	for (; sc != NULL; sc = sc->up) {
		if ((e = tdict_find(sc->dict, name, len)) != NULL)
			return e;
	}
	return NULL;
}

/* Tells whether a section over this value is shown (lists: if non-empty). */
static int
tmpl_truthy(const struct tdict_entry *e)
{
	if (e == NULL)
		return 0;
	switch (e->type) {
	case TDICT_BOOL:
		return e->flag;
	case TDICT_LIST:
		return e->nitems != 0;
	case TDICT_TEXT:
	case TDICT_HTML:
		return e->len != 0;
	}
	return 0;
}

/* Renders nodes [i, end) in a scope; recursion is bounded by the nesting limit. */
static void
tmpl_render_nodes(const struct tmpl *t, size_t i, size_t end,
    const struct tmpl_scope *sc, struct buf *out)
{
	const struct tmpl_node		*n;
	const struct tdict_entry	*e;
	struct tmpl_scope		 inner;
	size_t				 j;

	while (i < end) {
		n = &t->nodes[i];
		switch (n->type) {
		case TMPL_LITERAL:
			buf_add(out, t->text + n->off, n->len);
			break;
		case TMPL_VAR:
		case TMPL_RAW:
			e = tmpl_lookup(sc, t->text + n->off, n->len);
			if (e == NULL)
				break;
			if (e->type == TDICT_HTML && n->type == TMPL_RAW)
				buf_add(out, e->str, e->len);
			else if (e->type == TDICT_TEXT || e->type == TDICT_HTML)
				html_text(out, e->str, e->len);
			break;
		case TMPL_SECTION:
			e = tmpl_lookup(sc, t->text + n->off, n->len);
			if (e != NULL && e->type == TDICT_LIST) {
				inner.up = sc;
				for (j = 0; j < e->nitems; j++) {
					inner.dict = e->items[j];
					tmpl_render_nodes(t, i + 1, n->end,
					    &inner, out);
				}
			} else if (tmpl_truthy(e))
				tmpl_render_nodes(t, i + 1, n->end, sc, out);
			i = n->end;
			continue;
		case TMPL_INVERTED:
			e = tmpl_lookup(sc, t->text + n->off, n->len);
			if (!tmpl_truthy(e))
				tmpl_render_nodes(t, i + 1, n->end, sc, out);
			i = n->end;
			continue;
		}
		i++;
	}
}

/* Renders with d as the outermost scope; only reads t and d. */
void
tmpl_render(const struct tmpl *t, const struct tdict *d, struct buf *out)
{
	struct tmpl_scope	 root, outer;

	root.dict = d;
	root.up = NULL;
	if (d != NULL && d->outer != NULL) {
		outer.dict = d->outer;
		outer.up = NULL;
		root.up = &outer;
	}
	tmpl_render_nodes(t, 0, t->nnodes, &root, out);
}

/* Makes the names of outer visible behind those of d (one level: outer's own outer is not). */
void
tdict_set_outer(struct tdict *d, const struct tdict *outer)
{
	d->outer = outer;
}

/* Returns the dictionary looked in after d, or NULL. */
const struct tdict *
tdict_outer(const struct tdict *d)
{
	return d->outer;
}

/* Creates an empty dictionary. */
struct tdict *
tdict_create(void)
{
	return xcalloc(1, sizeof (struct tdict));
}

/* Releases whatever value an entry holds, keeping its key. */
static void
tdict_clear_value(struct tdict_entry *e)
{
	size_t	 i;

	free(e->owned);
	e->owned = NULL;
	e->str = NULL;
	e->len = 0;
	e->flag = 0;
	for (i = 0; i < e->nitems; i++)
		tdict_free(e->items[i]);
	free(e->items);
	e->items = NULL;
	e->nitems = e->capitems = 0;
}

/* Frees a dictionary, its keys, owned strings and list items; accepts NULL. */
void
tdict_free(struct tdict *d)
{
	size_t	 i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++)
		tdict_clear_value(&d->entries[i]);
	free(d->entries);
	buf_free(&d->keys);
	free(d);
}

/* Returns the entry for key, emptied of any old value, creating it if needed. */
static struct tdict_entry *
tdict_slot(struct tdict *d, const char *key)
{
	struct tdict_entry	*e;
	size_t			 len = strlen(key), i;

	i = tdict_index(d, key, len);
	if (i != d->n) {
		e = &d->entries[i];
		tdict_clear_value(e);
		return e;
	}
	if (d->n == d->cap) {
		d->cap = d->cap == 0 ? 8 : d->cap * 2;
		d->entries = xreallocarray(d->entries, d->cap,
		    sizeof *d->entries);
	}
	e = &d->entries[d->n++];
	memset(e, 0, sizeof *e);
	/* The keys share one allocation: a page sets about twenty. */
	e->keyoff = d->keys.len;
	e->keylen = len;
	buf_add(&d->keys, key, len + 1);
	return e;
}

/* Sets key to a borrowed string of the given type (text or HTML). */
static void
tdict_set_str(struct tdict *d, const char *key, enum tdict_type type, const char *s,
    size_t len)
{
	struct tdict_entry	*e;

	e = tdict_slot(d, key);
	e->type = type;
	e->str = s;
	e->len = s == NULL ? 0 : len;
}

/* Sets key to borrowed text, escaped wherever it is shown. */
void
tdict_set_text(struct tdict *d, const char *key, const char *s, size_t len)
{
	tdict_set_str(d, key, TDICT_TEXT, s, len);
}

/* Sets key to a borrowed NUL-terminated text; NULL counts as empty. */
void
tdict_set_texts(struct tdict *d, const char *key, const char *s)
{
	tdict_set_text(d, key, s, s == NULL ? 0 : strlen(s));
}

/* Sets key to borrowed HTML, inserted raw by {{{key}}} only. */
void
tdict_set_html(struct tdict *d, const char *key, const char *s, size_t len)
{
	tdict_set_str(d, key, TDICT_HTML, s, len);
}

/* Sets key to HTML s (len bytes) that the dictionary takes over and frees. */
void
tdict_take_html(struct tdict *d, const char *key, char *s, size_t len)
{
	struct tdict_entry	*e;

	e = tdict_slot(d, key);
	e->type = TDICT_HTML;
	e->owned = s;
	e->str = s;
	e->len = len;
}

/* Sets key to a boolean for sections. */
void
tdict_set_bool(struct tdict *d, const char *key, int flag)
{
	struct tdict_entry	*e;

	e = tdict_slot(d, key);
	e->type = TDICT_BOOL;
	e->flag = flag != 0;
}

/* Sets key to a copy of s[0..len) that the dictionary owns. */
void
tdict_set_textn(struct tdict *d, const char *key, const char *s, size_t len)
{
	struct tdict_entry	*e;
	char			*copy;

	copy = xstrndup(s, len);
	e = tdict_slot(d, key);
	e->type = TDICT_TEXT;
	e->owned = copy;
	e->str = copy;
	e->len = len;
}

/* Sets key to formatted text that the dictionary owns. */
void
tdict_set_textf(struct tdict *d, const char *key, const char *fmt, ...)
{
	struct tdict_entry	*e;
	va_list			 ap;
	char			*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	e = tdict_slot(d, key);
	e->type = TDICT_TEXT;
	e->owned = s;
	e->str = s;
	e->len = strlen(s);
}

/* Returns the list entry for key, turning key into an empty list if needed. */
static struct tdict_entry *
tdict_list(struct tdict *d, const char *key)
{
	struct tdict_entry	*e;
	size_t			 i;

	i = tdict_index(d, key, strlen(key));
	if (i != d->n && d->entries[i].type == TDICT_LIST)
		return &d->entries[i];
	e = tdict_slot(d, key);
	e->type = TDICT_LIST;
	return e;
}

/* Appends a new empty item to the list named key and returns it. */
struct tdict *
tdict_add_item(struct tdict *d, const char *key)
{
	struct tdict_entry	*e;
	struct tdict		*item;

	e = tdict_list(d, key);
	if (e->nitems == e->capitems) {
		e->capitems = e->capitems == 0 ? 8 : e->capitems * 2;
		e->items = xreallocarray(e->items, e->capitems,
		    sizeof *e->items);
	}
	item = tdict_create();
	e->items[e->nitems++] = item;
	return item;
}

/* Makes key an empty list unless it already is a list. */
void
tdict_set_list(struct tdict *d, const char *key)
{
	tdict_list(d, key);
}
