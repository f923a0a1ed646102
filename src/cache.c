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
#include <unistd.h>

#include "asset.h"
#include "buf.h"
#include "cache.h"
#include "course.h"
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

/* The rendered index of one course folder ("" for the top), in each interface language. */
struct cache_course {
	char			*name;
	struct blob		**index;	/* per lang_at() */
	size_t			*votes;		/* the decks of each language */
	uint64_t		 token;		/* the state of the decks they show */
	int			 known;		/* votes count for token */
	int			 rendering;	/* threads rendering it */
	struct cache_course	*next;
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

	/* The index of each course ("" the top) as last rendered. */
	struct cache_course	*courses;
	char			**symlinks;	/* the symbolic-link decks logged */
	size_t			 nsymlinks;

	struct cache_tset	*ts;		/* current templates */
	struct cache_stamp	 tstamp[RENDER_NDOCS];
	char			*tpath[RENDER_NDOCS];	/* the template files */
	unsigned long long	 tchecked;
	int			 tloading;
	time_t			 tmtime;	/* newest template mtime */

	struct cache_scan	*scan;		/* the last look at the decks and courses */
	unsigned long long	 wchecked;	/* and when it was made */
	int			 scanning;	/* a thread is looking again */

	char			*refused;	/* the glossary refusal last logged */
	char			*unreadable;	/* the unreadable deck path last logged */
	unsigned long long	 refused_at;
};

