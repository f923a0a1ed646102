/* search.c: the search index over every deck's pages and the glossary entries, in memory. */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "deck.h"
#include "expand.h"
#include "html.h"
#include "search.h"
#include "search_text.h"
#include "util.h"

#define SEARCH_BUCKETS		4096
#define SEARCH_NONE		UINT32_MAX
#define SEARCH_BITMAP		0x80000000u	/* in a list's count: a bitmap */
#define SEARCH_SNIP_BEFORE	50		/* code points before a match */
#define SEARCH_SNIP_AFTER	90		/* and after it */
#define SEARCH_LOOSE_MIN	((size_t)64 << 10)

/* The text of one version of a deck (its pages) or of an entry. */
struct search_rec {
	char		*name;		/* the deck's name or the entry's (search_put_entry) */
	char		*title;		/* a deck's title; NULL for an entry */
	char		*lang;		/* a deck's language; NULL for an entry */
	int		 entry;
	uint64_t	 version;
	char		*text;		/* each unit's text, NUL-terminated */
	uint32_t	*offs;		/* nunits + 1 offsets into text */
	char		**labels;	/* a deck's page labels */
	uint32_t	 nunits;
	char		**uses;		/* terms linked to, each once per page */
	uint32_t	*usepage;	/* the page of each */
	size_t		 nuses;
	int		 alive;		/* not replaced or removed */
	int		 listed;	/* in the posting lists */
	size_t		 textlen;
	size_t		 bytes;
	struct search_rec *hnext;
};

/* What a unit number in a posting list stands for. */
struct search_unit {
	uint32_t	 rec;
	uint32_t	 page;
};

/* The posting lists of the last build, sorted by key. */
struct search_lists {
	uint64_t	*keys;
	uint32_t	*offs;		/* into post */
	uint32_t	*counts;	/* with SEARCH_BITMAP */
	size_t		 nkeys;
	uint8_t		*post;
	size_t		 postlen;
	struct search_unit *units;
	uint32_t	 nunits;
};

struct search {
	pthread_mutex_t	 lock;
	pthread_mutex_t	 update;
	uint64_t	 token;
	int		 tokenset;
	unsigned long long checked;	/* when changes were last looked for */
	int		 checkedset;
	size_t		 max_bytes;
	struct search_rec **recs;
	size_t		 nrecs;
	struct search_rec *buckets[SEARCH_BUCKETS];
	struct search_lists l;
	size_t		 text;		/* of the live records */
	size_t		 loose;		/* of those not in the lists */
	size_t		 bytes;		/* records held */
	size_t		 dead;		/* units of the lists that are gone */
	size_t		 left_out;
	size_t		 builds;
};

/* A posting list being built. */
struct search_pl {
	uint64_t	 key;
	uint32_t	 last;
	uint32_t	 count;
	struct buf	 b;
};

/* The open-addressed table of the lists being built. */
struct search_build {
	struct search_pl *v;
	size_t		 cap;
	size_t		 n;
	/*
	 * The slot (+ 1) of each n-gram of ASCII characters, most of them,
	 * found without hashing: 128^3 entries, cleared when the table grows.
	 */
	uint32_t	*ascii;
};

#define SEARCH_ASCII_KEYS	((size_t)1 << 21)

struct search *
search_create(size_t max_bytes)
{
	struct search	*s;

	s = xcalloc(1, sizeof *s);
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->update, NULL);
	s->max_bytes = max_bytes;
	return s;
}

/* Frees the posting lists. */
static void
search_lists_free(struct search_lists *l)
{
	free(l->keys);
	free(l->offs);
	free(l->counts);
	free(l->post);
	free(l->units);
	memset(l, 0, sizeof *l);
}

/* Frees a record. */
static void
search_rec_free(struct search_rec *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	for (i = 0; r->labels != NULL && i < r->nunits; i++)
		free(r->labels[i]);
	for (i = 0; i < r->nuses; i++)
		free(r->uses[i]);
	free(r->labels);
	free(r->uses);
	free(r->usepage);
	free(r->name);
	free(r->title);
	free(r->lang);
	free(r->text);
	free(r->offs);
	free(r);
}

void
search_free(struct search *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nrecs; i++)
		search_rec_free(s->recs[i]);
	free(s->recs);
	search_lists_free(&s->l);
	pthread_mutex_destroy(&s->lock);
	pthread_mutex_destroy(&s->update);
	free(s);
}

int
search_update_begin(struct search *s, uint64_t token)
{
	pthread_mutex_lock(&s->update);
	/* Written under both locks: either is enough to read them. */
	if (s->tokenset && s->token == token) {
		pthread_mutex_unlock(&s->update);
		return 0;
	}
	/* A deck left out is tried again at each update: counted once. */
	pthread_mutex_lock(&s->lock);
	s->left_out = 0;
	pthread_mutex_unlock(&s->lock);
	return 1;
}

