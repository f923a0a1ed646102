/* cache.c: the in-memory page cache: change detection, lazy rendering, LRU bound. */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
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
#include "course.h"
#include "deck.h"
#include "diag.h"
#include "glossary.h"
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

/* The rendered index of one course folder ("" for the top). */
struct cache_course {
	char			*name;
	struct blob		*index;
	uint64_t		 token;		/* the state of the decks it shows */
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

	struct cache_course	*courses;	/* the index of each course as last rendered */

	struct cache_tset	*ts;		/* current templates */
	struct cache_stamp	 tstamp[RENDER_NDOCS];
	char			*tpath[RENDER_NDOCS];	/* the template files */
	unsigned long long	 tchecked;
	int			 tloading;
	time_t			 tmtime;	/* newest template mtime */

	uint64_t		 wtoken;	/* cache_watch's last answer */
	unsigned long long	 wchecked;	/* and when it was made */
	int			 wvalid;

	char			*refused;	/* the glossary refusal last logged */
	char			*unreadable;	/* the unreadable deck path last logged */
	unsigned long long	 refused_at;
};

static void	cache_log(struct cache *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

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
	unsigned	 refs;		/* atomic */
};

/* Makes a shared summary of a deck. */
static struct cache_sum *
cache_sum_new(const struct deck *d, time_t mtime, uint64_t hash)
{
	struct cache_sum	*cs;

	cs = xcalloc(1, sizeof *cs);
	cs->s = summary_make(d);
	cs->mtime = mtime;
	cs->hash = hash;
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
		blob_release(cc->index);
		free(cc->name);
		free(cc);
	}
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
 * Returns 1 if every folder of a path below root, up to its last '/' (all
 * of it with whole), is a folder and no symbolic link: a deck in a course
 * folder is never reached through a link, as its assets are not.
 */
static int
cache_folders_plain(const char *root, const char *name, int whole)
{
	struct stat	 st;
	const char	*s = name;
	char		*dir;
	size_t		 n;
	int		 ok = 1;

	while (ok && ((s = strchr(s, '/')) != NULL || whole)) {
		n = s == NULL ? strlen(name) : (size_t)(s - name);
		dir = xasprintf("%s/%.*s", root, (int)n, name);
		ok = lstat(dir, &st) == 0 && S_ISDIR(st.st_mode);
		free(dir);
		if (s == NULL)
			break;
		s++;
	}
	return ok;
}

