/* expand.c: the substitution table and the single-pass, longest-match expander. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expand.h"
#include "html.h"
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

/*
 * A trie of byte strings. Node 0 is the root; a node's children are found
 * through one hash table keyed by parent and byte, so a step costs the same
 * whatever the number of children, or, for a node with one child (most
 * are), in one[]. val[0] to val[2] are numbers per node whose meaning is
 * the owner's.
 */
#define EXPAND_MANY	UINT32_MAX
#define EXPAND_FEW	4

struct expand_trie {
	uint32_t	*parent;
	unsigned char	*byte;
	uint32_t	*one;		/* the only child, 0 for none, or EXPAND_MANY */
	uint32_t	*val[3];
	uint32_t	*slot;		/* a child's node number, or 0 for none */
	size_t		 n;		/* nodes, the root included */
	size_t		 cap;
	size_t		 mask;		/* number of slots - 1 */
};

/*
 * A group of FROMs with an Aho-Corasick automaton over their reversed bytes
 * (val[0] the failure link, val[1] the entry + 1 of the longest FROM that
 * the node's string ends with). Read from the end of a line to position p,
 * it gives the longest FROM that starts at p, in one pass for all of p.
 */
struct expand_level {
	struct expand_trie	 ac;
	uint32_t		*keys;		/* nodes of the table's trie */
	size_t			 nkeys;
	size_t			 size;		/* bytes of the FROMs */
};

struct expand {
	struct expand_entry	*v;
	size_t			 n;
	size_t			 cap;
	/*
	 * Every FROM, in a trie: val[0] is the entry (index + 1) that the
	 * node's string stands for, the first defined of a plain and a macro
	 * entry with that FROM, or 0; val[1] is the other of the two, or 0.
	 * val[2] is, when all below the node is one chain of nodes with an
	 * entry at its end only, that last node, so that a walk compares the
	 * rest of the chain in one go; 0 otherwise.
	 * root[c] is the root's child by c, or 0: the first step of a walk.
	 */
	struct expand_trie	 trie;
	uint32_t		 root[256];
	/*
	 * While at most EXPAND_FEW FROMs start with a byte c, few[c] lists
	 * their entries (index), longest first, and a possible start is
	 * tried against each in turn, cheaper than a walk for the handful of
	 * entries of an ordinary deck; nfew[c] is their number, or
	 * EXPAND_FEW + 1 once there are more and the trie is walked.
	 */
	uint32_t		 few[256][EXPAND_FEW];
	unsigned char		 nfew[256];
	/*
	 * The FROMs as automata, for lines where walking the trie at each
	 * position would cost more than a few times the line's length. A
	 * group is made of the FROMs defined since the last such line and
	 * merged with the groups not more than twice its size, so that a
	 * FROM is rebuilt O(log n) times and there are O(log n) groups.
	 */
	struct expand_level	*levels;
	size_t			 nlevels;
	uint32_t		*pending;	/* nodes of FROMs in no group yet */
	size_t			 npending;
	size_t			 pendingcap;
	size_t			 pendingsize;
	uint32_t		*best;		/* per position: the entry + 1 that matches */
	size_t			 bestcap;
	/*
	 * A filter on the first two bytes, cheaper than any comparison, as
	 * UTF-8 text shares a few lead bytes: pairs[firstix[c] << 8 | c2] is
	 * 1 if an entry may start with c then c2 (any c2 for a one-byte
	 * entry). firstix[c] is 0, a row of zeros, when nothing starts with c.
	 * Bits are only ever set: a filter that says yes too often is slower,
	 * never wrong.
	 */
	uint16_t		 firstix[256];
	size_t			 nfirst;
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
};

/* Where one expand_line call is: the trie walk's cost so far, and its bound. */
struct expand_scan {
	size_t	 work;
	size_t	 budget;
	int	 automata;	/* e->best holds the matches from here on */
	size_t	 colat;		/* the offset the character count is at */
	size_t	 colchars;	/* characters before colat */
};

/*
 * Returns the 1-based column, in characters, of offset off of the line,
 * counting on from the last one asked (the scan only moves forward).
 */