static void	cache_log(struct cache *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	cache_scan_release(struct cache_scan *);
static void	cache_course_free(struct cache_course *);

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
	struct cache_course	*cc;
	int			 i;

	if (c == NULL)
		return;
	while (c->head != NULL)
		cache_remove(c, c->head);
	while ((cc = c->courses) != NULL) {
		c->courses = cc->next;
		cache_course_free(cc);
	}
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

/* Returns how many course folders a deck's name is below the decks root. */
static size_t
cache_depth(const char *name)
{
	size_t	 n = 0;

	for (; *name != '\0'; name++)
		n += *name == '/';
	return n;
}

/*
 * Returns 1 if every folder of a path below root, up to its last '/', is a
 * folder and no symbolic link: a deck in a course folder is never reached
 * through a link, as its assets are not.
 */
static int
cache_folders_plain(const char *root, const char *name)
{
	struct stat	 st;
	const char	*s = name;
	char		*dir;
	int		 ok = 1;

	while (ok && (s = strchr(s, '/')) != NULL) {
		dir = xasprintf("%s/%.*s", root, (int)(s - name), name);
		ok = lstat(dir, &st) == 0 && S_ISDIR(st.st_mode);
		free(dir);
		s++;
	}
	return ok;
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

	deck_set_name(d, e->name);
	glossary_check_deck(d, e->path, cache_depth(e->name), c->is_page);
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
	if (st->exists && !cache_folders_plain(root->dir, name))
		memset(st, 0, sizeof *st);
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
	if (!deck_path_valid(name, strlen(name)))
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
	char			*cause = NULL, *path, **dirs;
	size_t			 n, i;
	int			 rc;

	/* The glossaries of the release the version was read from, its course's first. */
	path = xasprintf("%s/%s.drf", cd->root->dir, cd->deck->name);
	dirs = deck_glossary_dirs(path, cache_depth(cd->deck->name), &n);
	rc = glossary_find(dirs, n, term, data, len, &st, &cause);
	for (i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
	free(path);
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

/* One deck file seen below the decks root, with its identity. */
struct cache_seen {
	char			*name;		/* "NAME", "COURSE/NAME" */
	struct cache_stamp	 stamp;	/* zero when it could not be looked at */
};

/* One course folder seen below the decks root, with its course.txt's identity. */
struct cache_folder {
	char			*name;		/* "uni", "uni/networks1" */
	struct cache_stamp	 text;		/* exists is 0 without one */
	char			*title;		/* read at its first use; atomic */
};

/*
 * One look at the decks root and its course folders: the deck files at
 * every depth and the course folders, each sorted by name, and the hash
 * cache_watch answers for them. Immutable once made, but for the course
 * titles, each read at its first use; shared by reference with the indexes
 * being rendered from it.
 */
struct cache_scan {
	struct root		*root;
	struct cache_seen	*v;
	size_t			 n;
	struct cache_folder	*f;
	size_t			 nf;
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
	for (i = 0; i < s->nf; i++) {
		free(s->f[i].name);
		free(s->f[i].title);
	}
	free(s->v);
	free(s->f);
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

/* Orders the folders of a scan by name (and finds one by a key with its name). */
static int
cache_cmp_folder(const void *a, const void *b)
{
	return strcmp(((const struct cache_folder *)a)->name,
	    ((const struct cache_folder *)b)->name);
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
 * Lists the top's decks with a version in memory, for a directory that
 * cannot be read now; their identities are unknown (zero).
 */
static void
cache_scan_known(struct cache *c, struct cache_scan *s)
{
	struct cache_ent	*e;

	pthread_mutex_lock(&c->lock);
	for (e = c->head; e != NULL; e = e->next) {
		if (e->cur != NULL && strchr(e->name, '/') == NULL)
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

/* Appends a name to a list. */
static void
cache_push(char ***v, size_t *n, char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = s;
}

/* Frees a list of names. */
static void
cache_names_free(char **v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Returns 1 if a directory entry is a deck file ("NAME.drf"); *len gets NAME's length. */
static int
cache_deck_file(const char *f, size_t *len)
{
	*len = strlen(f);
	if (*len <= 4 || strcmp(f + *len - 4, ".drf") != 0)
		return 0;
	*len -= 4;
	return deck_name_valid(f, *len);
}

/* The folder cache_scan_dir looks at. */
struct cache_scan_at {
	int		 fd;		/* open on it; closed by cache_scan_dir */
	const char	*dir;		/* its path, for the log */
	const char	*course;	/* its name below the root, "" for the root */
	size_t		 depth;		/* how many folders below the root */
};

static int	cache_scan_dir(struct cache *, struct cache_scan *,
		    const struct cache_scan_at *, struct cache_stamp *);

/*
 * Walks the folders of one folder that may be courses (names in sub): not
 * a deck's folder of assets (a deck file of its name beside it: the scan's
 * decks from first on are this folder's), nor a link; adds those that hold something.
 * Returns 1 if one does.
 */
static int
cache_scan_subs(struct cache *c, struct cache_scan *s,
    const struct cache_scan_at *at, char **sub, size_t nsub, size_t first)
{
	struct cache_scan_at	 in;
	struct cache_folder	 f;
	size_t			 i, j, len = strlen(at->course), last = s->n;
	int			 held = 0, fd;

	for (i = 0; i < nsub; i++) {
		for (j = first; j < last; j++)
			if (strcmp(s->v[j].name + (len ? len + 1 : 0),
			    sub[i]) == 0)
				break;
		if (j < last || (fd = openat(at->fd, sub[i], O_RDONLY |
		    O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1)
			continue;
		memset(&f, 0, sizeof f);
		f.name = xasprintf("%s%s%s", at->course, len ? "/" : "",
		    sub[i]);
		in.fd = fd;
		in.course = f.name;
		in.depth = at->depth + 1;
		in.dir = xasprintf("%s/%s", at->dir, sub[i]);
		if (cache_scan_dir(c, s, &in, &f.text) == 1) {
			s->f = xreallocarray(s->f, s->nf + 1, sizeof *s->f);
			s->f[s->nf++] = f;
			held = 1;
		} else
			free(f.name);
		free((char *)in.dir);
	}
	return held;
}

/*
 * Looks at one folder of the decks: one readdir, one fstatat of each deck
 * file (a symbolic link or other non-regular file is not a deck) and of
 * its course.txt (*text), then the folders in it that may be courses,
 * within DECK_DEPTH_MAX. Returns 1 if it holds a deck or a course.txt at
 * some depth, 0 if not, -1 (errno set) if it cannot be read.
 */
static int
cache_scan_dir(struct cache *c, struct cache_scan *s,
    const struct cache_scan_at *at, struct cache_stamp *text)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*dir;
	char		**sub = NULL;
	size_t		 len, nsub = 0, first = s->n;
	int		 held = 0;

	if ((dir = fdopendir(at->fd)) == NULL) {
		close(at->fd);
		return -1;
	}
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, COURSE_FILE) == 0) {
			if (fstatat(at->fd, de->d_name, &st,
			    AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
				cache_stamp_set(text, &st);
				held = 1;
			}
		} else if (cache_deck_file(de->d_name, &len)) {
			if (fstatat(at->fd, de->d_name, &st,
			    AT_SYMLINK_NOFOLLOW) != 0)
				continue;
			if (S_ISLNK(st.st_mode))
				cache_symlink_once(c, at->dir, de->d_name);
			if (!S_ISREG(st.st_mode))
				continue;
			cache_stamp_set(&cache_scan_add(s, xasprintf("%s%s%.*s",
			    at->course, *at->course ? "/" : "", (int)len,
			    de->d_name))->stamp, &st);
			held = 1;
		} else if (at->depth < DECK_DEPTH_MAX &&
		    deck_course_name_valid(de->d_name, strlen(de->d_name)))
			cache_push(&sub, &nsub, xstrdup(de->d_name));
	}
	if (cache_scan_subs(c, s, at, sub, nsub, first))
		held = 1;
	closedir(dir);
	cache_names_free(sub, nsub);
	return held;
}

/*
 * Looks at the decks root and its course folders once: a readdir of each
 * folder, an fstatat of each deck file and course.txt; folders are opened
 * without following links. Sorted by name.
 */
static struct cache_scan *
cache_scan(struct cache *c)
{
	struct cache_scan	*s;
	struct cache_scan_at	 at;
	struct cache_stamp	 top;
	int			 err;

	s = xcalloc(1, sizeof *s);
	s->refs = 1;
	s->root = cache_root(c, util_now_ms());
	memset(&at, 0, sizeof at);
	at.dir = s->root->dir;
	at.course = "";
	memset(&top, 0, sizeof top);
	if ((at.fd = open(at.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    cache_scan_dir(c, s, &at, &top) == -1) {
		if ((err = errno) == ENOENT)
			return s;
		pthread_mutex_lock(&c->lock);
		cache_unreadable(c, s->root->dir, err, 1);
		pthread_mutex_unlock(&c->lock);
		cache_scan_known(c, s);
	}
	if (s->n > 1)
		qsort(s->v, s->n, sizeof *s->v, cache_cmp_seen);
	if (s->nf > 1)
		qsort(s->f, s->nf, sizeof *s->f, cache_cmp_folder);
	return s;
}

/*
 * Returns the part of a name below the decks root that is directly in a
 * course ("" the top), or NULL if it is not there.
 */
static const char *
cache_in_course(const char *name, const char *course)
{
	size_t	 len = strlen(course);

	if (len != 0) {
		if (strncmp(name, course, len) != 0 || name[len] != '/')
			return NULL;
		name += len + 1;
	}
	return strchr(name, '/') == NULL ? name : NULL;
}

/* Lists the valid deck names at the top of the directory, looking now. */
size_t
cache_list(struct cache *c, char ***out)
{
	struct cache_scan	*s;
	char			**v;
	size_t			 i, n = 0;

	s = cache_scan(c);
	v = xcalloc(s->n + 1, sizeof *v);
	for (i = 0; i < s->n; i++) {
		if (strchr(s->v[i].name, '/') != NULL)
			continue;
		v[n++] = s->v[i].name;
		s->v[i].name = NULL;
	}
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
 * Returns the last look at the decks and the templates, with a reference,
 * looking again when the stat interval has passed. One thread looks at a
 * time; the others take the previous look meanwhile rather than wait for
 * it. The hash covers every deck file, course folder and course.txt.
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
	/* A folder's name ends in '/': never the same bytes as a deck's. */
	for (i = 0; i < s->nf; i++) {
		h = util_hash(h, s->f[i].name, strlen(s->f[i].name));
		h = util_hash(h, "/", 2);
		h = cache_stamp_fold(h, &s->f[i].text);
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

/*
 * Folds the identities of the deck files of every course, the course
 * folders and their course.txt, and the templates, looked at once per stat
 * interval.
 */
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

/* Lists every deck and course folder below the top, as last looked at. */
size_t
cache_list_tree(struct cache *c, char ***decks, char ***courses,
    size_t *ncourses)
{
	struct cache_scan	*s;
	size_t			 i, n;

	s = cache_look(c);
	*decks = xcalloc(s->n + 1, sizeof **decks);
	for (i = 0; i < s->n; i++)
		(*decks)[i] = xstrdup(s->v[i].name);
	*courses = xcalloc(s->nf + 1, sizeof **courses);
	for (i = 0; i < s->nf; i++)
		(*courses)[i] = xstrdup(s->f[i].name);
	*ncourses = s->nf;
	n = s->n;
	cache_scan_release(s);
	return n;
}

/* Returns 1 if name is a course folder below the decks root (see cache_scan). */
int
cache_course(struct cache *c, const char *name)
{
	struct cache_scan	*s;
	struct cache_folder	 key;
	const char		*last;
	int			 ok;

	last = strrchr(name, '/') != NULL ? strrchr(name, '/') + 1 : name;
	if (!deck_path_valid(name, strlen(name)) ||
	    cache_depth(name) >= DECK_DEPTH_MAX ||
	    !deck_course_name_valid(last, strlen(last)))
		return 0;
	memset(&key, 0, sizeof key);
	key.name = (char *)name;
	s = cache_look(c);
	ok = s->nf > 0 && bsearch(&key, s->f, s->nf, sizeof *s->f,
	    cache_cmp_folder) != NULL;
	cache_scan_release(s);
	return ok;
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
 * the index shows it, from the deck's file name on (the decks folder, or
 * the course folder, is the index's own); frees err.
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
 * Lists the decks of an index (n of them, each named as in its course)
 * that have no summary because they fail to load, each with its first
 * error (names and errors allocated).
 */
static struct render_broken *
cache_index_broken(struct cache *c, const struct cache_seen *const *decks,
    size_t n, const unsigned char *summed, size_t *nbroken)
{
	struct render_broken	*broken;
	struct cache_deck	*cd;
	const char		*last;
	char			*err;
	size_t			 i;

	broken = xcalloc(n + 1, sizeof *broken);
	*nbroken = 0;
	for (i = 0; i < n; i++) {
		if (summed[i])
			continue;
		err = NULL;
		if (cache_get(c, decks[i]->name, &cd, &err) == CACHE_OK)
			cache_deck_release(cd);
		if (err == NULL)
			continue;
		last = strrchr(decks[i]->name, '/');
		last = last != NULL ? last + 1 : decks[i]->name;
		broken[*nbroken].name = xstrdup(last);
		broken[(*nbroken)++].error = cache_error_in_folder(err, last);
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

/* Reads a course folder's title (its name without one) and text; logs a course.txt that fails. */
static void
cache_course_info(struct cache *c, const char *root, const char *course,
    struct course_info *ci)
{
	const char	*slash;
	char		*dir, *cause = NULL;

	dir = xasprintf("%s/%s", root, course);
	if (course_read(dir, ci, &cause) < 0) {
		cache_log(c, "%s", cause);
		free(cause);
	}
	free(dir);
	if (ci->title == NULL) {
		slash = strrchr(course, '/');
		ci->title = xstrdup(slash != NULL ? slash + 1 : course);
	}
}

/* Returns a course's title (allocated), as its index shows it, below a root. */
static char *
cache_course_title_in(struct cache *c, const char *root, const char *course)
{
	struct course_info	 ci;
	char			*title;

	memset(&ci, 0, sizeof ci);
	cache_course_info(c, root, course, &ci);
	title = ci.title;
	ci.title = NULL;
	course_info_free(&ci);
	return title;
}

/*
 * Returns the course k levels below the top on the way down to a course
 * (allocated): 0 the top's course ("uni"), then "uni/networks1", ...; the
 * course itself once k reaches its depth.
 */
static char *
cache_course_up(const char *course, size_t k)
{
	const char	*p = course;

	while ((p = strchr(p, '/')) != NULL && k-- > 0)
		p++;
	return p != NULL ? xstrndup(course, (size_t)(p - course)) :
	    xstrdup(course);
}

/*
 * Returns a course's title (allocated) as of a scan: read at the first
 * request for it in that scan, so that the view of every deck in a course
 * reads its course.txt once per stat interval at most, not per request.
 */
static char *
cache_scan_title(struct cache *c, struct cache_scan *s, const char *course)
{
	struct cache_folder	 key, *f = NULL;
	char			*t, *held = NULL;

	memset(&key, 0, sizeof key);
	key.name = (char *)course;
	if (s->nf > 0)
		f = bsearch(&key, s->f, s->nf, sizeof *s->f, cache_cmp_folder);
	if (f == NULL)
		return cache_course_title_in(c, s->root->dir, course);
	if ((t = __atomic_load_n(&f->title, __ATOMIC_ACQUIRE)) == NULL) {
		t = cache_course_title_in(c, s->root->dir, course);
		if (!__atomic_compare_exchange_n(&f->title, &held, t, 0,
		    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			free(t);
			t = held;
		}
	}
	return xstrdup(t);
}

/* Returns a course's title (allocated), as its index shows it. */
char *
cache_course_title(struct cache *c, const char *course)
{
	struct cache_scan	*s;
	char			*title;

	s = cache_look(c);
	title = cache_scan_title(c, s, course);
	cache_scan_release(s);
	return title;
}

/*
 * Reads what the first n courses on the way down to a course say of
 * themselves, the top's course first ("uni", then "uni/networks1", ...):
 * with n the course's depth, those above it; one more, the course too.
 */
static void
cache_course_chain(struct cache *c, const char *root, const char *course,
    size_t n, struct course_info *v)
{
	char	*up;
	size_t	 i;

	for (i = 0; i < n; i++) {
		up = cache_course_up(course, i);
		cache_course_info(c, root, up, &v[i]);
		free(up);
	}
}

/* Reads the titles of a course and of each course above it, the top's course first. */
size_t
cache_course_titles(struct cache *c, const char *course, char ***out)
{
	struct cache_scan	*s;
	char			**v, *up;
	size_t			 i, n;

	*out = NULL;
	if (course == NULL || *course == '\0')
		return 0;
	n = cache_depth(course) + 1;
	v = xcalloc(n + 1, sizeof *v);
	s = cache_look(c);
	for (i = 0; i < n; i++) {
		up = cache_course_up(course, i);
		v[i] = cache_scan_title(c, s, up);
		free(up);
	}
	cache_scan_release(s);
	*out = v;
	return n;
}

/* The course of an index page: its place, its title and text, its courses. */
struct cache_course_page {
	struct render_course	 rc;
	struct course_info	 self;
	struct course_info	*infos;		/* the courses above, then those in it */
	struct render_link	*links;
	size_t			 ninfos;
};

/*
 * Reads what a course's index says of it and of the courses around it:
 * those in it are the scan's folders directly in it.
 */
static void
cache_course_page(struct cache *c, const struct cache_scan *s,
    const char *course, struct cache_course_page *cp)
{
	const char	*p;
	size_t		 i, k, nup = 0, nin = 0;

	memset(cp, 0, sizeof *cp);
	cp->rc.name = course;
	if (*course != '\0') {
		cache_course_info(c, s->root->dir, course, &cp->self);
		cp->rc.title = cp->self.title;
		cp->rc.text = cp->self.text;
		nup = cache_depth(course);
	}
	for (i = 0; i < s->nf; i++)
		nin += cache_in_course(s->f[i].name, course) != NULL;
	cp->ninfos = nup + nin;
	cp->infos = xcalloc(cp->ninfos + 1, sizeof *cp->infos);
	cp->links = xcalloc(cp->ninfos + 1, sizeof *cp->links);
	/* The courses above, from the top down (the top itself is the template's). */
	cache_course_chain(c, s->root->dir, course, nup, cp->infos);
	for (i = 0; i < nup; i++)
		cp->links[i].title = cp->infos[i].title;
	for (i = 0, k = nup; i < s->nf; i++) {
		if ((p = cache_in_course(s->f[i].name, course)) == NULL)
			continue;
		cache_course_info(c, s->root->dir, s->f[i].name,
		    &cp->infos[k]);
		cp->links[k].name = p;
		cp->links[k].title = cp->infos[k].title;
		k++;
	}
	cp->rc.up = cp->links;
	cp->rc.nup = nup;
	cp->rc.courses = cp->links + nup;
	cp->rc.ncourses = nin;
}

/* Frees what cache_course_page read. */
static void
cache_course_page_free(struct cache_course_page *cp)
{
	size_t	 i;

	course_info_free(&cp->self);
	for (i = 0; i < cp->ninfos; i++)
		course_info_free(&cp->infos[i]);
	free(cp->infos);
	free(cp->links);
}

/* Frees a course's rendered indexes. */
static void
cache_course_free(struct cache_course *cc)
{
	size_t	 i;

	for (i = 0; i < lang_count(); i++)
		blob_release(cc->index[i]);
	free(cc->index);
	free(cc->votes);
	free(cc->name);
	free(cc);
}

/* Returns the indexes kept of a course, made empty if none; the lock is held. */
static struct cache_course *
cache_course_find(struct cache *c, const char *course)
{
	struct cache_course	*cc;

	for (cc = c->courses; cc != NULL; cc = cc->next)
		if (strcmp(cc->name, course) == 0)
			return cc;
	cc = xcalloc(1, sizeof *cc);
	cc->name = xstrdup(course);
	cc->index = xcalloc(lang_count(), sizeof *cc->index);
	cc->votes = xcalloc(lang_count(), sizeof *cc->votes);
	cc->next = c->courses;
	c->courses = cc;
	return cc;
}

/*
 * Remembers a course's rendered index, dropping those of another state of
 * the decks; forgets the courses the scan no longer has (none rendering).
 */
static void
cache_index_keep(struct cache *c, const struct cache_scan *s,
    const char *course, uint64_t token, const size_t *votes, size_t li,
    struct blob *b)
{
	struct cache_course	**pp, *cc;
	struct cache_folder	 key;
	size_t			 i;

	pthread_mutex_lock(&c->lock);
	memset(&key, 0, sizeof key);
	for (pp = &c->courses; (cc = *pp) != NULL; ) {
		key.name = cc->name;
		if (*cc->name != '\0' && cc->rendering == 0 && (s->nf == 0 ||
		    bsearch(&key, s->f, s->nf, sizeof *s->f,
		    cache_cmp_folder) == NULL)) {
			*pp = cc->next;
			cache_course_free(cc);
		} else
			pp = &cc->next;
	}
	cc = cache_course_find(c, course);
	if (!cc->known || cc->token != token) {
		for (i = 0; i < lang_count(); i++) {
			blob_release(cc->index[i]);
			cc->index[i] = NULL;
		}
		cc->token = token;
		cc->known = 1;
	}
	memcpy(cc->votes, votes, lang_count() * sizeof *votes);
	blob_release(cc->index[li]);
	cc->index[li] = blob_retain(b);
	pthread_mutex_unlock(&c->lock);
}

/* What an index shows of the decks of its course. */
struct cache_index_decks {
	const struct cache_seen	**decks;	/* the scan's, in the course */
	size_t			  n;
	struct cache_sum	**sums;		/* of those with a summary */
	const struct summary	**v;
	const char		**langs;
	unsigned char		 *summed;	/* per deck */
	size_t			  nsums;
	time_t			  mtime;	/* the newest summary's */
};

/* Gathers the summaries of a course's decks, from the scan. */
static void
cache_index_decks(struct cache *c, const struct cache_scan *s,
    const char *course, struct cache_index_decks *d)
{
	size_t	 i;

	memset(d, 0, sizeof *d);
	d->decks = xcalloc(s->n + 1, sizeof *d->decks);
	for (i = 0; i < s->n; i++)
		if (cache_in_course(s->v[i].name, course) != NULL)
			d->decks[d->n++] = &s->v[i];
	d->sums = xcalloc(d->n + 1, sizeof *d->sums);
	d->v = xcalloc(d->n + 1, sizeof *d->v);
	d->langs = xcalloc(d->n + 1, sizeof *d->langs);
	d->summed = xcalloc(d->n + 1, 1);
	for (i = 0; i < d->n; i++) {
		if ((d->sums[d->nsums] = cache_scan_summary(c, s,
		    d->decks[i])) == NULL)
			continue;
		d->summed[i] = 1;
		d->v[d->nsums] = d->sums[d->nsums]->s;
		d->langs[d->nsums] = d->v[d->nsums]->lang;
		if (d->sums[d->nsums]->mtime > d->mtime)
			d->mtime = d->sums[d->nsums]->mtime;
		d->nsums++;
	}
}

/* Frees what cache_index_decks gathered. */
static void
cache_index_decks_free(struct cache_index_decks *d)
{
	size_t	 i;

	for (i = 0; i < d->nsums; i++)
		cache_sum_release(d->sums[i]);
	free(d->sums);
	free(d->v);
	free(d->langs);
	free(d->summed);
	free(d->decks);
}

/*
 * Renders a course's index (the top's for "") from its decks' summaries,
 * in the language the reader asks for (accept) or most of its decks have,
 * and keeps it for that language.
 */
static struct blob *
cache_index_render(struct cache *c, const struct cache_scan *s,
    const char *course, const char *accept, uint64_t token,
    const char *public_url, const char *frame_ancestors,
    enum render_links links)
{
	struct cache_course_page cp;
	struct cache_index_decks d;
	struct render_broken	*broken = NULL;
	struct cache_tset	*ts;
	struct buf		 b = BUF_INIT;
	struct stat		 st;
	struct blob		*blob;
	char			*dir;
	size_t			 nbroken = 0, li, *votes;
	time_t			 mtime;

	/* The listing changes with the folder, the decks and the templates. */
	mtime = cache_mtime(c, NULL);
	dir = xasprintf("%s/%s", s->root->dir, course);
	if (stat(dir, &st) == 0 && st.st_mtime > mtime)
		mtime = st.st_mtime;
	free(dir);
	cache_index_decks(c, s, course, &d);
	if (d.mtime > mtime)
		mtime = d.mtime;
	if (links == RENDER_DEV)
		broken = cache_index_broken(c, d.decks, d.n, d.summed,
		    &nbroken);
	votes = xcalloc(lang_count(), sizeof *votes);
	lang_votes(votes, d.langs, d.nsums);
	li = lang_pick_votes(accept, votes);
	cache_course_page(c, s, course, &cp);
	ts = cache_templates(c);
	render_index_course(ts->rt, &cp.rc, d.v, d.nsums, broken, nbroken,
	    lang_at(li), public_url, frame_ancestors, links, &b);
	cache_tset_release(ts);
	cache_course_page_free(&cp);
	cache_index_decks_free(&d);
	cache_broken_free(broken, nbroken);
	blob = blob_from_buf(&b, mtime);
	cache_index_keep(c, s, course, token, votes, li, blob);
	free(votes);
	return blob;
}

/* Returns the top's index. */
struct blob *
cache_index(struct cache *c, const char *accept, const char *public_url,
    const char *frame_ancestors, enum render_links links)
{
	return cache_course_index(c, "", accept, public_url, frame_ancestors,
	    links);
}

/*
 * Returns a course's index, rendered again only when a deck, a course
 * folder or a template changed, once per interface language asked for.
 * While one thread renders a new one, the others answer with the previous
 * index rather than wait.
 */
struct blob *
cache_course_index(struct cache *c, const char *course, const char *accept,
    const char *public_url, const char *frame_ancestors,
    enum render_links links)
{
	struct cache_course	*cc;
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
	cc = cache_course_find(c, course);
	/* A scan older than the last is not rendered again (it was, or is superseded). */
	li = lang_pick_votes(accept, cc->votes);
	if (cc->index[li] != NULL && ((cc->known && cc->token == token) ||
	    cc->rendering || s != c->scan)) {
		b = blob_retain(cc->index[li]);
		pthread_mutex_unlock(&c->lock);
		cache_scan_release(s);
		return b;
	}
	/* Held while rendering: cache_index_keep does not forget it meanwhile. */
	cc->rendering++;
	pthread_mutex_unlock(&c->lock);
	b = cache_index_render(c, s, course, accept, token, public_url,
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
	cc->rendering--;
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