int
search_check_due(struct search *s, unsigned long long now, unsigned interval)
{
	int	 due;

	pthread_mutex_lock(&s->lock);
	/* Until a first update is done, every caller waits for it. */
	due = !s->tokenset || !s->checkedset || now < s->checked ||
	    now - s->checked >= interval;
	if (due) {
		s->checked = now;
		s->checkedset = 1;
	}
	pthread_mutex_unlock(&s->lock);
	return due;
}

void
search_update_end(struct search *s, uint64_t token)
{
	pthread_mutex_lock(&s->lock);
	s->token = token;
	s->tokenset = 1;
	pthread_mutex_unlock(&s->lock);
	pthread_mutex_unlock(&s->update);
}

/* The bucket of a name; entries and decks apart. */
static size_t
search_bucket(const char *name, int entry)
{
	return (size_t)util_hash(UTIL_HASH_INIT + (uint64_t)entry, name,
	    strlen(name)) % SEARCH_BUCKETS;
}

/* Finds the live record of a name; the lock is held. */
static struct search_rec *
search_find(struct search *s, const char *name, int entry)
{
	struct search_rec	*r;

	for (r = s->buckets[search_bucket(name, entry)]; r != NULL;
	    r = r->hnext)
		if (r->entry == entry && strcmp(r->name, name) == 0)
			return r;
	return NULL;
}

/* Returns the version of a record, 0 if none. */
static uint64_t
search_version(struct search *s, const char *name, int entry)
{
	struct search_rec	*r;
	uint64_t		 v;

	pthread_mutex_lock(&s->lock);
	r = search_find(s, name, entry);
	v = r != NULL ? r->version : 0;
	pthread_mutex_unlock(&s->lock);
	return v;
}

uint64_t
search_deck_version(struct search *s, const char *name)
{
	return search_version(s, name, 0);
}

uint64_t
search_entry_version(struct search *s, const char *term)
{
	return search_version(s, term, 1);
}

/* Takes a live record out of the table, its text freed; the lock is held. */
static void
search_unlink(struct search *s, struct search_rec *r)
{
	struct search_rec	**pp;

	pp = &s->buckets[search_bucket(r->name, r->entry)];
	while (*pp != r)
		pp = &(*pp)->hnext;
	*pp = r->hnext;
	r->hnext = NULL;
	r->alive = 0;
	s->text -= r->textlen;
	s->bytes -= r->bytes;
	if (r->listed)
		s->dead += r->nunits;
	else
		s->loose -= r->textlen;
	free(r->text);
	r->text = NULL;
}

/* Adds a record, replacing the live one of its name; the lock is held. */
static int
search_add(struct search *s, struct search_rec *r)
{
	struct search_rec	*old;
	size_t			 b;

	old = search_find(s, r->name, r->entry);
	if (s->text - (old != NULL ? old->textlen : 0) + r->textlen >
	    s->max_bytes / 2) {
		if (old != NULL)
			search_unlink(s, old);
		s->left_out++;
		search_rec_free(r);
		return -1;
	}
	if (old != NULL)
		search_unlink(s, old);
	b = search_bucket(r->name, r->entry);
	r->hnext = s->buckets[b];
	s->buckets[b] = r;
	r->alive = 1;
	s->recs = xreallocarray(s->recs, s->nrecs + 1, sizeof *s->recs);
	s->recs[s->nrecs++] = r;
	s->text += r->textlen;
	s->loose += r->textlen;
	s->bytes += r->bytes;
	return 0;
}

/* Appends one unit's plain text to a record being made. */
static void
search_rec_unit(struct buf *text, uint32_t *offs, uint32_t i,
    const char *label, const char *html, size_t len)
{
	size_t	 start = text->len, llen = label != NULL ? strlen(label) : 0;

	offs[i] = (uint32_t)start;
	search_text_plain(text, html, len);
	/* The label is searched too, unless the page's text begins with it. */
	if (llen > 0 && (text->len - start < llen ||
	    memcmp(text->data + start, label, llen) != 0)) {
		buf_reserve(text, llen + 1);
		memmove(text->data + start + llen + 1, text->data + start,
		    text->len - start);
		memcpy(text->data + start, label, llen);
		text->data[start + llen] = ' ';
		text->len += llen + 1;
	}
	buf_addc(text, '\0');
}