/* Makes a version of a parsed deck (taking d); ts gets a reference. */
static struct cache_deck *
cache_version(struct cache *c, const struct cache_ent *e,
    struct cache_tset *ts, struct deck *d, time_t mtime, uint64_t hash)
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
	for (i = 0; i < d->diags.n; i++) {
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
	return cache_version(c, e, ts, d, (time_t)v.sec, v.hash);
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
	int			 rc;

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
	cd = cache_version(c, e, ts, d, st->mtim.tv_sec, raw == NULL ? 0 :
	    util_hash(UTIL_HASH_INIT, raw, rawlen));
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
	if (st->exists && !cache_folders_plain(root->dir, name, 0))
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

/* The same without the failure as a diagnostic. */
enum cache_status
cache_get(struct cache *c, const char *name, struct cache_deck **out,
    char **error)
{
	return cache_get_failure(c, name, out, error, NULL);
}

/*
 * Publishes a rendered blob in a slot, or takes the one another thread
 * published first. The pages of a version larger than the bound are not
 * kept: each request renders its own (the version itself is kept while it
 * is the most recently used).
 */
static struct blob *
cache_publish(struct cache *c, struct cache_deck *cd, struct blob **slot,
    struct blob *b)
{
	struct blob	*expected = NULL;
	size_t		 add = b->len + sizeof *b;

	pthread_mutex_lock(&c->lock);
	if (cd->charged && cd->cost + add > c->max_bytes) {
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

/* Lists the top's decks with a version in memory, for a directory that cannot be read now. */
static size_t
cache_list_known(struct cache *c, char ***out)
{
	struct cache_ent	*e;
	char			**v = NULL;
	size_t			 n = 0;

	pthread_mutex_lock(&c->lock);
	for (e = c->head; e != NULL; e = e->next) {
		if (e->cur == NULL || strchr(e->name, '/') != NULL)
			continue;
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = xstrdup(e->name);
	}
	pthread_mutex_unlock(&c->lock);
	*out = v;
	return n;
}

/* What a course folder holds, by name below the decks root, sorted. */
struct cache_listing {
	char	**decks;
	size_t	 ndecks;
	char	**courses;
	size_t	 ncourses;
};

/* Frees a listing's names. */
static void
cache_listing_free(struct cache_listing *l)
{
	size_t	 i;

	for (i = 0; i < l->ndecks; i++)
		free(l->decks[i]);
	for (i = 0; i < l->ncourses; i++)
		free(l->courses[i]);
	free(l->decks);
	free(l->courses);
	memset(l, 0, sizeof *l);
}

/* Appends a name to a list. */
static void
cache_push(char ***v, size_t *n, char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = s;
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

/*
 * Says whether a folder, depth folders below the root, holds something to
 * list: a deck or a course.txt, or else a folder that does. Its own files
 * are looked at first, so that a course is known without going down into
 * the folders of its decks' pictures.
 */
static int
cache_course_holds(const char *dir, size_t depth)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*p, **sub = NULL;
	size_t		 len, nsub = 0, i;
	int		 found = 0;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while (!found && (de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (strcmp(de->d_name, COURSE_FILE) != 0 &&
		    !cache_deck_file(de->d_name, &len)) {
			if (depth < DECK_DEPTH_MAX &&
			    deck_course_name_valid(de->d_name, len))
				cache_push(&sub, &nsub, xasprintf("%s/%s", dir,
				    de->d_name));
			continue;
		}
		p = xasprintf("%s/%s", dir, de->d_name);
		found = lstat(p, &st) == 0 && S_ISREG(st.st_mode);
		free(p);
	}
	closedir(d);
	for (i = 0; i < nsub; i++) {
		if (!found && lstat(sub[i], &st) == 0 && S_ISDIR(st.st_mode))
			found = cache_course_holds(sub[i], depth + 1);
		free(sub[i]);
	}
	free(sub);
	return found;
}

/* Drops the courses that are a deck's folder of assets (both lists sorted). */
static void
cache_listing_prune(struct cache_listing *l)
{
	size_t	 i, j = 0, k = 0;

	for (i = 0; i < l->ncourses; i++) {
		while (j < l->ndecks && strcmp(l->decks[j], l->courses[i]) < 0)
			j++;
		if (j < l->ndecks && strcmp(l->decks[j], l->courses[i]) == 0)
			free(l->courses[i]);
		else
			l->courses[k++] = l->courses[i];
	}
	l->ncourses = k;
}

/* Orders names for the index. */
static int
cache_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Lists a course folder of root (course "" is the top): its decks (regular
 * files, no links), and its courses: folders, no links, within the depth
 * limit, that hold a deck or a course.txt (at any depth) and are not a
 * deck's folder of assets. Returns 0, or the errno of the folder.
 */
static int
cache_scan(const char *root, const char *course, struct cache_listing *l)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*dir, *p;
	size_t		 len, depth;
	int		 err;

	memset(l, 0, sizeof *l);
	depth = *course == '\0' ? 0 : cache_depth(course) + 1;
	dir = *course == '\0' ? xstrdup(root) : xasprintf("%s/%s", root,
	    course);
	if ((d = opendir(dir)) == NULL) {
		err = errno;
		free(dir);
		return err;
	}
	while ((de = readdir(d)) != NULL) {
		p = xasprintf("%s/%s", dir, de->d_name);
		if (cache_deck_file(de->d_name, &len)) {
			if (lstat(p, &st) == 0 && S_ISREG(st.st_mode))
				cache_push(&l->decks, &l->ndecks, xasprintf(
				    "%s%s%.*s", course, *course ? "/" : "",
				    (int)len, de->d_name));
		} else if (depth < DECK_DEPTH_MAX &&
		    deck_course_name_valid(de->d_name, strlen(de->d_name)) &&
		    lstat(p, &st) == 0 && S_ISDIR(st.st_mode) &&
		    cache_course_holds(p, depth + 1))
			cache_push(&l->courses, &l->ncourses, xasprintf("%s%s%s",
			    course, *course ? "/" : "", de->d_name));
		free(p);
	}
	closedir(d);
	free(dir);
	if (l->ndecks > 1)
		qsort(l->decks, l->ndecks, sizeof *l->decks, cache_cmp_names);
	if (l->ncourses > 1)
		qsort(l->courses, l->ncourses, sizeof *l->courses,
		    cache_cmp_names);
	cache_listing_prune(l);
	return 0;
}

/* Lists the valid deck names at the top of the decks directory. */
size_t
cache_list(struct cache *c, char ***out)
{
	struct cache_listing	 l;
	struct root		*root;
	size_t			 n;
	int			 err;

	*out = NULL;
	root = cache_root(c, util_now_ms());
	if ((err = cache_scan(root->dir, "", &l)) != 0) {
		if (err != ENOENT) {
			pthread_mutex_lock(&c->lock);
			cache_unreadable(c, root->dir, err, 1);
			pthread_mutex_unlock(&c->lock);
			n = cache_list_known(c, out);
			if (n > 1)
				qsort(*out, n, sizeof **out, cache_cmp_names);
		} else
			n = 0;
		root_release(root);
		return n;
	}
	root_release(root);
	*out = l.decks;
	n = l.ndecks;
	l.decks = NULL;
	l.ndecks = 0;
	cache_listing_free(&l);
	return n;
}

/* Adds the decks and courses of a course, and of every course in it, to a listing. */
static void
cache_tree(const char *root, const char *course, struct cache_listing *all)
{
	struct cache_listing	 l;
	size_t			 i;

	if (cache_scan(root, course, &l) != 0)
		return;
	for (i = 0; i < l.ndecks; i++)
		cache_push(&all->decks, &all->ndecks, l.decks[i]);
	for (i = 0; i < l.ncourses; i++) {
		cache_push(&all->courses, &all->ncourses, xstrdup(l.courses[i]));
		cache_tree(root, l.courses[i], all);
		free(l.courses[i]);
	}
	free(l.decks);
	free(l.courses);
}

/* Lists every deck and course folder below the top. */
size_t
cache_list_tree(struct cache *c, char ***decks, char ***courses,
    size_t *ncourses)
{
	struct cache_listing	 all;
	struct root		*root;

	memset(&all, 0, sizeof all);
	root = cache_root(c, util_now_ms());
	cache_tree(root->dir, "", &all);
	root_release(root);
	*decks = all.decks;
	*courses = all.courses;
	*ncourses = all.ncourses;
	return all.ndecks;
}

/* Returns 1 if name is a course folder below the decks root (see cache_scan). */
int
cache_course(struct cache *c, const char *name)
{
	struct root	*root;
	const char	*last;
	char		*dir;
	int		 ok;

	last = strrchr(name, '/') != NULL ? strrchr(name, '/') + 1 : name;
	if (!deck_path_valid(name, strlen(name)) ||
	    cache_depth(name) >= DECK_DEPTH_MAX ||
	    !deck_course_name_valid(last, strlen(last)))
		return 0;
	root = cache_root(c, util_now_ms());
	dir = xasprintf("%s/%s", root->dir, name);
	ok = cache_folders_plain(root->dir, name, 1) &&
	    cache_course_holds(dir, cache_depth(name) + 1);
	free(dir);
	root_release(root);
	return ok;
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

/* Folds a deck file's name and identity. */
static uint64_t
cache_deck_fold(uint64_t h, const char *root, const char *name)
{
	struct cache_stamp	 s;
	char			*path;

	path = xasprintf("%s/%s.drf", root, name);
	cache_stamp_of(path, &s);
	free(path);
	h = util_hash(h, name, strlen(name) + 1);
	return cache_stamp_fold(h, &s);
}

/*
 * Folds what a course's index shows of the disk: its course.txt, and for
 * each of its courses, the course's name, decks, and what it holds in turn.
 * The top's own decks are folded by the caller.
 */
static uint64_t
cache_watch_courses(const char *root, const char *course, uint64_t h)
{
	struct cache_listing	 l;
	struct cache_stamp	 s;
	char			*path;
	size_t			 i, j;

	path = xasprintf("%s/%s%s" COURSE_FILE, root, course,
	    *course != '\0' ? "/" : "");
	cache_stamp_of(path, &s);
	free(path);
	h = cache_stamp_fold(h, &s);
	if (cache_scan(root, course, &l) != 0)
		return h;
	for (i = 0; i < l.ncourses; i++) {
		h = util_hash(h, l.courses[i], strlen(l.courses[i]) + 1);
		h = cache_watch_courses(root, l.courses[i], h);
	}
	for (j = 0; *course != '\0' && j < l.ndecks; j++)
		h = cache_deck_fold(h, root, l.decks[j]);
	cache_listing_free(&l);
	return h;
}

/*
 * Folds the identities of the deck files of every course, the course
 * folders, and the templates, looked at once per stat interval.
 */
uint64_t
cache_watch(struct cache *c)
{
	struct cache_stamp	 ts[RENDER_NDOCS];
	unsigned long long	 now = util_now_ms();
	uint64_t		 h = UTIL_HASH_INIT;
	struct root		*root;
	char			**names;
	size_t			 n, i;

	pthread_mutex_lock(&c->lock);
	if (c->wvalid && now - c->wchecked < c->interval) {
		h = c->wtoken;
		pthread_mutex_unlock(&c->lock);
		return h;
	}
	pthread_mutex_unlock(&c->lock);
	n = cache_list(c, &names);
	for (i = 0; i < n; i++) {
		h = cache_deck_fold(h, c->decks_dir, names[i]);
		free(names[i]);
	}
	free(names);
	root = cache_root(c, now);
	h = cache_watch_courses(root->dir, "", h);
	root_release(root);
	cache_template_stamps(c, ts);
	for (i = 0; i < RENDER_NDOCS; i++)
		h = cache_stamp_fold(h, &ts[i]);
	pthread_mutex_lock(&c->lock);
	c->wtoken = h;
	c->wchecked = now;
	c->wvalid = 1;
	pthread_mutex_unlock(&c->lock);
	return h;
}

/* Gathers the summaries of the decks named; returns how many have one. */
static size_t
cache_summaries(struct cache *c, char *const *names, size_t n,
    struct cache_sum ***out)
{
	struct cache_sum	**v;
	size_t			 i, ok = 0;

	v = xcalloc(n + 1, sizeof *v);
	for (i = 0; i < n; i++) {
		if ((v[ok] = cache_summary(c, names[i])) != NULL)
			ok++;
	}
	*out = v;
	return ok;
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

/* The course of an index page: its place, its title and text, its courses. */
struct cache_course_page {
	struct render_course	 rc;
	struct course_info	 self;
	struct course_info	*infos;		/* the courses above, then those in it */
	struct render_link	*links;
	size_t			 ninfos;
};

/* Reads what a course's index says of it and of the courses around it. */
static void
cache_course_page(struct cache *c, const char *root, const char *course,
    const struct cache_listing *l, struct cache_course_page *cp)
{
	const char	*s;
	char		*up;
	size_t		 i, nup = 0;

	memset(cp, 0, sizeof *cp);
	cp->rc.name = course;
	if (*course != '\0') {
		cache_course_info(c, root, course, &cp->self);
		cp->rc.title = cp->self.title;
		cp->rc.text = cp->self.text;
		nup = cache_depth(course);
	}
	cp->ninfos = nup + l->ncourses;
	cp->infos = xcalloc(cp->ninfos + 1, sizeof *cp->infos);
	cp->links = xcalloc(cp->ninfos + 1, sizeof *cp->links);
	/* The courses above, from the top down (the top itself is the template's). */
	for (i = 0, s = course; i < nup; i++, s++) {
		s = strchr(s, '/');
		up = xstrndup(course, (size_t)(s - course));
		cache_course_info(c, root, up, &cp->infos[i]);
		free(up);
		cp->links[i].title = cp->infos[i].title;
	}
	for (i = 0; i < l->ncourses; i++) {
		cache_course_info(c, root, l->courses[i], &cp->infos[nup + i]);
		s = strrchr(l->courses[i], '/');
		cp->links[nup + i].name = s != NULL ? s + 1 : l->courses[i];
		cp->links[nup + i].title = cp->infos[nup + i].title;
	}
	cp->rc.up = cp->links;
	cp->rc.nup = nup;
	cp->rc.courses = cp->links + nup;
	cp->rc.ncourses = l->ncourses;
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

/* Renders a course's index (the top's for "") from the decks' summaries. */
static struct blob *
cache_index_render(struct cache *c, const char *course,
    const char *public_url, const char *frame_ancestors,
    enum render_links links)
{
	struct cache_course_page cp;
	struct cache_listing	 l;
	struct cache_sum	**sums;
	const struct summary	**v;
	struct cache_tset	*ts;
	struct buf		 b = BUF_INIT;
	struct stat		 st;
	struct root		*root;
	char			*dir;
	size_t			 n, i;
	time_t			 mtime;

	root = cache_root(c, util_now_ms());
	/* The listing changes with the directory, the decks and the templates. */
	mtime = cache_mtime(c, NULL);
	dir = xasprintf("%s/%s", root->dir, course);
	if (stat(dir, &st) == 0 && st.st_mtime > mtime)
		mtime = st.st_mtime;
	free(dir);
	if (cache_scan(root->dir, course, &l) != 0)
		memset(&l, 0, sizeof l);
	if (*course == '\0') {
		/* The top's decks as cache_list has them, the last known when unreadable. */
		for (i = 0; i < l.ndecks; i++)
			free(l.decks[i]);
		free(l.decks);
		l.ndecks = cache_list(c, &l.decks);
	}
	n = cache_summaries(c, l.decks, l.ndecks, &sums);
	v = xcalloc(n + 1, sizeof *v);
	for (i = 0; i < n; i++) {
		v[i] = sums[i]->s;
		if (sums[i]->mtime > mtime)
			mtime = sums[i]->mtime;
	}
	cache_course_page(c, root->dir, course, &l, &cp);
	ts = cache_templates(c);
	render_index_course(ts->rt, &cp.rc, v, n, public_url, frame_ancestors,
	    links, &b);
	cache_tset_release(ts);
	cache_course_page_free(&cp);
	for (i = 0; i < n; i++)
		cache_sum_release(sums[i]);
	free(sums);
	free(v);
	cache_listing_free(&l);
	root_release(root);
	return blob_from_buf(&b, mtime);
}

/* Returns the top's index. */
struct blob *
cache_index(struct cache *c, const char *public_url,
    const char *frame_ancestors, enum render_links links)
{
	return cache_course_index(c, "", public_url, frame_ancestors, links);
}

/* Keeps a course's rendered index, dropping those of an older state; the lock is held. */
static void
cache_course_keep(struct cache *c, const char *course, struct blob *b,
    uint64_t token)
{
	struct cache_course	**pp, *cc, *keep = NULL;

	for (pp = &c->courses; (cc = *pp) != NULL; ) {
		if (strcmp(cc->name, course) == 0)
			keep = cc;
		if (cc != keep && cc->token != token) {
			*pp = cc->next;
			blob_release(cc->index);
			free(cc->name);
			free(cc);
		} else
			pp = &cc->next;
	}
	if (keep == NULL) {
		keep = xcalloc(1, sizeof *keep);
		keep->name = xstrdup(course);
		keep->next = c->courses;
		c->courses = keep;
	}
	blob_release(keep->index);
	keep->index = blob_retain(b);
	keep->token = token;
}

/*
 * Returns a course's index, rendered again only when a deck, a course
 * folder or a template changed.
 */
struct blob *
cache_course_index(struct cache *c, const char *course,
    const char *public_url, const char *frame_ancestors,
    enum render_links links)
{
	struct cache_course	*cc;
	struct blob		*b;
	uint64_t		 token;

	token = cache_watch(c);
	token = util_hash(token, &links, sizeof links);
	if (public_url != NULL)
		token = util_hash(token, public_url, strlen(public_url));
	if (frame_ancestors != NULL)
		token = util_hash(token, frame_ancestors,
		    strlen(frame_ancestors));
	pthread_mutex_lock(&c->lock);
	for (cc = c->courses; cc != NULL; cc = cc->next) {
		if (strcmp(cc->name, course) == 0 && cc->token == token) {
			b = blob_retain(cc->index);
			pthread_mutex_unlock(&c->lock);
			return b;
		}
	}
	pthread_mutex_unlock(&c->lock);
	b = cache_index_render(c, course, public_url, frame_ancestors, links);
	pthread_mutex_lock(&c->lock);
	cache_course_keep(c, course, b, token);
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
