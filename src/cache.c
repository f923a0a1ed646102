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
#include "deck.h"
#include "diag.h"
#include "glossary.h"
#include "render.h"
#include "root.h"
#include "util.h"

#define CACHE_BUCKETS 256

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

/* One deck name the cache knows, with its current version. */
struct cache_ent {
	char			*name;
	char			*path;
	struct root		*root;		/* the release path is in */
	struct cache_deck	*cur;		/* last good version, or NULL */
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
	c->ndecks--;
	free(e->name);
	free(e->path);
	root_release(e->root);
	free(e->error);
	deck_error_free(&e->failure);
	free(e);
}

/* Evicts least recently used decks until the bound holds, sparing keep; the lock is held. */
static void
cache_evict(struct cache *c, struct cache_ent *keep)
{
	struct cache_ent	*e, *prev;

	for (e = c->tail; e != NULL && c->bytes > c->max_bytes; e = prev) {
		prev = e->prev;
		if (e == keep || e->loading)
			continue;
		cache_remove(c, e);
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
	cache_tset_release(c->ts);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->loaded);
	free(c->decks_dir);
	root_watch_free(c->roots);
	free(c->refused);
	free(c->unreadable);
	free(c->templates_dir);
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
 * Loads a deck file into a new version, and sets *st to the state of the file
 * that was read. Returns NULL on failure with *why: CACHE_LOAD_BAD (*cause
 * says what is wrong with the deck), CACHE_LOAD_UNREAD (*cause says why it
 * could not be read: descriptors, memory or permissions change without the
 * file changing), or CACHE_LOAD_PARTIAL (maybe half-saved, and old != 0).
 */
static struct cache_deck *
cache_load(struct cache *c, struct cache_ent *e, struct cache_tset *ts,
    int old, struct cache_stamp *st, char **cause, struct deck_error *derr,
    int *why)
{
	struct cache_deck	*cd;
	struct deck		*d;
	struct stat		 sb;
	char			*msg;
	size_t			 i;
	int			 rc;

	if ((rc = deck_load_file(&d, e->path, &c->limits, 1, &sb,
	    cause, derr)) == -2) {
		*why = CACHE_LOAD_UNREAD;
		return NULL;
	}
	/* The file may have changed since it was looked at: what was read counts. */
	cache_stamp_set(st, &sb);
	if (old && util_maybe_partial(sb.st_size, &sb.st_mtim)) {
		deck_free(d);
		free(*cause);
		*cause = NULL;
		*why = CACHE_LOAD_PARTIAL;
		return NULL;
	}
	if (rc != 0) {
		*why = CACHE_LOAD_BAD;
		return NULL;
	}
	glossary_check_deck(d, e->path, c->is_page);
	cd = xcalloc(1, sizeof *cd);
	cd->deck = d;
	cd->mtime = st->mtim.tv_sec;
	cd->pages = xcalloc(d->npages, sizeof *cd->pages);
	cd->refs = 1;
	__atomic_add_fetch(&ts->refs, 1, __ATOMIC_RELAXED);
	cd->ts = ts;
	cd->root = root_retain(e->root);
	cd->cost = sizeof *cd + d->expanded + d->npages *
	    (sizeof *d->pages + sizeof *cd->pages) + strlen(d->notes);
	for (i = 0; i < d->diags.n; i++) {
		msg = diag_format(d->file, &d->diags.v[i]);
		cache_log(c, "%s", msg);
		free(msg);
	}
	return cd;
}

/* What cache_get does next with an entry. */
enum cache_step {
	CACHE_STEP_HIT,		/* serve what the entry has */
	CACHE_STEP_GONE,	/* no such deck */
	CACHE_STEP_RETRY,	/* another thread made the entry meanwhile */
	CACHE_STEP_LOAD		/* the file is new or changed: load it */
};

/*
 * Looks a deck up; the lock is held. Waits for a thread loading it unless
 * there is a version to serve meanwhile. *fresh: the entry was checked
 * within the stat interval, with the current templates and decks root.
 */
static struct cache_ent *
cache_lookup(struct cache *c, const char *name, const struct root *root,
    unsigned long long now, int *fresh)
{
	struct cache_ent	*e;

	*fresh = 0;
	while ((e = cache_find(c, name)) != NULL && e->loading) {
		if (e->cur != NULL) {
			*fresh = 1;
			return e;
		}
		pthread_cond_wait(&c->loaded, &c->lock);
	}
	*fresh = e != NULL && (e->cur != NULL || e->error != NULL) &&
	    now - e->checked < c->interval && e->tgen == c->ts->gen &&
	    e->root == root;
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
    struct root *root, unsigned long long now, struct cache_stamp *st)
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
		cache_unreadable(c, path, st->err, e != NULL && e->cur != NULL);
		free(path);
		if (e != NULL)
			cache_loaded(c, e);
		return e != NULL && e->cur != NULL ? CACHE_STEP_HIT :
		    CACHE_STEP_GONE;
	}
	free(c->unreadable);
	c->unreadable = NULL;
	if (!st->exists) {
		free(path);
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
	if (!moved && cache_stamp_same(st, &e->stamp) && (e->cur != NULL ||
	    e->error != NULL) && e->tgen == c->ts->gen) {
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
cache_refresh(struct cache *c, struct cache_ent *e, struct cache_stamp *st,
    char **cause, struct deck_error *derr, int *why)
{
	struct cache_deck	*cd;
	struct cache_tset	*ts;
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
	ts = c->ts;
	__atomic_add_fetch(&ts->refs, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&c->lock);
	cd = cache_load(c, e, ts, old, st, cause, derr, why);
	cache_tset_release(ts);
	pthread_mutex_lock(&c->lock);
	return cd;
}

/* Makes a loaded version current, or records why the file failed; the lock is held. */
static void
cache_install(struct cache *c, struct cache_ent *e, struct cache_deck *cd,
    const struct cache_stamp *st, unsigned tgen, char *cause,
    struct deck_error *derr, int why)
{
	char	*old_error = e->error;

	c->loads++;
	e->stamp = *st;
	e->tgen = tgen;
	e->error = NULL;
	deck_error_free(&e->failure);
	if (cd != NULL) {
		cache_uncharge(c, e->cur);
		cache_deck_release(e->cur);
		e->cur = cd;
		cd->charged = 1;
		c->bytes += cd->cost;
	} else {
		/* Keep the last good version; remember why the new one failed. */
		if (derr->dg.msg != NULL) {
			e->error = diag_format(e->path, &derr->dg);
			e->failure = *derr;
			memset(derr, 0, sizeof *derr);
		} else
			e->error = diag_cause(e->path, cause);
		/* Not read: tried again at the next check; logged when the cause changes. */
		if (why != CACHE_LOAD_UNREAD || old_error == NULL ||
		    strcmp(old_error, e->error) != 0)
			cache_log(c, "%s%s", e->error, e->cur != NULL ?
			    " (serving the last good version)" : "");
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

/* Finds or loads the current version of a deck: look up, refresh, install. */
enum cache_status
cache_get_failure(struct cache *c, const char *name, struct cache_deck **out,
    char **error, struct deck_error *failure)
{
	struct deck_error	 derr;
	struct cache_stamp	 st;
	struct cache_ent	*e;
	struct cache_deck	*cd;
	unsigned long long	 now;
	enum cache_step		 step;
	enum cache_status	 status;
	struct root		*root;
	char			*cause = NULL;
	unsigned		 tgen;
	int			 fresh, why;

	*out = NULL;
	*error = NULL;
	if (failure != NULL)
		memset(failure, 0, sizeof *failure);
	if (!deck_name_valid(name, strlen(name)))
		return CACHE_NOT_FOUND;
	now = util_now_ms();
	root = cache_root(c, now);
	pthread_mutex_lock(&c->lock);
	cache_check_templates(c, now);
	do {
		e = cache_lookup(c, name, root, now, &fresh);
		step = fresh ? CACHE_STEP_HIT : cache_claim(c, name, &e, root,
		    now, &st);
	} while (step == CACHE_STEP_RETRY);
	if (step == CACHE_STEP_GONE) {
		pthread_mutex_unlock(&c->lock);
		root_release(root);
		return CACHE_NOT_FOUND;
	}
	if (step == CACHE_STEP_LOAD) {
		tgen = c->ts->gen;
		memset(&derr, 0, sizeof derr);
		cd = cache_refresh(c, e, &st, &cause, &derr, &why);
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
			cache_install(c, e, cd, &st, tgen, cause, &derr, why);
	}
	status = cache_hit(c, e, out, error, failure);
	root_release(root);
	return status;
}

/* The same without the failure as a diagnostic. */
enum cache_status
cache_get(struct cache *c, const char *name, struct cache_deck **out,
    char **error)
{
	return cache_get_failure(c, name, out, error, NULL);
}

/* Publishes a rendered blob in a slot, or takes the one another thread published first. */
static struct blob *
cache_publish(struct cache *c, struct cache_deck *cd, struct blob **slot,
    struct blob *b)
{
	struct blob	*expected = NULL;

	if (!__atomic_compare_exchange_n(slot, &expected, b, 0,
	    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		blob_release(b);
		return blob_retain(expected);
	}
	pthread_mutex_lock(&c->lock);
	/* A version that was replaced or evicted meanwhile is no longer counted. */
	if (cd->charged) {
		cd->cost += b->len + sizeof *b;
		c->bytes += b->len + sizeof *b;
		cache_evict(c, NULL);
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

/* Orders names for the index. */
static int
cache_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the decks with a version in memory, for a directory that cannot be read now. */
static size_t
cache_list_known(struct cache *c, char ***out)
{
	struct cache_ent	*e;
	char			**v = NULL;
	size_t			 n = 0;

	pthread_mutex_lock(&c->lock);
	for (e = c->head; e != NULL; e = e->next) {
		if (e->cur == NULL)
			continue;
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = xstrdup(e->name);
	}
	pthread_mutex_unlock(&c->lock);
	*out = v;
	return n;
}

/* Lists the valid deck names in the directory. */
size_t
cache_list(struct cache *c, char ***out)
{
	struct dirent	*de;
	struct stat	 st;
	struct root	*root;
	DIR		*dir;
	char		**v = NULL, *path;
	size_t		 n = 0, len;
	int		 err;

	*out = NULL;
	root = cache_root(c, util_now_ms());
	if ((dir = opendir(root->dir)) == NULL) {
		if ((err = errno) == ENOENT) {
			root_release(root);
			return 0;
		}
		pthread_mutex_lock(&c->lock);
		cache_unreadable(c, root->dir, err, 1);
		pthread_mutex_unlock(&c->lock);
		n = cache_list_known(c, &v);
	} else {
		while ((de = readdir(dir)) != NULL) {
			len = strlen(de->d_name);
			if (len <= 4 || strcmp(de->d_name + len - 4, ".drf") != 0 ||
			    !deck_name_valid(de->d_name, len - 4))
				continue;
			path = xasprintf("%s/%s", root->dir, de->d_name);
			if (lstat(path, &st) == 0 && S_ISREG(st.st_mode)) {
				v = xreallocarray(v, n + 1, sizeof *v);
				v[n++] = xstrndup(de->d_name, len - 4);
			}
			free(path);
		}
		closedir(dir);
	}
	root_release(root);
	if (n > 1)
		qsort(v, n, sizeof *v, cache_cmp_names);
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

/* Folds the identities of the deck files and the templates, looked at once per stat interval. */
uint64_t
cache_watch(struct cache *c)
{
	struct cache_stamp	 s, ts[RENDER_NDOCS];
	unsigned long long	 now = util_now_ms();
	uint64_t		 h = UTIL_HASH_INIT;
	char			**names, *path;
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
		path = xasprintf("%s/%s.drf", c->decks_dir, names[i]);
		cache_stamp_of(path, &s);
		h = util_hash(h, names[i], strlen(names[i]) + 1);
		h = cache_stamp_fold(h, &s);
		free(path);
		free(names[i]);
	}
	free(names);
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

/* Copies the counters. */
void
cache_stats(struct cache *c, struct cache_stats *s)
{
	pthread_mutex_lock(&c->lock);
	s->decks = c->ndecks;
	s->bytes = c->bytes;
	s->loads = c->loads;
	s->evictions = c->evictions;
	pthread_mutex_unlock(&c->lock);
}

/* Returns the decks directory. */
const char *
cache_decks_dir(const struct cache *c)
{
	return c->decks_dir;
}