static size_t
expand_column(struct expand_scan *sc, const char *line, size_t off)
{
	if (off < sc->colat)
		sc->colat = sc->colchars = 0;
	sc->colchars += source_utf8_chars(line + sc->colat, off - sc->colat);
	sc->colat = off;
	return sc->colchars + 1;
}

/* Makes an empty trie: the root alone. */
static void
expand_trie_init(struct expand_trie *t)
{
	size_t	 i;

	t->cap = 16;
	t->parent = xcalloc(t->cap, sizeof *t->parent);
	t->byte = xcalloc(t->cap, 1);
	t->one = xcalloc(t->cap, sizeof *t->one);
	for (i = 0; i < 3; i++)
		t->val[i] = xcalloc(t->cap, sizeof *t->val[i]);
	t->mask = 31;
	t->slot = xcalloc(t->mask + 1, sizeof *t->slot);
	t->n = 1;
}

/* Frees a trie's memory. */
static void
expand_trie_free(struct expand_trie *t)
{
	free(t->parent);
	free(t->byte);
	free(t->one);
	free(t->val[0]);
	free(t->val[1]);
	free(t->val[2]);
	free(t->slot);
	memset(t, 0, sizeof *t);
}

/* Returns the first slot to look at for a child of node by byte c. */
static inline size_t
expand_trie_hash(const struct expand_trie *t, uint32_t node, unsigned char c)
{
	uint64_t	 k = ((uint64_t)node << 8 | c) * 0x9e3779b97f4a7c15ull;

	return (size_t)(k >> 32) & t->mask;
}

/* Returns the child of node by byte c, or 0. */
static inline uint32_t
expand_trie_child(const struct expand_trie *t, uint32_t node, unsigned char c)
{
	size_t		 j;
	uint32_t	 ch = t->one[node];

	if (ch != EXPAND_MANY)
		return ch != 0 && t->byte[ch] == c ? ch : 0;
	for (j = expand_trie_hash(t, node, c); (ch = t->slot[j]) != 0;
	    j = (j + 1) & t->mask) {
		if (t->parent[ch] == node && t->byte[ch] == c)
			return ch;
	}
	return 0;
}

/* Puts a node in the first free slot of its chain. */
static void
expand_trie_place(struct expand_trie *t, uint32_t ch)
{
	size_t	 j;

	for (j = expand_trie_hash(t, t->parent[ch], t->byte[ch]);
	    t->slot[j] != 0; j = (j + 1) & t->mask)
		continue;
	t->slot[j] = ch;
}

/* Adds a child of node by byte c (there is none yet) and returns it. */
static uint32_t
expand_trie_add(struct expand_trie *t, uint32_t node, unsigned char c)
{
	uint32_t	 ch;
	size_t		 i;

	if (t->n == t->cap) {
		t->cap *= 2;
		t->parent = xreallocarray(t->parent, t->cap, sizeof *t->parent);
		t->byte = xreallocarray(t->byte, t->cap, 1);
		t->one = xreallocarray(t->one, t->cap, sizeof *t->one);
		for (i = 0; i < 3; i++)
			t->val[i] = xreallocarray(t->val[i], t->cap,
			    sizeof *t->val[i]);
	}
	if (2 * (t->n + 1) > t->mask + 1) {
		free(t->slot);
		t->mask = t->mask * 2 + 1;
		t->slot = xcalloc(t->mask + 1, sizeof *t->slot);
		for (ch = 1; ch < t->n; ch++)
			expand_trie_place(t, ch);
	}
	ch = (uint32_t)t->n++;
	t->parent[ch] = node;
	t->byte[ch] = c;
	t->val[0][ch] = t->val[1][ch] = t->val[2][ch] = 0;
	t->one[ch] = 0;
	t->one[node] = t->one[node] == 0 ? ch : EXPAND_MANY;
	expand_trie_place(t, ch);
	return ch;
}