/* Records the terms a page links to. */
static void
search_rec_uses(struct search_rec *r, uint32_t page, const char *body,
    size_t len)
{
	char	**terms = NULL;
	size_t	 n = 0, i;

	search_page_terms(body, len, &terms, &n);
	r->uses = xreallocarray(r->uses, r->nuses + n + 1, sizeof *r->uses);
	r->usepage = xreallocarray(r->usepage, r->nuses + n + 1,
	    sizeof *r->usepage);
	for (i = 0; i < n; i++) {
		r->uses[r->nuses] = terms[i];
		r->usepage[r->nuses++] = page;
		r->bytes += strlen(terms[i]) + 1 + sizeof(char *) + 4;
	}
	free(terms);
}

int
search_put_deck(struct search *s, const char *name, uint64_t version,
    const struct deck *d)
{
	struct search_rec	*r;
	struct buf		 text = BUF_INIT;
	uint32_t		 i;
	int			 rc;

	r = xcalloc(1, sizeof *r);
	r->name = xstrdup(name);
	r->title = xstrdup(d->title != NULL ? d->title : name);
	r->lang = xstrdup(d->lang != NULL ? d->lang : "en");
	r->version = version;
	r->nunits = (uint32_t)d->npages;
	r->offs = xcalloc((size_t)r->nunits + 1, sizeof *r->offs);
	r->labels = xcalloc((size_t)r->nunits + 1, sizeof *r->labels);
	for (i = 0; i < r->nunits; i++) {
		r->labels[i] = xstrdup(d->pages[i].label);
		r->bytes += strlen(r->labels[i]) + 1 + sizeof(char *);
		search_rec_unit(&text, r->offs, i, d->pages[i].label,
		    d->pages[i].body, d->pages[i].bodylen);
		search_rec_uses(r, i, d->pages[i].body, d->pages[i].bodylen);
	}
	r->offs[r->nunits] = (uint32_t)text.len;
	r->textlen = text.len;
	r->text = buf_detach(&text, NULL);
	r->bytes += sizeof *r + r->textlen + strlen(name) + strlen(r->title) +
	    strlen(r->lang) + 3 + ((size_t)r->nunits + 1) * sizeof *r->offs;
	pthread_mutex_lock(&s->lock);
	rc = search_add(s, r);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int
search_put_entry(struct search *s, const char *term, uint64_t version,
    const char *html, size_t len)
{
	struct search_rec	*r;
	struct buf		 text = BUF_INIT;
	int			 rc;

	r = xcalloc(1, sizeof *r);
	r->name = xstrdup(term);
	r->entry = 1;
	r->version = version;
	/* A refused entry has no unit: it is found by name, never by its text. */
	r->nunits = html != NULL ? 1 : 0;
	r->offs = xcalloc(2, sizeof *r->offs);
	if (html != NULL)
		search_rec_unit(&text, r->offs, 0, NULL, html, len);
	r->offs[r->nunits] = (uint32_t)text.len;
	r->textlen = text.len;
	r->text = buf_detach(&text, NULL);
	r->bytes = sizeof *r + r->textlen + strlen(term) + 1 +
	    2 * sizeof *r->offs;
	pthread_mutex_lock(&s->lock);
	rc = search_add(s, r);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

/* Returns 1 if name is in the sorted list. */
static int
search_listed(const char *name, char *const *v, size_t n)
{
	size_t	 lo = 0, hi = n, mid;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(name, v[mid])) == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

void
search_keep(struct search *s, char *const *decks, size_t ndecks,
    char *const *terms, size_t nterms)
{
	struct search_rec	*r;
	size_t			 i;

	pthread_mutex_lock(&s->lock);
	for (i = 0; i < s->nrecs; i++) {
		r = s->recs[i];
		if (r->alive && !(r->entry ? search_listed(r->name, terms,
		    nterms) : search_listed(r->name, decks, ndecks)))
			search_unlink(s, r);
	}
	pthread_mutex_unlock(&s->lock);
}

/* Writes an unsigned number as a varint (straight into the buffer: the build's inner loop). */
static void
search_varint(struct buf *b, uint32_t v)
{
	unsigned char	*p;

	if (b->cap - b->len < 6)
		buf_reserve(b, 5);
	p = (unsigned char *)b->data + b->len;
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	*p = '\0';
	b->len = (size_t)((char *)p - b->data);
}

/* Reads a varint at *p. */
static uint32_t
search_varint_get(const uint8_t **p)
{
	uint32_t	 v = 0;
	unsigned	 shift = 0;

	while (**p & 0x80) {
		v |= (uint32_t)(**p & 0x7f) << shift;
		shift += 7;
		(*p)++;
	}
	v |= (uint32_t)**p << shift;
	(*p)++;
	return v;
}

/* The key of a code point alone (c2, c3 0), a pair (c3 0) or three. */
static uint64_t
search_key(uint32_t c1, uint32_t c2, uint32_t c3)
{
	return ((uint64_t)c1 << 42) | ((uint64_t)c2 << 21) | c3;
}

/*
 * Returns 1 when three code points make an n-gram of their own: ASCII
 * ones, whose pairs are too few to tell pages apart (kana and kanji pairs
 * are many, and their triples would be more keys than text).
 */
static int
search_triple(uint32_t c1, uint32_t c2, uint32_t c3)
{
	return c1 < 0x80 && c2 < 0x80 && c3 < 0x80;
}

/* Mixes a key's bits, all of them, into the low ones that pick a slot. */
static size_t
search_mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return (size_t)x;
}

/* Returns the slot of a key in the table being built, making it. */
static struct search_pl *
search_build_slot(struct search_build *bd, uint64_t key)
{
	struct search_pl	*old;
	size_t			 i, j, oldcap, a = SIZE_MAX;

	if ((key >> 42) < 0x80 && ((key >> 21) & 0x1fffff) < 0x80 &&
	    (key & 0x1fffff) < 0x80) {
		a = (size_t)((key >> 42) << 14 | ((key >> 21) & 0x7f) << 7 |
		    (key & 0x7f));
		if (bd->ascii[a] != 0)
			return &bd->v[bd->ascii[a] - 1];
	}
	if (2 * (bd->n + 1) > bd->cap) {
		memset(bd->ascii, 0, SEARCH_ASCII_KEYS * sizeof *bd->ascii);
		old = bd->v;
		oldcap = bd->cap;
		bd->cap = bd->cap == 0 ? 4096 : bd->cap * 2;
		bd->v = xcalloc(bd->cap, sizeof *bd->v);
		for (i = 0; i < oldcap; i++) {
			if (old[i].count == 0)
				continue;
			for (j = search_mix(old[i].key) & (bd->cap - 1);
			    bd->v[j].count != 0;
			    j = (j + 1) & (bd->cap - 1))
				;
			bd->v[j] = old[i];
		}
		free(old);
	}
	for (j = search_mix(key) & (bd->cap - 1); bd->v[j].count != 0;
	    j = (j + 1) & (bd->cap - 1))
		if (bd->v[j].key == key)
			break;
	if (bd->v[j].count == 0) {
		bd->v[j].key = key;
		bd->n++;
	}
	if (a != SIZE_MAX)
		bd->ascii[a] = (uint32_t)j + 1;
	return &bd->v[j];
}

/* Adds unit u to a key's list, once. */
static void
search_build_add(struct search_build *bd, uint64_t key, uint32_t u)
{
	struct search_pl	*pl = search_build_slot(bd, key);

	if (pl->count != 0 && pl->last == u)
		return;
	search_varint(&pl->b, pl->count == 0 ? u : u - pl->last);
	pl->last = u;
	pl->count++;
}

/* Adds the n-grams of one unit's text. */
static void
search_build_unit(struct search_build *bd, const char *t, size_t len,
    uint32_t u)
{
	uint32_t	 c, prev = 0, prev2 = 0;
	size_t		 i = 0;

	while (i < len) {
		i += search_text_cp(t + i, len - i, &c);
		c = search_text_fold(c);
		if (c != ' ')
			search_build_add(bd, search_key(c, 0, 0), u);
		if (prev != 0)
			search_build_add(bd, search_key(prev, c, 0), u);
		if (prev2 != 0 && search_triple(prev2, prev, c))
			search_build_add(bd, search_key(prev2, prev, c), u);
		prev2 = prev;
		prev = c;
	}
}

/* Orders the lists being built by key. */
static int
search_pl_cmp(const void *a, const void *b)
{
	const struct search_pl	*x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* Writes one list as it is, or as a bitmap when that is smaller. */
static void
search_build_emit(struct search_lists *l, struct buf *post, size_t k,
    struct search_pl *pl)
{
	const uint8_t	*p;
	size_t		 bitmap = ((size_t)l->nunits + 7) / 8, i;
	uint32_t	 u = 0;
	char		*bits;

	l->keys[k] = pl->key;
	l->offs[k] = (uint32_t)post->len;
	l->counts[k] = pl->count;
	if (pl->b.len <= bitmap) {
		buf_add(post, pl->b.data, pl->b.len);
		return;
	}
	bits = xcalloc(bitmap, 1);
	p = (const uint8_t *)pl->b.data;
	for (i = 0; i < pl->count; i++) {
		u += search_varint_get(&p);
		bits[u / 8] |= (char)(1u << (u % 8));
	}
	buf_add(post, bits, bitmap);
	free(bits);
	l->counts[k] |= SEARCH_BITMAP;
}

/* Turns the table into sorted, compact lists. */
static void
search_build_finish(struct search_lists *l, struct search_build *bd)
{
	struct buf	 post = BUF_INIT;
	size_t		 i, k = 0;

	for (i = 0; i < bd->cap; i++)
		if (bd->v[i].count != 0)
			bd->v[k++] = bd->v[i];
	qsort(bd->v, k, sizeof *bd->v, search_pl_cmp);
	l->nkeys = k;
	l->keys = xcalloc(k + 1, sizeof *l->keys);
	l->offs = xcalloc(k + 1, sizeof *l->offs);
	l->counts = xcalloc(k + 1, sizeof *l->counts);
	for (i = 0; i < k; i++) {
		search_build_emit(l, &post, i, &bd->v[i]);
		buf_free(&bd->v[i].b);
	}
	l->post = (uint8_t *)buf_detach(&post, &l->postlen);
	free(bd->v);
	free(bd->ascii);
}

/* Orders records: entries first, then by name. */
static int
search_rec_cmp(const void *a, const void *b)
{
	const struct search_rec	*x = *(struct search_rec *const *)a;
	const struct search_rec	*y = *(struct search_rec *const *)b;

	if (x->entry != y->entry)
		return y->entry - x->entry;
	return strcmp(x->name, y->name);
}

/* Builds the posting lists of every live record again; the lock is held. */
static void
search_build(struct search *s)
{
	struct search_build	 bd;
	struct search_lists	*l = &s->l;
	struct search_rec	*r;
	size_t			 i, k = 0, n = 0;
	uint32_t		 j;

	/* The records that are gone leave now. */
	for (i = 0; i < s->nrecs; i++) {
		if (s->recs[i]->alive) {
			s->recs[k++] = s->recs[i];
			n += s->recs[i]->nunits;
		} else
			search_rec_free(s->recs[i]);
	}
	s->nrecs = k;
	qsort(s->recs, s->nrecs, sizeof *s->recs, search_rec_cmp);
	search_lists_free(l);
	memset(&bd, 0, sizeof bd);
	bd.ascii = xcalloc(SEARCH_ASCII_KEYS, sizeof *bd.ascii);
	l->units = xcalloc(n + 1, sizeof *l->units);
	for (i = 0; i < s->nrecs; i++) {
		r = s->recs[i];
		for (j = 0; j < r->nunits; j++) {
			l->units[l->nunits].rec = (uint32_t)i;
			l->units[l->nunits].page = j;
			search_build_unit(&bd, r->text + r->offs[j],
			    r->offs[j + 1] - r->offs[j] - 1, l->nunits);
			l->nunits++;
		}
		r->listed = 1;
	}
	search_build_finish(l, &bd);
	s->loose = 0;
	s->dead = 0;
	s->builds++;
}

/* Finds a key's list; returns its index or SIZE_MAX. */
static size_t
search_lookup(const struct search_lists *l, uint64_t key)
{
	size_t	 lo = 0, hi = l->nkeys, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (l->keys[mid] == key)
			return mid;
		if (l->keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

/* Decodes list k into units (count of them). */
static size_t
search_decode(const struct search_lists *l, size_t k, uint32_t *v)
{
	const uint8_t	*p = l->post + l->offs[k];
	uint32_t	 count = l->counts[k] & ~SEARCH_BITMAP, u = 0, i;
	size_t		 n = 0;

	if (l->counts[k] & SEARCH_BITMAP) {
		for (i = 0; i < l->nunits; i++)
			if (p[i / 8] & (1u << (i % 8)))
				v[n++] = i;
		return n;
	}
	for (i = 0; i < count; i++) {
		u += search_varint_get(&p);
		v[n++] = u;
	}
	return n;
}

/* Keeps the candidates that list k holds too; returns how many. */
static size_t
search_filter(const struct search_lists *l, size_t k, uint32_t *v, size_t n)
{
	const uint8_t	*p = l->post + l->offs[k];
	uint32_t	 count = l->counts[k] & ~SEARCH_BITMAP, u = 0, read = 0;
	size_t		 i, m = 0;

	for (i = 0; i < n; i++) {
		if (l->counts[k] & SEARCH_BITMAP) {
			if (p[v[i] / 8] & (1u << (v[i] % 8)))
				v[m++] = v[i];
			continue;
		}
		while (read < count && (read == 0 || u < v[i])) {
			u += search_varint_get(&p);
			read++;
		}
		if (read > 0 && u == v[i])
			v[m++] = v[i];
		else if (u < v[i])
			break;		/* the list ends before this candidate */
	}
	return m;
}

/*
 * The units of the lists that hold every n-gram of the query, ascending,
 * in *out (NULL when a key has no list); returns how many.
 */
static size_t
search_candidates(const struct search_lists *l,
    const struct search_query_cp *q, uint32_t **out)
{
	size_t		 ks[SEARCH_TEXT_MAX], nk = 0, i, best = 0, n, k;
	uint64_t	 key;
	const uint32_t	*c = q->cp;

	*out = NULL;
	for (i = 0; i < q->n; i++) {
		if (q->n == 1)
			key = search_key(c[0], 0, 0);
		else if (i + 1 == q->n)
			break;
		else if (i + 2 < q->n && search_triple(c[i], c[i + 1], c[i + 2]))
			key = search_key(c[i], c[i + 1], c[i + 2]);
		else
			key = search_key(c[i], c[i + 1], 0);
		if ((k = search_lookup(l, key)) == SIZE_MAX)
			return 0;
		ks[nk++] = k;
	}
	/* The shortest list first: every other one only filters it. */
	for (i = 1; i < nk; i++)
		if ((l->counts[ks[i]] & ~SEARCH_BITMAP) <
		    (l->counts[ks[best]] & ~SEARCH_BITMAP))
			best = i;
	*out = xcalloc((l->counts[ks[best]] & ~SEARCH_BITMAP) + 1,
	    sizeof **out);
	n = search_decode(l, ks[best], *out);
	for (i = 0; i < nk && n > 0; i++)
		if (i != best)
			n = search_filter(l, ks[i], *out, n);
	return n;
}

/* Returns 1 if a deck name is in the scope (a prefix; NULL or "" for all). */
static int
search_in_scope(const char *name, const char *scope)
{
	return scope == NULL || strncmp(name, scope, strlen(scope)) == 0;
}

/* Returns the start of the code point that holds byte p. */
static size_t
search_cp_start(const char *t, size_t p)
{
	while (p > 0 && ((unsigned char)t[p] & 0xc0) == 0x80)
		p--;
	return p;
}

/* Writes the text around a match, escaped, the match in <mark>. */
static char *
search_snippet(const char *t, size_t len, size_t off, size_t mlen)
{
	struct buf	 b = BUF_INIT;
	size_t		 start = off, end = off + mlen, i;
	uint32_t	 cp;

	for (i = 0; i < SEARCH_SNIP_BEFORE && start > 0; i++)
		start = search_cp_start(t, start - 1);
	for (i = 0; i < SEARCH_SNIP_AFTER && end < len; i++)
		end += search_text_cp(t + end, len - end, &cp);
	if (start > 0)
		buf_adds(&b, "\xe2\x80\xa6");
	html_text(&b, t + start, off - start);
	buf_adds(&b, "<mark>");
	html_text(&b, t + off, mlen);
	buf_adds(&b, "</mark>");
	html_text(&b, t + off + mlen, end - off - mlen);
	if (end < len)
		buf_adds(&b, "\xe2\x80\xa6");
	buf_addc(&b, '\0');
	return buf_detach(&b, NULL);
}

/*
 * Returns the entry a deck finds for a term: the one of the deck's own
 * folder, else of each folder above it, up to the top's; NULL if none.
 * The lock is held.
 */
static struct search_rec *
search_resolve(struct search *s, const char *deck, const char *term)
{
	struct search_rec	*r;
	struct buf		 key = BUF_INIT;
	const char		*end = strrchr(deck, '/');

	for (;;) {
		buf_reset(&key);
		if (end != NULL)
			buf_printf(&key, "%.*s/", (int)(end - deck), deck);
		buf_adds(&key, term);
		if ((r = search_find(s, key.data, 1)) != NULL || end == NULL)
			break;
		while (end > deck && end[-1] != '/')
			end--;
		end = end > deck ? end - 1 : NULL;
	}
	buf_free(&key);
	return r;
}

/* Returns an entry's term: its name after the folder's. */
static const char *
search_entry_term(const struct search_rec *e)
{
	const char	*t = strrchr(e->name, '/');

	return t != NULL ? t + 1 : e->name;
}

/* Returns 1 if a deck is below an entry's folder: it may find that entry. */
static int
search_below(const char *deck, const struct search_rec *e)
{
	size_t	 n = (size_t)(search_entry_term(e) - e->name);

	return n == 0 || strncmp(deck, e->name, n) == 0;
}

/*
 * The deck whose address an entry's result links through: the first, by
 * name, in the scope that uses the term and finds this entry, or else the
 * first in the scope that finds it; NULL with a scope none of whose decks
 * uses it. The lock is held.
 */
static const char *
search_entry_deck(struct search *s, const struct search_rec *e,
    const char *scope)
{
	const char		*user = NULL, *any = NULL, *term;
	struct search_rec	*r;
	size_t			 i, j;

	term = search_entry_term(e);
	for (i = 0; i < s->nrecs; i++) {
		r = s->recs[i];
		if (!r->alive || r->entry || !search_in_scope(r->name, scope) ||
		    !search_below(r->name, e))
			continue;
		/* Not a deck for which a nearer entry, refused maybe, hides this one. */
		if ((any == NULL || strcmp(r->name, any) < 0) &&
		    search_resolve(s, r->name, term) == e)
			any = r->name;
		if (user != NULL && strcmp(r->name, user) > 0)
			continue;
		for (j = 0; j < r->nuses; j++)
			if (strcmp(r->uses[j], term) == 0) {
				if (search_resolve(s, r->name, term) == e)
					user = r->name;
				break;
			}
	}
	return user != NULL ? user : scope != NULL ? NULL : any;
}

/* Checks one unit against the query and adds it as a result; returns 1 if it matched. */
static int
search_try(struct search *s, struct search_rec *r, uint32_t page,
    const struct search_query_cp *q, const char *scope,
    struct search_result *res)
{
	struct search_hit	*h;
	const char		*t = r->text + r->offs[page], *deck = NULL;
	size_t			 len = r->offs[page + 1] - r->offs[page] - 1;
	size_t			 off, mlen;

	if (!r->entry && !search_in_scope(r->name, scope))
		return 0;
	if (!search_text_find(t, len, 0, q, &off, &mlen))
		return 0;
	if (r->entry && (deck = search_entry_deck(s, r, scope)) == NULL &&
	    scope != NULL)
		return 0;
	if (res->n == SEARCH_MAX_HITS) {
		res->more = 1;
		return 1;
	}
	res->v = xreallocarray(res->v, res->n + 1, sizeof *res->v);
	h = &res->v[res->n++];
	memset(h, 0, sizeof *h);
	if (r->entry) {
		h->term = xstrdup(search_entry_term(r));
		h->deck = deck != NULL ? xstrdup(deck) : NULL;
		h->label = xstrdup(h->term);
	} else {
		h->deck = xstrdup(r->name);
		h->title = xstrdup(r->title);
		h->lang = xstrdup(r->lang);
		h->label = xstrdup(r->labels[page]);
	}
	h->page = page;
	h->snippet = search_snippet(t, len, off, mlen);
	return 1;
}

/* Orders results: entries first, then by deck name and page. */
static int
search_hit_cmp(const void *a, const void *b)
{
	const struct search_hit	*x = a, *y = b;
	int			 c;

	if ((x->term != NULL) != (y->term != NULL))
		return x->term != NULL ? -1 : 1;
	if (x->term != NULL)
		return strcmp(x->term, y->term);
	if ((c = strcmp(x->deck, y->deck)) != 0)
		return c;
	return x->page < y->page ? -1 : x->page > y->page;
}

/* Searches the lists, then the records not in them yet; the lock is held. */
static void
search_run(struct search *s, const struct search_query_cp *q,
    const char *scope, struct search_result *res)
{
	struct search_rec	*r;
	uint32_t		*cand, j;
	size_t			 n, i;

	n = search_candidates(&s->l, q, &cand);
	for (i = 0; i < n && !res->more; i++) {
		r = s->recs[s->l.units[cand[i]].rec];
		if (r->alive)
			search_try(s, r, s->l.units[cand[i]].page, q, scope,
			    res);
	}
	free(cand);
	for (i = 0; i < s->nrecs && !res->more; i++) {
		r = s->recs[i];
		if (!r->alive || r->listed)
			continue;
		for (j = 0; j < r->nunits && !res->more; j++)
			search_try(s, r, j, q, scope, res);
	}
	for (i = 0; i < s->nrecs; i++)
		if (s->recs[i]->alive && !s->recs[i]->entry &&
		    search_in_scope(s->recs[i]->name, scope))
			res->decks++;
}

int
search_query(struct search *s, const char *text, size_t len,
    const char *scope, struct search_result *res)
{
	struct search_query_cp	 q;

	memset(res, 0, sizeof *res);
	if (search_text_query(&q, text, len) != 0 || q.n > SEARCH_MAX_QUERY)
		return -1;
	if (scope != NULL && *scope == '\0')
		scope = NULL;
	pthread_mutex_lock(&s->lock);
	/* Texts not in the lists are read whole: past an eighth, build again. */
	if ((s->loose > SEARCH_LOOSE_MIN && s->loose > s->text / 8) ||
	    s->dead > s->l.nunits / 4 + 64 || (s->l.nunits == 0 &&
	    s->loose > 0))
		search_build(s);
	if (q.n > 0)
		search_run(s, &q, scope, res);
	res->left_out = s->left_out;
	pthread_mutex_unlock(&s->lock);
	if (res->n > 1)
		qsort(res->v, res->n, sizeof *res->v, search_hit_cmp);
	return 0;
}

void
search_result_free(struct search_result *res)
{
	size_t	 i;

	for (i = 0; i < res->n; i++) {
		free(res->v[i].deck);
		free(res->v[i].title);
		free(res->v[i].lang);
		free(res->v[i].term);
		free(res->v[i].label);
		free(res->v[i].snippet);
	}
	free(res->v);
	memset(res, 0, sizeof *res);
}

/* Orders uses by deck name and page. */
static int
search_use_cmp(const void *a, const void *b)
{
	const struct search_use	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->deck, y->deck)) != 0)
		return c;
	return x->page < y->page ? -1 : x->page > y->page;
}

size_t
search_uses(struct search *s, const char *deck, const char *term,
    struct search_use **out)
{
	struct search_use	*v = NULL;
	struct search_rec	*r, *e;
	size_t			 i, j, n = 0;
	int			 same;

	pthread_mutex_lock(&s->lock);
	e = search_resolve(s, deck, term);
	for (i = 0; i < s->nrecs; i++) {
		r = s->recs[i];
		if (!r->alive || r->entry)
			continue;
		/* -1: not yet known whether this deck finds the same entry. */
		same = -1;
		for (j = 0; j < r->nuses; j++) {
			if (strcmp(r->uses[j], term) != 0)
				continue;
			if (same == -1)
				same = search_resolve(s, r->name, term) == e;
			if (!same)
				break;
			v = xreallocarray(v, n + 1, sizeof *v);
			v[n].deck = xstrdup(r->name);
			v[n].title = xstrdup(r->title);
			v[n].page = r->usepage[j];
			v[n].label = xstrdup(r->labels[r->usepage[j]]);
			n++;
		}
	}
	pthread_mutex_unlock(&s->lock);
	if (n > 1)
		qsort(v, n, sizeof *v, search_use_cmp);
	*out = v;
	return n;
}

void
search_uses_free(struct search_use *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(v[i].deck);
		free(v[i].title);
		free(v[i].label);
	}
	free(v);
}

