/* cache.c: the in-memory page cache: change detection, lazy rendering, LRU bound. */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#ifdef HAVE_MALLOC_H
#include <malloc.h>
#endif
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asset.h"
#include "buf.h"
#include "cache.h"
#include "deck.h"
#include "diag.h"
#include "glossary.h"
#include "lang.h"
#include "render.h"
#include "root.h"
#include "state.h"
#include "summary.h"
#include "util.h"

#define CACHE_BUCKETS 256

/*
 * How many decks are parsed at once: a parse holds the source and the
 * expanded pages (up to --max-source plus --max-expanded) until it is done,
 * so the loads in progress are bounded, not the requests.
 */
#define CACHE_LOADS	2

/* Why cache_load returned no version. */
#define CACHE_LOAD_BAD		0
#define CACHE_LOAD_UNREAD	1
#define CACHE_LOAD_PARTIAL	2

struct cache_scan;

/* A template set shared by the versions rendered with it. */
struct cache_tset {
	struct render_templates	*rt;
	unsigned		 refs;		/* atomic */
	unsigned		 gen;		/* counts the sets loaded */
};

/* What identifies one state of a file on disk. */
struct cache_stamp {
	dev_t		 dev;
	ino_t		 ino;
	off_t		 size;
	struct timespec	 mtim;
	int		 exists;
	int		 err;		/* why it could not be looked at (EACCES ...), or 0 */
};

/* One deck name the cache knows, with its current version. */
struct cache_ent {
	char			*name;
	char			*path;
	struct root		*root;		/* the release path is in */
	struct cache_deck	*cur;		/* last good version, or NULL */
	struct cache_sum	*sum;		/* its summary; kept when cur is evicted */
	struct cache_stamp	 stamp;		/* of the file cur (or error) came from */
	struct cache_stamp	 warned;	/* of the file whose warnings were logged */
	unsigned		 tgen;		/* templates of the last load of that file */
	unsigned long long	 checked;	/* when the file was last stat'ed */
	char			*error;		/* why the file on disk does not load */
	struct deck_error	 failure;	/* the same as a diagnostic, when it has one */
	int			 loading;
	struct cache_ent	*hnext;
	struct cache_ent	*prev;		/* LRU: head is the most recent */
	struct cache_ent	*next;
};

struct cache {
	char			*decks_dir;
	struct root_watch	*roots;		/* what decks_dir leads to now */
	char			*templates_dir;
	char			*state_dir;	/* shared with the node's other processes, or NULL */
	size_t			 max_bytes;
	unsigned		 interval;
	struct deck_limits	 limits;
	void			(*log)(void *, const char *);
	void			*log_arg;
	deck_is_page_fn		*is_page;
	enum render_links	 links;

	pthread_mutex_t		 lock;
	pthread_cond_t		 loaded;
	struct cache_ent	*buckets[CACHE_BUCKETS];
	struct cache_ent	*head;
	struct cache_ent	*tail;
	size_t			 ndecks;
	size_t			 bytes;
	uint64_t		 loads;
	uint64_t		 evictions;
	uint64_t		 summaries;	/* loads made for a summary alone */
	unsigned		 nloads;	/* parses in progress */

	/* The index as last rendered, in each interface language (lang_at()). */
	struct blob		**index;
	size_t			*index_votes;	/* the decks of each language */
	uint64_t		 index_token;	/* the state of the decks they show */
	int			 index_known;	/* index_votes counts for index_token */
	char			**symlinks;	/* the symbolic-link decks logged */
	size_t			 nsymlinks;

	struct cache_tset	*ts;		/* current templates */
	struct cache_stamp	 tstamp[RENDER_NDOCS];
	char			*tpath[RENDER_NDOCS];	/* the template files */
	unsigned long long	 tchecked;
	int			 tloading;
	time_t			 tmtime;	/* newest template mtime */

	struct cache_scan	*scan;		/* the last look at the decks root */
	unsigned long long	 wchecked;	/* and when it was made */
	int			 scanning;	/* a thread is looking again */
	int			 rendering;	/* threads rendering the index */

	char			*refused;	/* the glossary refusal last logged */
	char			*unreadable;	/* the unreadable deck path last logged */
	unsigned long long	 refused_at;
};