/* Creates an empty table. */
struct expand *
expand_create(void)
{
	struct expand	*e;

	e = xcalloc(1, sizeof *e);
	expand_trie_init(&e->trie);
	e->pairs = xcalloc(1, 256);
	e->stride2 = 1;
	return e;
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
	expand_trie_free(&e->trie);
	for (i = 0; i < e->nlevels; i++) {
		expand_trie_free(&e->levels[i].ac);
		free(e->levels[i].keys);
	}
	free(e->levels);
	free(e->pending);
	free(e->best);
	free(e->pairs);
	free(e->steps);
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

/* Returns the index of the pair a, b in the table of steps. */
static size_t
expand_step_index(unsigned char a, unsigned char b)
{
	unsigned char	 pair[2] = { a, b };
	uint16_t	 ix;

	memcpy(&ix, pair, sizeof ix);
	return ix;
}

/* Marks an entry in the table of the scan that looks at every second pair. */
static void
expand_filter_steps(struct expand *e, const struct expand_entry *v)
{
	int	 c;

	if (v->fromlen == 1 && !v->same) {
		e->stride2 = 0;
		free(e->steps);
		e->steps = NULL;
	}
	if (!e->stride2)
		return;
	if (e->steps == NULL)
		e->steps = xcalloc(256, 256);
	if (v->fromlen == 1)
		return;
	e->steps[expand_step_index(v->from[0], v->from[1])] = 1;
	if (v->fromlen > 2) {
		e->steps[expand_step_index(v->from[1], v->from[2])] = 1;
		return;
	}
	for (c = 0; c < 256; c++)
		e->steps[expand_step_index(v->from[1], c)] = 1;
}

/* Marks an entry in the filters. */
static void
expand_filter_add(struct expand *e, const struct expand_entry *v)
{
	unsigned char	 f = (unsigned char)v->from[0];
	unsigned char	*row;

	if (e->firstix[f] == 0) {
		e->pairs = xreallocarray(e->pairs, e->nfirst + 2, 256);
		e->firstix[f] = (uint16_t)++e->nfirst;
		memset(e->pairs + (e->nfirst << 8), 0, 256);
	}
	row = e->pairs + ((size_t)e->firstix[f] << 8);
	if (v->fromlen > 1)
		row[(unsigned char)v->from[1]] = 1;
	else if (!v->same)
		memset(row, 1, 256);	/* a self-map of one byte changes nothing */
	expand_filter_steps(e, v);
}

/* Queues a new FROM for the automata, to be grouped when a line needs them. */
static void
expand_pend(struct expand *e, uint32_t node, size_t fromlen)
{
	if (e->npending == e->pendingcap) {
		e->pendingcap = e->pendingcap == 0 ? 16 : e->pendingcap * 2;
		e->pending = xreallocarray(e->pending, e->pendingcap,
		    sizeof *e->pending);
	}
	e->pending[e->npending++] = node;
	e->pendingsize += fromlen;
}

/* Returns the trie node of a FROM, adding the nodes it lacks. */
static uint32_t
expand_trie_insert(struct expand *e, const char *key, size_t keylen)
{
	struct expand_trie	*t = &e->trie;
	uint32_t		 node = 0, ch, top, first;
	size_t			 i;
	int			 bare;

	/* The nodes above the FROM's end get something new below them. */
	for (i = 0; i < keylen; i++) {
		ch = expand_trie_child(t, node, (unsigned char)key[i]);
		if (ch == 0)
			break;
		t->val[2][node] = 0;
		node = ch;
	}
	if (i == keylen)
		return node;
	top = node;
	bare = t->one[top] == 0;
	first = (uint32_t)t->n;
	for (; i < keylen; i++) {
		ch = expand_trie_add(t, node, (unsigned char)key[i]);
		if (node == 0)
			e->root[(unsigned char)key[i]] = ch;
		node = ch;
	}
	/* The new nodes are one chain; so is what is below top if it had no child. */
	for (ch = first; ch < node; ch++)
		t->val[2][ch] = node;
	t->val[2][top] = top != 0 && bare ? node : 0;
	return node;
}

/* Lists a new FROM (entry index ix, the next one made) among those starting with c. */
static void
expand_few_add(struct expand *e, unsigned char c, uint32_t ix, size_t keylen)
{
	uint32_t	*f = e->few[c];
	size_t		 k;

	if (e->nfew[c] == EXPAND_FEW) {
		e->nfew[c]++;
		return;
	}
	if (e->nfew[c] > EXPAND_FEW)
		return;
	/* Longest first: shift the shorter ones up. */
	for (k = e->nfew[c]; k > 0 && e->v[f[k - 1]].fromlen < keylen; k--)
		f[k] = f[k - 1];
	f[k] = ix;
	e->nfew[c]++;
}

/* Adds an entry or replaces the one with the same FROM. */
void
expand_define(struct expand *e, const char *from, size_t fromlen,
    const char *to, size_t tolen)
{
	struct expand_entry	*ent;
	uint32_t		 node, *slot;
	size_t			 keylen, i;
	int			 macro = 0;

	if (fromlen == 0)
		return;
	if (fromlen > 2 && from[fromlen - 2] == '(' && from[fromlen - 1] == ')') {
		macro = 1;
		keylen = fromlen - 1;		/* keep the "(" */
	} else
		keylen = fromlen;
	node = expand_trie_insert(e, from, keylen);
	slot = &e->trie.val[0][node];
	if (*slot != 0 && e->v[*slot - 1].macro != macro)
		slot = &e->trie.val[1][node];
	if (*slot != 0) {
		ent = &e->v[*slot - 1];
		free(ent->from);
		free(ent->to);
	} else {
		if (e->trie.val[0][node] == 0) {
			expand_pend(e, node, keylen);
			expand_few_add(e, (unsigned char)from[0], (uint32_t)e->n,
			    keylen);
		}
		if (e->n == e->cap) {
			e->cap = e->cap == 0 ? 16 : e->cap * 2;
			e->v = xreallocarray(e->v, e->cap, sizeof *e->v);
		}
		ent = &e->v[e->n++];
		*slot = (uint32_t)e->n;
	}
	ent->from = xstrndup(from, keylen);
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
	ent->glossary = macro && ((keylen == 4 && memcmp(from, "GLS(", 4) == 0) ||
	    expand_contains(to, tolen, "openglossary("));
	/* A javascript: URL is percent-decoded by the browser before it runs. */
	ent->jsurl = tolen >= 11 && strncasecmp(to, "javascript:", 11) == 0;
	ent->same = !macro && tolen == keylen && memcmp(to, from, keylen) == 0;
	expand_filter_add(e, ent);
}

/* Sorts the nodes of a trie by depth (parents come before children in node order). */
static uint32_t *
expand_by_depth(const struct expand_trie *t)
{
	uint32_t	*depth, *count, *order, maxd = 0;
	size_t		 i;

	depth = xcalloc(t->n, sizeof *depth);
	for (i = 1; i < t->n; i++) {
		depth[i] = depth[t->parent[i]] + 1;
		if (depth[i] > maxd)
			maxd = depth[i];
	}
	count = xcalloc((size_t)maxd + 2, sizeof *count);
	for (i = 0; i < t->n; i++)
		count[depth[i] + 1]++;
	for (i = 1; i <= maxd + 1; i++)
		count[i] += count[i - 1];
	order = xcalloc(t->n, sizeof *order);
	for (i = 0; i < t->n; i++)
		order[count[depth[i]]++] = (uint32_t)i;
	free(count);
	free(depth);
	return order;
}

/* Builds a group's automaton over the reversed FROMs of its keys. */
static void
expand_level_build(struct expand *e, struct expand_level *l)
{
	struct expand_trie	*t = &l->ac;
	const struct expand_entry *ent;
	uint32_t		*order, node, v, f, ch, own;
	size_t			 i, j;

	expand_trie_init(t);
	for (i = 0; i < l->nkeys; i++) {
		own = e->trie.val[0][l->keys[i]];
		ent = &e->v[own - 1];
		node = 0;
		for (j = ent->fromlen; j-- > 0; ) {
			ch = expand_trie_child(t, node, (unsigned char)ent->from[j]);
			node = ch != 0 ? ch : expand_trie_add(t, node,
			    (unsigned char)ent->from[j]);
		}
		t->val[1][node] = own;
	}
	/* Failure links, shallower nodes first: the longest proper suffix in the trie. */
	order = expand_by_depth(t);
	for (i = 1; i < t->n; i++) {
		v = order[i];
		t->val[0][v] = 0;
		if (t->parent[v] != 0) {
			for (f = t->val[0][t->parent[v]];; f = t->val[0][f]) {
				ch = expand_trie_child(t, f, t->byte[v]);
				if (ch != 0 || f == 0) {
					t->val[0][v] = ch;
					break;
				}
			}
		}
		if (t->val[1][v] == 0)
			t->val[1][v] = t->val[1][t->val[0][v]];
	}
	free(order);
}

/* Puts the FROMs defined since the last call into a group, merging the smaller groups. */
static void
expand_levels_update(struct expand *e)
{
	struct expand_level	 l, *top;

	if (e->npending == 0)
		return;
	memset(&l, 0, sizeof l);
	l.keys = e->pending;
	l.nkeys = e->npending;
	l.size = e->pendingsize;
	e->pending = NULL;
	e->npending = e->pendingcap = e->pendingsize = 0;
	while (e->nlevels > 0 &&
	    (top = &e->levels[e->nlevels - 1])->size <= 2 * l.size) {
		l.keys = xreallocarray(l.keys, l.nkeys + top->nkeys,
		    sizeof *l.keys);
		memcpy(l.keys + l.nkeys, top->keys, top->nkeys * sizeof *l.keys);
		l.nkeys += top->nkeys;
		l.size += top->size;
		free(top->keys);
		expand_trie_free(&top->ac);
		e->nlevels--;
	}
	expand_level_build(e, &l);
	e->levels = xreallocarray(e->levels, e->nlevels + 1, sizeof *e->levels);
	e->levels[e->nlevels++] = l;
}

/* Records in e->best, for each position from i on, the longest FROM of a group starting there. */
static void
expand_level_scan(struct expand *e, const struct expand_level *l,
    const unsigned char *u, size_t i, size_t len)
{
	const struct expand_trie *t = &l->ac;
	uint32_t		 state = 0, ch, o, b;
	size_t			 p;

	for (p = len; p-- > i; ) {
		for (;;) {
			ch = expand_trie_child(t, state, u[p]);
			if (ch != 0 || state == 0)
				break;
			state = t->val[0][state];
		}
		state = ch;
		o = t->val[1][state];
		b = e->best[p];
		if (o != 0 && (b == 0 || e->v[o - 1].fromlen > e->v[b - 1].fromlen))
			e->best[p] = o;
	}
}

/* Finds the longest match at every position from i on with the automata. */
static void
expand_use_automata(struct expand *e, const unsigned char *u, size_t i,
    size_t len)
{
	size_t	 k;

	expand_levels_update(e);
	if (len > e->bestcap) {
		free(e->best);
		e->bestcap = len;
		e->best = xcalloc(len, sizeof *e->best);
	}
	memset(e->best + i, 0, (len - i) * sizeof *e->best);
	for (k = 0; k < e->nlevels; k++)
		expand_level_scan(e, &e->levels[k], u, i, len);
}

/* Checks a glossary term against the rules in drf(5). */
int
expand_term_valid(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || s[0] == '.')
		return 0;
	for (i = 0; i < len; i++) {
		/* The bytes a term may hold are those a URL keeps as they are. */
		if (!html_percent_keeps((unsigned char)s[i], 0) &&
		    (unsigned char)s[i] < 0x80)
			return 0;
	}
	/* Non-ASCII letters, yes; bytes that are not UTF-8, no. */
	return source_valid_utf8(s, len, NULL);
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
				html_percent(out, arg, arglen, ent->jsurl ?
				    HTML_PCT_TWICE : 0);
			else
				buf_add(out, arg, arglen);
			t = d + 2;
		} else {
			buf_addc(out, '$');
			t = d + 1;
		}
	}
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