void
search_stats(struct search *s, struct search_stats *st)
{
	size_t	 i;

	memset(st, 0, sizeof *st);
	pthread_mutex_lock(&s->lock);
	for (i = 0; i < s->nrecs; i++) {
		if (!s->recs[i]->alive)
			continue;
		if (s->recs[i]->entry)
			st->entries++;
		else
			st->decks++;
		st->units += s->recs[i]->nunits;
	}
	st->text = s->text;
	st->lists = s->l.nkeys * (sizeof *s->l.keys + sizeof *s->l.offs +
	    sizeof *s->l.counts) + s->l.postlen +
	    (size_t)s->l.nunits * sizeof *s->l.units;
	st->bytes = s->bytes + st->lists + s->nrecs * sizeof *s->recs +
	    sizeof *s;
	st->builds = s->builds;
	pthread_mutex_unlock(&s->lock);
}

/* Decodes a term as a glossary macro writes it (percent-encoded bytes). */
static char *
search_term_decode(const char *s, size_t len)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;
	int		 hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len &&
		    (hi = util_hex(s[i + 1])) >= 0 &&
		    (lo = util_hex(s[i + 2])) >= 0) {
			buf_addc(&b, (char)(hi * 16 + lo));
			i += 2;
		} else
			buf_addc(&b, s[i]);
	}
	buf_addc(&b, '\0');
	return buf_detach(&b, NULL);
}

/* Lists the terms a page's glossary links name. */
void
search_page_terms(const char *body, size_t len, char ***terms, size_t *n)
{
	static const char	 call[] = "openglossary(\"";
	const char		*p = body, *end = body + len, *q, *t;
	char			*term;
	size_t			 i;

	while ((q = memmem(p, (size_t)(end - p), call, sizeof call - 1)) !=
	    NULL) {
		t = q + sizeof call - 1;
		for (p = t; p < end && *p != '"' && *p != '\n'; p++)
			;
		if (p >= end || *p != '"' || p - t <= 5 ||
		    memcmp(p - 5, ".html", 5) != 0)
			continue;
		term = search_term_decode(t, (size_t)(p - t) - 5);
		if (!expand_term_valid(term, strlen(term))) {
			free(term);
			continue;
		}
		for (i = 0; i < *n && strcmp((*terms)[i], term) != 0; i++)
			;
		if (i < *n) {
			free(term);
			continue;
		}
		*terms = xreallocarray(*terms, *n + 1, sizeof **terms);
		(*terms)[(*n)++] = term;
	}
}
