/* root.c: the decks root, a folder or a symbolic link that a release flips, resolved once per check. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "root.h"
#include "util.h"

struct root_watch {
	char			*path;		/* as configured */
	unsigned		 interval;
	pthread_mutex_t		 lock;
	struct root		*cur;
	unsigned long long	 checked;
	int			 failed;	/* the last resolution failed */
};

/* Makes a root of a folder name (taken). */
static struct root *
root_new(char *dir)
{
	struct root	*r;

	r = xcalloc(1, sizeof *r);
	r->dir = dir;
	r->refs = 1;
	return r;
}

/* Adds a reference to a root. */
struct root *
root_retain(struct root *r)
{
	__atomic_add_fetch(&r->refs, 1, __ATOMIC_RELAXED);
	return r;
}

/* Drops a reference; the last one frees the root. */
void
root_release(struct root *r)
{
	if (r == NULL || __atomic_sub_fetch(&r->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	free(r->dir);
	free(r);
}

/* Creates the watch of a configured root; the first resolution is made now. */
struct root_watch *
root_watch_create(const char *path, unsigned interval_ms)
{
	struct root_watch	*w;
	struct root		*r;

	w = xcalloc(1, sizeof *w);
	w->path = xstrdup(path);
	w->interval = interval_ms;
	pthread_mutex_init(&w->lock, NULL);
	w->cur = root_new(xstrdup(path));
	r = root_watch_get(w, util_now_ms(), NULL);
	root_release(r);
	return w;
}

/* Frees a watch; the roots handed out stay valid until released. */
void
root_watch_free(struct root_watch *w)
{
	if (w == NULL)
		return;
	root_release(w->cur);
	pthread_mutex_destroy(&w->lock);
	free(w->path);
	free(w);
}

/*
 * Resolves the configured path outside the lock: NULL when it is not a
 * symbolic link (it is used as it is), else the folder it leads to, or
 * NULL with *err.
 */
static char *
root_resolve(const char *path, int *link, int *err)
{
	struct stat	 st;
	char		*dir;

	*err = 0;
	*link = lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
	if (!*link)
		return NULL;
	if ((dir = realpath(path, NULL)) == NULL) {
		*err = errno;
		return NULL;
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		*err = ENOTDIR;
		free(dir);
		return NULL;
	}
	return dir;
}

/* Returns the current root, resolving it again once the interval has passed. */
struct root *
root_watch_get(struct root_watch *w, unsigned long long now, char **cause)
{
	struct root	*r;
	char		*dir;
	int		 link, err;

	pthread_mutex_lock(&w->lock);
	if (w->checked != 0 && now - w->checked < w->interval) {
		r = root_retain(w->cur);
		pthread_mutex_unlock(&w->lock);
		return r;
	}
	w->checked = now;	/* one thread resolves; the others go on meanwhile */
	pthread_mutex_unlock(&w->lock);
	dir = root_resolve(w->path, &link, &err);
	pthread_mutex_lock(&w->lock);
	if (err != 0) {
		/* A dangling or looping link: the last release that resolved. */
		if (!w->failed && cause != NULL)
			*cause = xasprintf("%s: %s (serving %s)", w->path,
			    strerror(err), w->cur->dir);
		w->failed = 1;
	} else {
		w->failed = 0;
		if (!link)
			dir = xstrdup(w->path);
		if (strcmp(dir, w->cur->dir) != 0) {
			root_release(w->cur);
			w->cur = root_new(dir);
			dir = NULL;
		}
	}
	free(dir);
	r = root_retain(w->cur);
	pthread_mutex_unlock(&w->lock);
	return r;
}