/*
 * Returns the entry (index + 1) of the longest FROM that starts at i, or 0,
 * trying the few FROMs that start with the byte there or walking the trie
 * along the line; adds the bytes looked at to *work.
 */
static inline uint32_t
expand_walk(const struct expand *e, const unsigned char *u, size_t i,
    size_t len, size_t *work)
{
	const struct expand_entry *ent;
	uint32_t		 node, o, best = 0, end;
	size_t			 j, d, k, n, f;

	if (e->nfew[u[i]] <= EXPAND_FEW) {
		for (f = 0; f < e->nfew[u[i]]; f++) {
			ent = &e->v[e->few[u[i]][f]];
			if (ent->fromlen > len - i)
				continue;
			for (k = 1; k < ent->fromlen &&
			    u[i + k] == (unsigned char)ent->from[k]; k++)
				continue;
			*work += k;
			if (k == ent->fromlen)
				return e->few[u[i]][f] + 1;
		}
		*work += 1;
		return 0;
	}
	/* node stands for the bytes from i to j. */
	for (j = i + 1, node = e->root[u[i]]; node != 0; j++) {
		if ((o = e->trie.val[0][node]) != 0)
			best = o;
		if ((end = e->trie.val[2][node]) != 0) {
			ent = &e->v[e->trie.val[0][end] - 1];
			d = j - i;
			n = ent->fromlen - d < len - j ? ent->fromlen - d : len - j;
			for (k = 0; k < n &&
			    u[j + k] == (unsigned char)ent->from[d + k]; k++)
				continue;
			if (d + k == ent->fromlen)
				best = e->trie.val[0][end];
			j += k;
			break;
		}
		if (j == len)
			break;
		node = expand_trie_child(&e->trie, node, u[j]);
	}
	*work += j - i + 1;
	return best;
}