static void	cache_log(struct cache *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	cache_scan_release(struct cache_scan *);

/* Adds a reference to a blob. */
struct blob *
blob_retain(struct blob *b)
{
	__atomic_add_fetch(&b->refs, 1, __ATOMIC_RELAXED);
	return b;
}

/* Drops a reference; the last one frees the blob. */
void
blob_release(struct blob *b)
{
	if (b == NULL)
		return;
	if (__atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	free(b->data);
	free(b);
}

/* Wraps rendered bytes; the ETag is a 64-bit FNV-1a hash of them. */
struct blob *
blob_from_buf(struct buf *bf, time_t mtime)
{
	struct blob	*b;
	uint64_t	 h;

	b = xcalloc(1, sizeof *b);
	b->data = buf_detach(bf, &b->len);
	h = util_hash(UTIL_HASH_INIT, b->data, b->len);
	snprintf(b->etag, sizeof b->etag, "\"%016llx\"", (unsigned long long)h);
	b->mtime = mtime;
	b->refs = 1;
	return b;
}

/* A deck's summary shared by its versions' entry and the index being built. */
struct cache_sum {
	struct summary	*s;
	time_t		 mtime;		/* of the file it was made from */
	uint64_t	 hash;		/* of the bytes it was made from (with a state directory) */
	uint64_t	 serial;	/* which version: never the same twice in a process */
	unsigned	 refs;		/* atomic */
};

static uint64_t	cache_serials;	/* atomic: the last serial given */

/* Makes a shared summary of a deck. */
static struct cache_sum *
cache_sum_new(const struct deck *d, time_t mtime, uint64_t hash)
{
	struct cache_sum	*cs;

	cs = xcalloc(1, sizeof *cs);
	cs->s = summary_make(d);
	cs->mtime = mtime;
	cs->hash = hash;
	cs->serial = __atomic_add_fetch(&cache_serials, 1, __ATOMIC_RELAXED);
	cs->refs = 1;
	return cs;
}

/* Adds a reference to a summary (accepts NULL). */
static struct cache_sum *
cache_sum_retain(struct cache_sum *cs)
{
	if (cs != NULL)
		__atomic_add_fetch(&cs->refs, 1, __ATOMIC_RELAXED);
	return cs;
}

/* Drops a reference to a summary; accepts NULL. */
static void
cache_sum_release(struct cache_sum *cs)
{
	if (cs == NULL || __atomic_sub_fetch(&cs->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	summary_free(cs->s);
	free(cs);
}

/* Drops a reference to a template set. */
void
cache_tset_release(struct cache_tset *ts)
{
	if (ts == NULL)
		return;
	if (__atomic_sub_fetch(&ts->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	render_templates_free(ts->rt);
	free(ts);
}

/* Drops a reference to a deck version; the last one frees it and its pages. */
void
cache_deck_release(struct cache_deck *cd)
{
	size_t	 i;

	if (cd == NULL)
		return;
	if (__atomic_sub_fetch(&cd->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	for (i = 0; i < cd->deck->npages; i++)
		blob_release(cd->pages[i]);
	free(cd->pages);
	blob_release(cd->display);
	blob_release(cd->entry);
	cache_tset_release(cd->ts);
	cache_sum_release(cd->sum);
	root_release(cd->root);
	deck_free(cd->deck);
	free(cd);
}

/* Sends one line to the log. */
static void
cache_log(struct cache *c, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	if (c->log == NULL)
		return;
	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	c->log(c->log_arg, s);
	free(s);
}

/* Copies what identifies a file's state from its stat. */
static void
cache_stamp_set(struct cache_stamp *s, const struct stat *st)
{
	s->exists = 1;
	s->err = 0;
	s->dev = st->st_dev;
	s->ino = st->st_ino;
	s->size = st->st_size;
	s->mtim = st->st_mtim;
}

/*
 * Reads a file's identity without following a symbolic link. A file that
 * cannot be looked at (EACCES on its folder ...) is not a deleted one: err
 * says why, and its last good version is kept.
 */
static void
cache_stamp_of(const char *path, struct cache_stamp *s)
{
	struct stat	 st;

	memset(s, 0, sizeof *s);
	if (lstat(path, &st) != 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			s->err = errno;
		return;
	}
	if (S_ISREG(st.st_mode))
		cache_stamp_set(s, &st);
}

/* Compares two identities. */
static int
cache_stamp_same(const struct cache_stamp *a, const struct cache_stamp *b)
{
	return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino &&
	    a->size == b->size && a->mtim.tv_sec == b->mtim.tv_sec &&
	    a->mtim.tv_nsec == b->mtim.tv_nsec;
}

/* Stats every template file; returns the newest mtime. */
static time_t
cache_template_stamps(struct cache *c, struct cache_stamp *st)
{
	struct stat	 sb;
	char		*path;
	time_t		 newest = 0;
	int		 i;

	for (i = 0; i < RENDER_NDOCS; i++) {
		path = c->tpath[i];
		memset(&st[i], 0, sizeof st[i]);
		/* Templates may be symbolic links (a packaged layout). */
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
			cache_stamp_set(&st[i], &sb);
			if (sb.st_mtime > newest)
				newest = sb.st_mtime;
		}
	}
	return newest;
}

/* Returns the decks root in use now, with a reference; logs a link that stopped resolving. */
static struct root *
cache_root(struct cache *c, unsigned long long now)
{
	struct root	*r;
	char		*cause = NULL;

	r = root_watch_get(c->roots, now, &cause);
	if (cause != NULL) {
		cache_log(c, "%s", cause);
		free(cause);
	}
	return r;
}

/* Creates the cache and loads the templates. */
int
cache_create(struct cache **out, const struct cache_config *cfg, char **cause)
{
	struct render_templates	*rt;
	struct cache		*c;
	int			 i;

	if (render_templates_load(&rt, cfg->templates_dir, cause) != 0)
		return -1;
	c = xcalloc(1, sizeof *c);
	c->decks_dir = xstrdup(cfg->decks_dir);
	c->index = xcalloc(lang_count(), sizeof *c->index);
	c->index_votes = xcalloc(lang_count(), sizeof *c->index_votes);
	c->templates_dir = xstrdup(cfg->templates_dir);
	if (cfg->state_dir != NULL)
		c->state_dir = xstrdup(cfg->state_dir);
	c->max_bytes = cfg->max_bytes;
	c->interval = cfg->stat_interval_ms;
	c->limits = cfg->limits;
	c->log = cfg->log;
	c->log_arg = cfg->log_arg;
	c->is_page = cfg->is_page;
	c->links = cfg->links;
	c->roots = root_watch_create(cfg->decks_dir, cfg->stat_interval_ms);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->loaded, NULL);
	c->ts = xcalloc(1, sizeof *c->ts);
	c->ts->rt = rt;
	c->ts->refs = 1;
	/* Made once: the dev server stats them on every request. */
	for (i = 0; i < RENDER_NDOCS; i++)
		c->tpath[i] = xasprintf("%s/%s", c->templates_dir,
		    render_template_file((enum render_doc)i));
	c->tmtime = cache_template_stamps(c, c->tstamp);
	c->tchecked = util_now_ms();
	*out = c;
	return 0;
}

/* Unlinks an entry from the LRU list. */
static void
cache_lru_remove(struct cache *c, struct cache_ent *e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = NULL;
}

/* Puts an entry at the head of the LRU list. */
static void
cache_lru_front(struct cache *c, struct cache_ent *e)
{
	if (c->head == e)
		return;
	if (e->prev != NULL || e->next != NULL || c->tail == e)
		cache_lru_remove(c, e);
	e->next = c->head;
	if (c->head != NULL)
		c->head->prev = e;
	c->head = e;
	if (c->tail == NULL)
		c->tail = e;
}

/* Hashes a deck name into a bucket. */
static size_t
cache_hash(const char *s)
{
	return util_hash(UTIL_HASH_INIT, s, strlen(s)) % CACHE_BUCKETS;
}

/* Finds an entry; the lock is held. */
static struct cache_ent *
cache_find(struct cache *c, const char *name)
{
	struct cache_ent	*e;

	for (e = c->buckets[cache_hash(name)]; e != NULL; e = e->hnext) {
		if (strcmp(e->name, name) == 0)
			return e;
	}
	return NULL;
}

/* Takes a version out of the accounting; the lock is held. */
static void
cache_uncharge(struct cache *c, struct cache_deck *cd)
{
	if (cd == NULL || !cd->charged)
		return;
	c->bytes -= cd->cost;
	cd->charged = 0;
}

/* Removes an entry and drops its version; the lock is held and nobody waits on it. */
static void
cache_remove(struct cache *c, struct cache_ent *e)
{
	struct cache_ent	**pp;

	for (pp = &c->buckets[cache_hash(e->name)]; *pp != e; pp = &(*pp)->hnext)
		;
	*pp = e->hnext;
	cache_lru_remove(c, e);
	cache_uncharge(c, e->cur);
	cache_deck_release(e->cur);
	cache_sum_release(e->sum);
	c->ndecks--;
	free(e->name);
	free(e->path);
	root_release(e->root);
	free(e->error);
	deck_error_free(&e->failure);
	free(e);
}

/*
 * Drops the version an entry holds, keeping the entry, its summary and the
 * identity of its file; the lock is held. A deck that fails to load now is
 * looked at again at its next request, so that its last good version can
 * be found again (see cache_refresh).
 */
static void
cache_drop(struct cache *c, struct cache_ent *e)
{
	cache_uncharge(c, e->cur);
	cache_deck_release(e->cur);
	e->cur = NULL;
	if (e->error != NULL)
		memset(&e->stamp, 0, sizeof e->stamp);
}

/*
 * Drops the versions of the least recently used decks until the bound
 * holds, sparing keep (the deck being served, even when it alone is larger
 * than the bound); the lock is held.
 */
static void
cache_evict(struct cache *c, struct cache_ent *keep)
{
	struct cache_ent	*e, *prev;

	for (e = c->tail; e != NULL && c->bytes > c->max_bytes; e = prev) {
		prev = e->prev;
		if (e == keep || e->loading || e->cur == NULL)
			continue;
		cache_drop(c, e);
		c->evictions++;
	}
}

/* Frees everything. */
void
cache_free(struct cache *c)
{
	int	 i;

	if (c == NULL)
		return;
	while (c->head != NULL)
		cache_remove(c, c->head);
	for (i = 0; (size_t)i < lang_count(); i++)
		blob_release(c->index[i]);
	free(c->index);
	free(c->index_votes);
	for (i = 0; (size_t)i < c->nsymlinks; i++)
		free(c->symlinks[i]);
	free(c->symlinks);
	cache_scan_release(c->scan);
	cache_tset_release(c->ts);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->loaded);
	free(c->decks_dir);
	root_watch_free(c->roots);
	free(c->refused);
	free(c->unreadable);
	free(c->templates_dir);
	free(c->state_dir);
	for (i = 0; i < RENDER_NDOCS; i++)
		free(c->tpath[i]);
	free(c);
}

/* Reloads the templates when their files changed; the lock is held on entry and exit. */
static void
cache_check_templates(struct cache *c, unsigned long long now)
{
	struct cache_stamp	 st[RENDER_NDOCS];
	struct render_templates	*rt;
	struct cache_tset	*ts;
	char			*cause;
	time_t			 newest;
	int			 i, same = 1;

	if (c->tloading || now - c->tchecked < c->interval)
		return;
	c->tchecked = now;
	c->tloading = 1;
	pthread_mutex_unlock(&c->lock);
	newest = cache_template_stamps(c, st);
	for (i = 0; i < RENDER_NDOCS; i++)
		same = same && cache_stamp_same(&st[i], &c->tstamp[i]);
	for (i = 0; i < RENDER_NDOCS && !same; i++) {
		if (st[i].exists && util_maybe_partial(st[i].size, &st[i].mtim)) {
			/* Maybe half-saved: keep the templates in use, look again soon. */
			pthread_mutex_lock(&c->lock);
			c->tloading = 0;
			c->tchecked = now >= c->interval ? now - c->interval : 0;
			return;
		}
	}
	rt = NULL;
	if (!same && render_templates_load(&rt, c->templates_dir, &cause) != 0) {
		/* Fail open: keep serving with the templates that worked. */
		cache_log(c, "%s", cause);
		free(cause);
		rt = NULL;
	}
	pthread_mutex_lock(&c->lock);
	c->tloading = 0;
	if (same)
		return;
	memcpy(c->tstamp, st, sizeof st);
	if (rt == NULL)
		return;
	ts = xcalloc(1, sizeof *ts);
	ts->rt = rt;
	ts->refs = 1;
	ts->gen = c->ts->gen + 1;
	cache_tset_release(c->ts);
	c->ts = ts;
	__atomic_store_n(&c->tmtime, newest, __ATOMIC_RELAXED);
	/*
	 * Every deck is loaded again at its next request (see tgen); until
	 * then, and if its file no longer loads, the version rendered with the
	 * old templates is still served.
	 */
	cache_log(c, "%s: templates reloaded", c->templates_dir);
}

/* Returns the templates in use, with a reference. */
struct cache_tset *
cache_templates(struct cache *c)
{
	struct cache_tset	*ts;

	pthread_mutex_lock(&c->lock);
	cache_check_templates(c, util_now_ms());
	ts = c->ts;
	__atomic_add_fetch(&ts->refs, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&c->lock);
	return ts;
}

/* Returns the template set behind a reference. */
const struct render_templates *
cache_tset_templates(const struct cache_tset *ts)
{
	return ts->rt;
}

/*
 * Makes a version of a parsed deck (taking d); ts gets a reference. Its
 * warnings are logged when warn is set.
 */
static struct cache_deck *
cache_version(struct cache *c, const struct cache_ent *e,
    struct cache_tset *ts, struct deck *d, time_t mtime, uint64_t hash,
    int warn)
{
	struct cache_deck	*cd;
	char			*msg;
	size_t			 i;

	glossary_check_deck(d, e->path, c->is_page);
	cd = xcalloc(1, sizeof *cd);
	cd->deck = d;
	cd->mtime = mtime;
	cd->hash = hash;
	cd->pages = xcalloc(d->npages, sizeof *cd->pages);
	cd->refs = 1;
	__atomic_add_fetch(&ts->refs, 1, __ATOMIC_RELAXED);
	cd->ts = ts;
	cd->root = root_retain(e->root);
	cd->cost = sizeof *cd + d->expanded + d->npages *
	    (sizeof *d->pages + sizeof *cd->pages) + strlen(d->notes);
	cd->sum = cache_sum_new(d, mtime, hash);
	for (i = 0; warn && i < d->diags.n; i++) {
		msg = diag_format(d->file, &d->diags.v[i]);
		cache_log(c, "%s", msg);
		free(msg);
	}
	return cd;
}

/*
 * Records in the state directory a version just parsed from the file whose
 * state st was read, unless the file changed meanwhile (whoever loads the
 * newer one records it).
 */
static void
cache_accept(struct cache *c, const struct cache_ent *e,
    const struct cache_stamp *st, const char *raw, size_t len, uint64_t hash)
{
	struct state_version	 v;
	struct cache_stamp	 now;
	char			*cause;

	cache_stamp_of(e->path, &now);
	if (!cache_stamp_same(&now, st))
		return;
	v.hash = hash;
	v.size = (long long)st->size;
	v.sec = (long long)st->mtim.tv_sec;
	v.nsec = st->mtim.tv_nsec;
	if (state_accept(c->state_dir, e->name, raw, len, &v, &cause) != 0) {
		cache_log(c, "state directory: %s", cause);
		free(cause);
	}
}

/*
 * When a deck's file does not parse, returns the last version a process of
 * the node accepted, from the state directory, unless it is the one held
 * (hash held); NULL when there is none to take.
 */
static struct cache_deck *
cache_adopt(struct cache *c, const struct cache_ent *e, struct cache_tset *ts,
    uint64_t held)
{
	struct state_version	 v;
	struct deck		*d;
	char			*bytes, *cause = NULL;
	size_t			 len;

	if (c->state_dir == NULL || state_last(c->state_dir, e->name,
	    c->limits.max_source, &v, &bytes, &len) != 0)
		return NULL;
	if (v.hash == held) {
		free(bytes);
		return NULL;
	}
	if (deck_parse(&d, e->path, bytes, len, &c->limits, &cause) != 0) {
		free(cause);
		return NULL;
	}
	return cache_version(c, e, ts, d, (time_t)v.sec, v.hash, 1);
}

/*
 * Loads a deck file into a new version, and sets *st to the state of the file
 * that was read. Returns NULL on failure with *why: CACHE_LOAD_BAD (*cause
 * says what is wrong with the deck), CACHE_LOAD_UNREAD (*cause says why it
 * could not be read: descriptors, memory or permissions change without the
 * file changing), or CACHE_LOAD_PARTIAL (maybe half-saved, and old != 0).
 * With a state directory, a file that fails may still give a version, the
 * one the node's processes accepted last (with *why and *cause set), unless
 * it is the one held (hash held).
 */
static struct cache_deck *
cache_load(struct cache *c, struct cache_ent *e, struct cache_tset *ts,
    int old, uint64_t held, struct cache_stamp *st, char **cause,
    struct deck_error *derr, int *why)
{
	struct cache_deck	*cd;
	struct deck		*d;
	struct stat		 sb;
	char			*raw = NULL;
	size_t			 rawlen = 0;
	int			 rc, warn;

	if ((rc = deck_load_file_raw(&d, e->path, &c->limits, 1, &sb,
	    cause, derr, c->state_dir != NULL ? &raw : NULL, &rawlen)) == -2) {
		*why = CACHE_LOAD_UNREAD;
		return NULL;
	}
	/* The file may have changed since it was looked at: what was read counts. */
	cache_stamp_set(st, &sb);
	if (old && util_maybe_partial(sb.st_size, &sb.st_mtim)) {
		deck_free(d);
		free(raw);
		free(*cause);
		*cause = NULL;
		*why = CACHE_LOAD_PARTIAL;
		return NULL;
	}
	if (rc != 0) {
		free(raw);
		*why = CACHE_LOAD_BAD;
		return cache_adopt(c, e, ts, held);
	}
	/*
	 * A file is parsed again when its version was dropped (evicted, or
	 * read for its summary alone) or the templates changed: its warnings
	 * are logged once per state of the file. The entry is this thread's
	 * while it loads.
	 */
	warn = !cache_stamp_same(st, &e->warned);
	e->warned = *st;
	cd = cache_version(c, e, ts, d, st->mtim.tv_sec, raw == NULL ? 0 :
	    util_hash(UTIL_HASH_INIT, raw, rawlen), warn);
	if (raw != NULL)
		cache_accept(c, e, st, raw, rawlen, cd->hash);
	free(raw);
	return cd;
}

/* What cache_get does next with an entry. */
enum cache_step {
	CACHE_STEP_HIT,		/* serve what the entry has */
	CACHE_STEP_GONE,	/* no such deck */
	CACHE_STEP_RETRY,	/* another thread made the entry meanwhile */
	CACHE_STEP_LOAD		/* the file is new or changed: load it */
};

/* What a caller wants of a deck: a version to serve, or only its summary. */
#define CACHE_WANT_DECK		0
#define CACHE_WANT_SUMMARY	1

/* Returns what an entry holds to serve of what is wanted (NULL: nothing); the lock is held. */
static const void *
cache_held(const struct cache_ent *e, int want)
{
	return want == CACHE_WANT_SUMMARY ? (const void *)e->sum :
	    (const void *)e->cur;
}

/*
 * Says whether an entry answers for its file's state as last looked at:
 * with what is wanted, or with its error. A summary does not depend on the
 * templates. The lock is held.
 */
static int
cache_has(const struct cache *c, const struct cache_ent *e, int want)
{
	if (want == CACHE_WANT_SUMMARY)
		return e->sum != NULL || e->error != NULL;
	return (e->cur != NULL || e->error != NULL) && e->tgen == c->ts->gen;
}

/*
 * Looks a deck up; the lock is held. Waits for a thread loading it, so that
 * a deck is never parsed twice at once, unless there is something to serve
 * meanwhile. With a state directory, what a process holds may be older than
 * what the node's other processes serve, so it waits then too.
 * *fresh: the entry was checked within the stat interval, from the
 * current decks root.
 */
static struct cache_ent *
cache_lookup(struct cache *c, const char *name, const struct root *root,
    unsigned long long now, int want, int *fresh)
{
	struct cache_ent	*e;

	*fresh = 0;
	while ((e = cache_find(c, name)) != NULL && e->loading) {
		if (cache_held(e, want) != NULL && c->state_dir == NULL) {
			*fresh = 1;
			return e;
		}
		pthread_cond_wait(&c->loaded, &c->lock);
	}
	*fresh = e != NULL && cache_has(c, e, want) &&
	    now - e->checked < c->interval && e->root == root;
	return e;
}

/* Makes the entry of a deck seen for the first time, marked loading; the lock is held. */
static struct cache_ent *
cache_ent_new(struct cache *c, const char *name, char *path,
    struct root *root, unsigned long long now)
{
	struct cache_ent	*e;

	e = xcalloc(1, sizeof *e);
	e->name = xstrdup(name);
	e->path = path;
	e->root = root_retain(root);
	e->checked = now;
	e->loading = 1;
	e->hnext = c->buckets[cache_hash(name)];
	c->buckets[cache_hash(name)] = e;
	c->ndecks++;
	cache_lru_front(c, e);
	return e;
}

/* Ends a thread's loading of an entry and wakes those waiting; the lock is held. */
static void
cache_loaded(struct cache *c, struct cache_ent *e)
{
	e->loading = 0;
	pthread_cond_broadcast(&c->loaded);
}

/* Logs a deck that cannot be looked at, when the cause changes; the lock is held. */
static void
cache_unreadable(struct cache *c, const char *path, int err, int kept)
{
	char	*msg;

	msg = xasprintf("%s: %s%s", path, strerror(err), kept ?
	    " (serving the last good version)" : "");
	if (c->unreadable == NULL || strcmp(c->unreadable, msg) != 0) {
		cache_log(c, "%s", msg);
		free(c->unreadable);
		c->unreadable = msg;
	} else
		free(msg);
}

/*
 * Looks at a deck's file outside the lock (held on entry and exit), and
 * takes its entry for loading, making it if the file is new. *ep is the
 * entry afterwards (NULL when gone).
 */
static enum cache_step
cache_claim(struct cache *c, const char *name, struct cache_ent **ep,
    struct root *root, unsigned long long now, int want,
    struct cache_stamp *st)
{
	struct cache_ent	*e = *ep;
	char			*path;
	int			 moved = 0;

	path = xasprintf("%s/%s.drf", root->dir, name);
	if (e != NULL) {
		e->loading = 1;
		e->checked = now;
		/* The root link was flipped: the deck is now the new release's file. */
		if ((moved = e->root != root)) {
			free(e->path);
			e->path = xstrdup(path);
			root_release(e->root);
			e->root = root_retain(root);
		}
	}
	pthread_mutex_unlock(&c->lock);
	cache_stamp_of(path, st);
	pthread_mutex_lock(&c->lock);
	if (st->err != 0) {
		/* Not to be looked at now: like an unreadable file, not a deleted one. */
		cache_unreadable(c, path, st->err, e != NULL &&
		    cache_held(e, want) != NULL);
		free(path);
		if (e != NULL)
			cache_loaded(c, e);
		return e != NULL && cache_held(e, want) != NULL ?
		    CACHE_STEP_HIT : CACHE_STEP_GONE;
	}
	free(c->unreadable);
	c->unreadable = NULL;
	if (!st->exists) {
		free(path);
		if (e != NULL && c->state_dir != NULL)
			state_forget(c->state_dir, name);
		if (e != NULL) {
			cache_loaded(c, e);
			cache_remove(c, e);
			*ep = NULL;
		}
		return CACHE_STEP_GONE;
	}
	if (e == NULL) {
		if (cache_find(c, name) != NULL) {
			free(path);
			return CACHE_STEP_RETRY;
		}
		*ep = e = cache_ent_new(c, name, path, root, now);
	} else
		free(path);
	if (!moved && cache_stamp_same(st, &e->stamp) && cache_has(c, e, want)) {
		cache_loaded(c, e);
		return CACHE_STEP_HIT;
	}
	return CACHE_STEP_LOAD;
}

/*
 * Loads a changed file into a new version, outside the lock (held on entry
 * and exit). Returns the version, or NULL with *why and *cause.
 */
static struct cache_deck *
cache_refresh(struct cache *c, struct cache_ent *e, int want,
    struct cache_stamp *st, char **cause, struct deck_error *derr, int *why)
{
	struct cache_deck	*cd;
	struct cache_tset	*ts;
	uint64_t		 held;
	int			 old = e->cur != NULL;

	*why = CACHE_LOAD_BAD;
	if (st->size == 0 && old) {
		/* Emptied: an editor between truncating and writing, not a new version. */
		*cause = xasprintf("%s: the file is empty", e->path);
		return NULL;
	}
	if (old && util_maybe_partial(st->size, &st->mtim)) {
		*why = CACHE_LOAD_PARTIAL;
		return NULL;
	}
	while (c->nloads >= CACHE_LOADS)
		pthread_cond_wait(&c->loaded, &c->lock);
	c->nloads++;
	if (want == CACHE_WANT_SUMMARY)
		held = e->sum != NULL ? e->sum->hash : 0;
	else
		held = e->cur != NULL ? e->cur->hash : 0;
	ts = c->ts;
	__atomic_add_fetch(&ts->refs, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&c->lock);
	cd = cache_load(c, e, ts, old, held, st, cause, derr, why);
	cache_tset_release(ts);
	pthread_mutex_lock(&c->lock);
	c->nloads--;
	pthread_cond_broadcast(&c->loaded);
	return cd;
}

/* Makes a loaded version current, or records why the file failed; the lock is held. */
static void
cache_install(struct cache *c, struct cache_ent *e, struct cache_deck *cd,
    const struct cache_stamp *st, unsigned tgen, char *cause,
    struct deck_error *derr, int why, int want)
{
	char	*old_error = e->error;

	c->loads++;
	e->stamp = *st;
	e->tgen = tgen;
	e->error = NULL;
	deck_error_free(&e->failure);
	if (cd != NULL) {
		cache_sum_release(e->sum);
		e->sum = cache_sum_retain(cd->sum);
		cache_uncharge(c, e->cur);
		cache_deck_release(e->cur);
		e->cur = cd;
		cd->charged = 1;
		c->bytes += cd->cost;
		if (want == CACHE_WANT_SUMMARY) {
			/* Parsed for the index: not held, not counted. */
			c->summaries++;
			cache_drop(c, e);
		}
	}
	if (cd == NULL || cause != NULL || derr->dg.msg != NULL) {
		/*
		 * Keep the last good version (or the one the node's
		 * processes accepted); remember why the new one failed.
		 */
		if (derr->dg.msg != NULL) {
			e->error = diag_format(e->path, &derr->dg);
			e->failure = *derr;
			memset(derr, 0, sizeof *derr);
		} else
			e->error = diag_cause(e->path, cause);
		/* Not read: tried again at the next check; logged when the cause changes. */
		if (why != CACHE_LOAD_UNREAD || old_error == NULL ||
		    strcmp(old_error, e->error) != 0)
			cache_log(c, "%s%s", e->error, cache_held(e, want) !=
			    NULL ? " (serving the last good version)" : "");
		if (why == CACHE_LOAD_UNREAD)
			memset(&e->stamp, 0, sizeof e->stamp);
	}
	free(cause);
	deck_error_free(derr);
	free(old_error);
	cache_loaded(c, e);
	cache_evict(c, e);
}

/* Hands out an entry's version (or its error); the lock is held and let go. */
static enum cache_status
cache_hit(struct cache *c, struct cache_ent *e, struct cache_deck **out,
    char **error, struct deck_error *failure)
{
	struct cache_deck	*cd = e->cur;

	cache_lru_front(c, e);
	if (cd != NULL)
		__atomic_add_fetch(&cd->refs, 1, __ATOMIC_RELAXED);
	if (cd == NULL || e->error != NULL)
		*error = xstrdup(e->error != NULL ? e->error : "not loaded");
	if (failure != NULL && e->error != NULL)
		deck_error_copy(failure, &e->failure);
	pthread_mutex_unlock(&c->lock);
	*out = cd;
	return cd != NULL ? CACHE_OK : CACHE_BROKEN;
}

/*
 * Finds an entry with what is wanted of a deck, loading it when its file is
 * new or changed: look up, claim, refresh, install. Returns with the lock
 * held; NULL when there is no such deck.
 */
static struct cache_ent *
cache_fetch(struct cache *c, const char *name, int want)
{
	struct deck_error	 derr;
	struct cache_stamp	 st;
	struct cache_ent	*e;
	struct cache_deck	*cd;
	unsigned long long	 now;
	enum cache_step		 step;
	struct root		*root;
	char			*cause = NULL;
	unsigned		 tgen;
	int			 fresh, why;

	now = util_now_ms();
	root = cache_root(c, now);
	pthread_mutex_lock(&c->lock);
	cache_check_templates(c, now);
	do {
		e = cache_lookup(c, name, root, now, want, &fresh);
		step = fresh ? CACHE_STEP_HIT : cache_claim(c, name, &e, root,
		    now, want, &st);
	} while (step == CACHE_STEP_RETRY);
	/* The entry keeps the root it was read from. */
	root_release(root);
	if (step == CACHE_STEP_GONE)
		return NULL;
	if (step == CACHE_STEP_LOAD) {
		tgen = c->ts->gen;
		memset(&derr, 0, sizeof derr);
		cd = cache_refresh(c, e, want, &st, &cause, &derr, &why);
		if (why == CACHE_LOAD_PARTIAL) {
			/*
			 * Maybe half-saved: keep serving the last good
			 * version, as if nothing had changed, and look again
			 * at the next request.
			 */
			e->checked = now >= c->interval ? now - c->interval : 0;
			cache_loaded(c, e);
			deck_error_free(&derr);
		} else
			cache_install(c, e, cd, &st, tgen, cause, &derr, why,
			    want);
	}
	return e;
}

/* Finds or loads the current version of a deck. */
enum cache_status
cache_get_failure(struct cache *c, const char *name, struct cache_deck **out,
    char **error, struct deck_error *failure)
{
	struct cache_ent	*e;

	*out = NULL;
	*error = NULL;
	if (failure != NULL)
		memset(failure, 0, sizeof *failure);
	if (!deck_name_valid(name, strlen(name)))
		return CACHE_NOT_FOUND;
	if ((e = cache_fetch(c, name, CACHE_WANT_DECK)) == NULL) {
		pthread_mutex_unlock(&c->lock);
		return CACHE_NOT_FOUND;
	}
	return cache_hit(c, e, out, error, failure);
}

/* Returns the version held of a deck, with a reference, or NULL: the lock only for the lookup. */
struct cache_deck *
cache_peek(struct cache *c, const char *name)
{
	struct cache_ent	*e;
	struct cache_deck	*cd = NULL;

	pthread_mutex_lock(&c->lock);
	if ((e = cache_find(c, name)) != NULL && (cd = e->cur) != NULL)
		__atomic_add_fetch(&cd->refs, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&c->lock);
	return cd;
}

/* Returns the summary of a deck's last good version, with a reference, or NULL. */
static struct cache_sum *
cache_summary(struct cache *c, const char *name)
{
	struct cache_ent	*e;
	struct cache_sum	*cs = NULL;

	if ((e = cache_fetch(c, name, CACHE_WANT_SUMMARY)) != NULL)
		cs = cache_sum_retain(e->sum);
	pthread_mutex_unlock(&c->lock);
	return cs;
}

/* Returns the serial of a deck's current good version, loading its summary as the index does; 0 if none. */
uint64_t
cache_version_id(struct cache *c, const char *name)
{
	struct cache_sum	*cs;
	uint64_t		 id = 0;

	if (!deck_name_valid(name, strlen(name)))
		return 0;
	if ((cs = cache_summary(c, name)) != NULL)
		id = cs->serial;
	cache_sum_release(cs);
	return id;
}

/* Returns the serial of a version. */
uint64_t
cache_deck_version_id(const struct cache_deck *cd)
{
	return cd->sum->serial;
}

/* The same without the failure as a diagnostic. */
enum cache_status
cache_get(struct cache *c, const char *name, struct cache_deck **out,
    char **error)
{
	return cache_get_failure(c, name, out, error, NULL);
}

/*
 * Says whether a version may keep one more rendered document of add bytes;
 * the lock is held. Within the bound, any; a version larger than the bound
 * by itself (kept while it is the most recently used) keeps the first it
 * renders up to a quarter of the bound, so that the pages asked for again
 * and again (the one on the projector, the first ones) are not rendered
 * per request, and renders the others for each request.
 */
static int
cache_keeps(const struct cache *c, const struct cache_deck *cd, size_t add)
{
	if (!cd->charged || cd->cost + add <= c->max_bytes)
		return 1;
	return cd->cost - cd->kept > c->max_bytes &&
	    cd->kept + add <= cache_whole_limit(c);
}

/*
 * Publishes a rendered blob in a slot, or takes the one another thread
 * published first; a blob the version may not keep is handed out alone.
 */
static struct blob *
cache_publish(struct cache *c, struct cache_deck *cd, struct blob **slot,
    struct blob *b)
{
	struct blob	*expected = NULL;
	size_t		 add = b->len + sizeof *b;

	pthread_mutex_lock(&c->lock);
	if (!cache_keeps(c, cd, add)) {
		pthread_mutex_unlock(&c->lock);
		return b;
	}
	pthread_mutex_unlock(&c->lock);
	if (!__atomic_compare_exchange_n(slot, &expected, b, 0,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		blob_release(b);
		return blob_retain(expected);
	}
	pthread_mutex_lock(&c->lock);
	/* A version that was replaced or evicted meanwhile is no longer counted. */
	if (cd->charged) {
		cd->cost += add;
		cd->kept += add;
		c->bytes += add;
		cache_evict(c, c->head);
	}
	pthread_mutex_unlock(&c->lock);
	return blob_retain(b);
}

/* Returns the newer of a deck's and the templates' modification times. */
time_t
cache_mtime(struct cache *c, const struct cache_deck *cd)
{
	time_t	 t = __atomic_load_n(&c->tmtime, __ATOMIC_RELAXED);

	if (cd != NULL && cd->mtime > t)
		t = cd->mtime;
	return t;
}

/* Returns one of a version's cached documents, rendering and publishing it once. */
static struct blob *
cache_render(struct cache *c, struct cache_deck *cd, enum render_doc doc,
    size_t n)
{
	struct buf	 b = BUF_INIT;
	struct blob	**slot, *p;

	slot = doc == RENDER_PAGE ? &cd->pages[n] : doc == RENDER_ENTRY ?
	    &cd->entry : &cd->display;
	if ((p = __atomic_load_n(slot, __ATOMIC_ACQUIRE)) != NULL)
		return blob_retain(p);
	if (doc == RENDER_PAGE)
		render_page(cd->ts->rt, cd->deck, n, c->links, &b);
	else if (doc == RENDER_ENTRY)
		render_entry(cd->ts->rt, cd->deck, 0, c->links, &b);
	else
		render_display(cd->ts->rt, cd->deck, c->links, &b);
	return cache_publish(c, cd, slot, blob_from_buf(&b, cache_mtime(c, cd)));
}

/* Returns a rendered page. */
struct blob *
cache_page(struct cache *c, struct cache_deck *cd, size_t n)
{
	return cache_render(c, cd, RENDER_PAGE, n);
}

/* Returns the frameset starting at page 0. */
struct blob *
cache_entry(struct cache *c, struct cache_deck *cd)
{
	return cache_render(c, cd, RENDER_ENTRY, 0);
}

/* Returns the display frame's document. */
struct blob *
cache_display(struct cache *c, struct cache_deck *cd)
{
	return cache_render(c, cd, RENDER_DISPLAY, 0);
}

/* Reads a glossary entry; a refused one is logged, once a minute for the same cause. */
int
cache_glossary(struct cache *c, const struct cache_deck *cd, const char *term,
    char **data, size_t *len, time_t *mtime)
{
	struct stat		 st;
	unsigned long long	 now;
	char			*cause = NULL, *dir;
	int			 rc;

	/* The glossary of the release the version was read from. */
	dir = xasprintf("%s/glossary", cd->root->dir);
	rc = glossary_read(dir, term, data, len, &st, &cause);
	free(dir);
	if (rc == 0) {
		*mtime = st.st_mtime;
		return 0;
	}
	if (rc < 0) {
		now = util_now_ms();
		pthread_mutex_lock(&c->lock);
		if (c->refused == NULL || strcmp(c->refused, cause) != 0 ||
		    now - c->refused_at >= 60000) {
			cache_log(c, "glossary entry refused: %s", cause);
			free(c->refused);
			c->refused = cause;
			c->refused_at = now;
			cause = NULL;
		}
		pthread_mutex_unlock(&c->lock);
		free(cause);
	}
	return 1;
}

/* One deck file seen in the decks root, with its identity. */
struct cache_seen {
	char			*name;
	struct cache_stamp	 stamp;	/* zero when it could not be looked at */
};

/*
 * One look at the decks root: its deck files, sorted by name, and the hash
 * cache_watch answers for them. Immutable once made; shared by reference
 * with the index being rendered from it.
 */
struct cache_scan {
	struct root		*root;
	struct cache_seen	*v;
	size_t			 n;
	uint64_t		 token;
	unsigned		 refs;		/* atomic */
};

/* Drops a reference to a scan; accepts NULL. */
static void
cache_scan_release(struct cache_scan *s)
{
	size_t	 i;

	if (s == NULL || __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	for (i = 0; i < s->n; i++)
		free(s->v[i].name);
	free(s->v);
	root_release(s->root);
	free(s);
}

/* Orders the files of a scan by name. */
static int
cache_cmp_seen(const void *a, const void *b)
{
	return strcmp(((const struct cache_seen *)a)->name,
	    ((const struct cache_seen *)b)->name);
}

/* Adds a deck name to a scan. */
static struct cache_seen *
cache_scan_add(struct cache_scan *s, char *name)
{
	struct cache_seen	*f;

	s->v = xreallocarray(s->v, s->n + 1, sizeof *s->v);
	f = &s->v[s->n++];
	memset(f, 0, sizeof *f);
	f->name = name;
	return f;
}

/*
 * Lists the decks with a version in memory, for a directory that cannot be
 * read now; their identities are unknown (zero).
 */
static void
cache_scan_known(struct cache *c, struct cache_scan *s)
{
	struct cache_ent	*e;

	pthread_mutex_lock(&c->lock);
	for (e = c->head; e != NULL; e = e->next) {
		if (e->cur != NULL)
			cache_scan_add(s, xstrdup(e->name));
	}
	pthread_mutex_unlock(&c->lock);
}

/*
 * Says once per process (not per request) that a deck file is a symbolic
 * link, which is not served: a link could lead out of the decks folder.
 */
static void
cache_symlink_once(struct cache *c, const char *dir, const char *name)
{
	char	*file;
	size_t	 i;

	file = xasprintf("%s/%s", dir, name);
	pthread_mutex_lock(&c->lock);
	for (i = 0; i < c->nsymlinks; i++)
		if (strcmp(c->symlinks[i], file) == 0)
			break;
	if (i == c->nsymlinks) {
		c->symlinks = xreallocarray(c->symlinks, c->nsymlinks + 1,
		    sizeof *c->symlinks);
		c->symlinks[c->nsymlinks++] = xstrdup(file);
		cache_log(c, "%s: skipped: the deck is a symbolic link, which "
		    "is never followed; copy or move the file itself into the "
		    "decks folder", file);
	}
	pthread_mutex_unlock(&c->lock);
	free(file);
}

/*
 * Looks at the decks root once: one readdir, and one fstatat of each deck
 * file (a symbolic link or other non-regular file is not a deck), sorted.
 */
static struct cache_scan *
cache_scan(struct cache *c)
{
	struct cache_scan	*s;
	struct dirent		*de;
	struct stat		 st;
	DIR			*dir;
	size_t			 len;
	int			 err;

	s = xcalloc(1, sizeof *s);
	s->refs = 1;
	s->root = cache_root(c, util_now_ms());
	if ((dir = opendir(s->root->dir)) == NULL) {
		if ((err = errno) == ENOENT)
			return s;
		pthread_mutex_lock(&c->lock);
		cache_unreadable(c, s->root->dir, err, 1);
		pthread_mutex_unlock(&c->lock);
		cache_scan_known(c, s);
	} else {
		while ((de = readdir(dir)) != NULL) {
			len = strlen(de->d_name);
			if (len <= 4 || strcmp(de->d_name + len - 4, ".drf") != 0 ||
			    !deck_name_valid(de->d_name, len - 4) ||
			    fstatat(dirfd(dir), de->d_name, &st,
			    AT_SYMLINK_NOFOLLOW) != 0)
				continue;
			if (S_ISLNK(st.st_mode))
				cache_symlink_once(c, s->root->dir, de->d_name);
			if (!S_ISREG(st.st_mode))
				continue;
			cache_stamp_set(&cache_scan_add(s,
			    xstrndup(de->d_name, len - 4))->stamp, &st);
		}
		closedir(dir);
	}
	if (s->n > 1)
		qsort(s->v, s->n, sizeof *s->v, cache_cmp_seen);
	return s;
}

/* Lists the valid deck names in the directory. */
size_t
cache_list(struct cache *c, char ***out)
{
	struct cache_scan	*s;
	char			**v;
	size_t			 i, n;

	s = cache_scan(c);
	v = xcalloc(s->n + 1, sizeof *v);
	for (i = 0; i < s->n; i++) {
		v[i] = s->v[i].name;
		s->v[i].name = NULL;
	}
	n = s->n;
	cache_scan_release(s);
	*out = v;
	return n;
}

/* Folds one file's identity, and whether it may be half-saved, into a hash. */
static uint64_t
cache_stamp_fold(uint64_t h, const struct cache_stamp *s)
{
	uint64_t	 v[6];

	memset(v, 0, sizeof v);
	if (s->exists) {
		v[0] = (uint64_t)s->dev;
		v[1] = (uint64_t)s->ino;
		v[2] = (uint64_t)s->size;
		v[3] = (uint64_t)s->mtim.tv_sec;
		v[4] = (uint64_t)s->mtim.tv_nsec;
		/* A half-saved file is loaded once it settles: a change too. */
		v[5] = 1 + (uint64_t)util_maybe_partial(s->size, &s->mtim);
	}
	return util_hash(h, v, sizeof v);
}

/*
 * Returns the last look at the decks root and the templates, with a
 * reference, looking again when the stat interval has passed. One thread
 * looks at a time; the others take the previous look meanwhile rather than
 * wait for it.
 */
static struct cache_scan *
cache_look(struct cache *c)
{
	struct cache_stamp	 ts[RENDER_NDOCS];
	struct cache_scan	*s;
	unsigned long long	 now = util_now_ms();
	uint64_t		 h = UTIL_HASH_INIT;
	size_t			 i;

	pthread_mutex_lock(&c->lock);
	if (c->scan != NULL && (c->scanning ||
	    now - c->wchecked < c->interval)) {
		s = c->scan;
		__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
		pthread_mutex_unlock(&c->lock);
		return s;
	}
	c->scanning = 1;
	pthread_mutex_unlock(&c->lock);
	s = cache_scan(c);
	for (i = 0; i < s->n; i++) {
		h = util_hash(h, s->v[i].name, strlen(s->v[i].name) + 1);
		h = cache_stamp_fold(h, &s->v[i].stamp);
	}
	cache_template_stamps(c, ts);
	for (i = 0; i < RENDER_NDOCS; i++)
		h = cache_stamp_fold(h, &ts[i]);
	s->token = h;
	s->refs = 2;
	pthread_mutex_lock(&c->lock);
	cache_scan_release(c->scan);
	c->scan = s;
	c->wchecked = now;
	c->scanning = 0;
	pthread_mutex_unlock(&c->lock);
	return s;
}

/* Folds the identities of the deck files and the templates, looked at once per stat interval. */
uint64_t
cache_watch(struct cache *c)
{
	struct cache_scan	*s;
	uint64_t		 h;

	s = cache_look(c);
	h = s->token;
	cache_scan_release(s);
	return h;
}

/*
 * Returns the summary of a deck file seen by a scan without looking at the
 * file again when the entry already answers for the identity the scan saw
 * (as cache_claim would find); else as cache_summary does.
 */
static struct cache_sum *
cache_scan_summary(struct cache *c, const struct cache_scan *s,
    const struct cache_seen *f)
{
	struct cache_ent	*e;
	struct cache_sum	*cs = NULL;

	pthread_mutex_lock(&c->lock);
	if ((e = cache_find(c, f->name)) != NULL && !e->loading &&
	    e->root == s->root && e->sum != NULL && f->stamp.exists &&
	    cache_stamp_same(&f->stamp, &e->stamp))
		cs = cache_sum_retain(e->sum);
	pthread_mutex_unlock(&c->lock);
	return cs != NULL ? cs : cache_summary(c, f->name);
}

/*
 * Takes a deck's error as "FOLDER/NAME.drf:LINE: message" and returns it as
 * the index shows it, from the deck's file name on (the decks folder is the
 * index's own); frees err.
 */
static char *
cache_error_in_folder(char *err, const char *name)
{
	char	*needle, *at, *out = err;

	needle = xasprintf("/%s.drf:", name);
	if ((at = strstr(err, needle)) != NULL &&
	    memchr(err, ':', (size_t)(at - err)) == NULL) {
		out = xstrdup(at + 1);
		free(err);
	}
	free(needle);
	return out;
}

/*
 * Lists the decks a scan saw that have no summary because they fail to
 * load, each with its first error (names and errors allocated).
 */
static struct render_broken *
cache_index_broken(struct cache *c, const struct cache_scan *s,
    const unsigned char *summed, size_t *nbroken)
{
	struct render_broken	*broken;
	struct cache_deck	*cd;
	char			*err;
	size_t			 i;

	broken = xcalloc(s->n + 1, sizeof *broken);
	*nbroken = 0;
	for (i = 0; i < s->n; i++) {
		if (summed[i])
			continue;
		err = NULL;
		if (cache_get(c, s->v[i].name, &cd, &err) == CACHE_OK)
			cache_deck_release(cd);
		if (err == NULL)
			continue;
		broken[*nbroken].name = xstrdup(s->v[i].name);
		broken[(*nbroken)++].error =
		    cache_error_in_folder(err, s->v[i].name);
	}
	return broken;
}

/* Frees the broken decks cache_index_broken() listed. */
static void
cache_broken_free(struct render_broken *broken, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free((char *)broken[i].name);
		free((char *)broken[i].error);
	}
	free(broken);
}

/* Remembers a rendered index, dropping those of another state of the decks. */
static void
cache_index_keep(struct cache *c, uint64_t token, const size_t *votes,
    size_t li, struct blob *b)
{
	size_t	 i;

	pthread_mutex_lock(&c->lock);
	if (!c->index_known || c->index_token != token) {
		for (i = 0; i < lang_count(); i++) {
			blob_release(c->index[i]);
			c->index[i] = NULL;
		}
		c->index_token = token;
		c->index_known = 1;
	}
	memcpy(c->index_votes, votes, lang_count() * sizeof *votes);
	blob_release(c->index[li]);
	c->index[li] = blob_retain(b);
	pthread_mutex_unlock(&c->lock);
}

/*
 * Renders the index from the decks' summaries, in the language the reader
 * asks for (accept) or most decks have, and keeps it for that language.
 */
static struct blob *
cache_index_render(struct cache *c, const struct cache_scan *s,
    const char *accept, uint64_t token,
    const char *public_url, const char *frame_ancestors,
    enum render_links links)
{
	struct cache_sum	**sums;
	struct render_broken	*broken = NULL;
	const struct summary	**v;
	const char		**langs;
	struct cache_tset	*ts;
	struct buf		 b = BUF_INIT;
	struct stat		 st;
	struct blob		*blob;
	unsigned char		*summed;
	size_t			 n = 0, i, nbroken = 0, li, *votes;
	time_t			 mtime;

	/* The listing changes with the directory, the decks and the templates. */
	mtime = cache_mtime(c, NULL);
	if (stat(c->decks_dir, &st) == 0 && st.st_mtime > mtime)
		mtime = st.st_mtime;
	sums = xcalloc(s->n + 1, sizeof *sums);
	v = xcalloc(s->n + 1, sizeof *v);
	langs = xcalloc(s->n + 1, sizeof *langs);
	summed = xcalloc(s->n + 1, 1);
	for (i = 0; i < s->n; i++) {
		if ((sums[n] = cache_scan_summary(c, s, &s->v[i])) == NULL)
			continue;
		summed[i] = 1;
		v[n] = sums[n]->s;
		langs[n] = v[n]->lang;
		if (sums[n]->mtime > mtime)
			mtime = sums[n]->mtime;
		n++;
	}
	if (links == RENDER_DEV)
		broken = cache_index_broken(c, s, summed, &nbroken);
	free(summed);
	votes = xcalloc(lang_count(), sizeof *votes);
	lang_votes(votes, langs, n);
	li = lang_pick_votes(accept, votes);
	ts = cache_templates(c);
	render_index_site(ts->rt, v, n, broken, nbroken, lang_at(li),
	    public_url, frame_ancestors, links, &b);
	cache_tset_release(ts);
	for (i = 0; i < n; i++)
		cache_sum_release(sums[i]);
	free(sums);
	free(v);
	free(langs);
	cache_broken_free(broken, nbroken);
	blob = blob_from_buf(&b, mtime);
	cache_index_keep(c, token, votes, li, blob);
	free(votes);
	return blob;
}

/*
 * Returns the index, rendered again only when a deck, the directory or a
 * template changed, once per interface language asked for. While one
 * thread renders a new one, the others answer with the previous index
 * rather than wait.
 */
struct blob *
cache_index(struct cache *c, const char *accept, const char *public_url,
    const char *frame_ancestors, enum render_links links)
{
	struct cache_scan	*s;
	struct blob		*b = NULL;
	uint64_t		 token;
	size_t			 li;

	s = cache_look(c);
	token = util_hash(s->token, &links, sizeof links);
	if (public_url != NULL)
		token = util_hash(token, public_url, strlen(public_url));
	if (frame_ancestors != NULL)
		token = util_hash(token, frame_ancestors,
		    strlen(frame_ancestors));
	pthread_mutex_lock(&c->lock);
	/* A scan older than the last is not rendered again (it was, or is superseded). */
	li = lang_pick_votes(accept, c->index_votes);
	if (c->index[li] != NULL && ((c->index_known &&
	    c->index_token == token) || c->rendering || s != c->scan)) {
		b = blob_retain(c->index[li]);
		pthread_mutex_unlock(&c->lock);
		cache_scan_release(s);
		return b;
	}
	c->rendering++;
	pthread_mutex_unlock(&c->lock);
	b = cache_index_render(c, s, accept, token, public_url,
	    frame_ancestors, links);
	cache_scan_release(s);
#ifdef HAVE_MALLOC_TRIM
	/*
	 * Rendering an index of thousands of decks (and parsing those not
	 * summarized yet) frees tens of MiB of small blocks, which the
	 * allocator keeps unless told: give them back.
	 */
	malloc_trim(0);
#endif
	pthread_mutex_lock(&c->lock);
	c->rendering--;
	pthread_mutex_unlock(&c->lock);
	return b;
}

/* Copies the counters. */
void
cache_stats(struct cache *c, struct cache_stats *s)
{
	pthread_mutex_lock(&c->lock);
	s->decks = c->ndecks;
	s->bytes = c->bytes;
	s->loads = c->loads;
	s->evictions = c->evictions;
	s->summaries = c->summaries;
	pthread_mutex_unlock(&c->lock);
}

/* Returns the bound on a document of every page of a deck. */
size_t
cache_whole_limit(const struct cache *c)
{
	return c->max_bytes / 4;
}

/* Returns the decks directory. */
const char *
cache_decks_dir(const struct cache *c)
{
	return c->decks_dir;
}