/*
 * Returns the first position from i on where an entry matches, with the
 * entry (index + 1) in *ent, or len. Plain text is skipped by the filters
 * and each possible start walks the trie; once the walks have cost more
 * than the line's budget, the automata find the matches of the rest of
 * the line in one pass per group, so a line never costs more than a
 * constant times its length per group.
 */
static inline size_t
expand_find(struct expand *e, struct expand_scan *sc, const char *line,
    size_t i, size_t len, uint32_t *ent)
{
	const unsigned char	*u = (const unsigned char *)line;

	while (i < len) {
		if (sc->automata) {
			for (; i < len; i++) {
				if ((*ent = e->best[i]) != 0)
					return i;
			}
			return len;
		}
		if (e->stride2)
			i = expand_skip2(e, u, i, len);
		else
			i = expand_skip(e, u, i, len);
		if (i == len)
			return len;
		if (sc->work > sc->budget) {
			expand_use_automata(e, u, i, len);
			sc->automata = 1;
			continue;
		}
		if ((*ent = expand_walk(e, u, i, len, &sc->work)) != 0)
			return i;
		i++;
	}
	return len;
}

/* The expansion loop: copies plain runs in bulk and expands each match. */
int
expand_line(struct expand *e, const char *line, size_t len, struct buf *out,
    size_t limit, expand_report_cb *cb, void *arg)
{
	struct expand_scan	 sc;
	struct expand_entry	*ent;
	const char		*close, *a, *nextclose = NULL, *from = NULL;
	size_t			 i = 0, run = 0, alen, grow;
	uint32_t		 found;

	if (e->n == 0) {
		if (len > limit || out->len > limit - len)
			return -1;
		buf_add(out, line, len);
		return 0;
	}
	memset(&sc, 0, sizeof sc);
	sc.budget = 4 * len + 256;
	while ((i = expand_find(e, &sc, line, i, len, &found)) < len) {
		ent = &e->v[found - 1];
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
				    ent->fromlen - 1,
				    expand_column(&sc, line, i));
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
			    EXPAND_BAD_TERM, a, alen,
			    expand_column(&sc, line, (size_t)(a - line)));
		/* Each $1 becomes the argument, %XX-encoded for a glossary macro. */
		grow = ent->glossary ? html_percent_size(a, alen,
		    ent->jsurl ? HTML_PCT_TWICE : 0) : alen;
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
