/* fixture.h: the C tests' temporary decks directory and its files; with router.h, the app and requests. */
#ifndef DRF_FIXTURE_H
#define DRF_FIXTURE_H

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* A temporary directory of decks, and the shipped templates and static files. */
struct fixture {
	char	*dir;		/* the decks directory, removed by fx_done */
	char	*templates;	/* top_srcdir/templates */
	char	*static_dir;	/* top_srcdir/static */
};

/* Makes the temporary decks directory; returns -1 (and says why) when it cannot. */
static int __attribute__((unused))
fx_init(struct fixture *fx, const char *name)
{
	const char	*top, *tmp;

	if ((top = getenv("top_srcdir")) == NULL)
		top = ".";
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	fx->templates = xasprintf("%s/templates", top);
	fx->static_dir = xasprintf("%s/static", top);
	fx->dir = xasprintf("%s/drf-%s.XXXXXX", tmp, name);
	if (mkdtemp(fx->dir) == NULL) {
		printf("# mkdtemp %s: %s\n", fx->dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* Returns the allocated path of a file in the decks directory. */
static char * __attribute__((unused))
fx_path(const struct fixture *fx, const char *name)
{
	return xasprintf("%s/%s", fx->dir, name);
}

/* Writes len bytes to a file of the decks directory; returns -1 on failure. */
static int __attribute__((unused))
fx_put_bytes(const struct fixture *fx, const char *name, const void *data,
    size_t len)
{
	char	*p = fx_path(fx, name);
	FILE	*f;
	int	 rc = -1;

	if ((f = fopen(p, "w")) != NULL) {
		rc = fwrite(data, 1, len, f) == len ? 0 : -1;
		if (fclose(f) != 0)
			rc = -1;
	}
	if (rc != 0)
		printf("# cannot write %s\n", p);
	free(p);
	return rc;
}

/* Writes a text file to the decks directory; returns -1 on failure. */
static int __attribute__((unused))
fx_put(const struct fixture *fx, const char *name, const char *text)
{
	return fx_put_bytes(fx, name, text, strlen(text));
}

/* Sets a file's modification (and access) time; returns -1 on failure. */
static int __attribute__((unused))
fx_touch(const struct fixture *fx, const char *name, time_t sec, long nsec)
{
	struct timespec	 ts[2];
	char		*p = fx_path(fx, name);
	int		 rc;

	ts[0].tv_sec = ts[1].tv_sec = sec;
	ts[0].tv_nsec = ts[1].tv_nsec = nsec;
	rc = utimensat(AT_FDCWD, p, ts, 0);
	free(p);
	return rc;
}

/* Makes a folder in the decks directory; returns -1 on failure. */
static int __attribute__((unused))
fx_mkdir(const struct fixture *fx, const char *name)
{
	char	*p = fx_path(fx, name);
	int	 rc;

	rc = mkdir(p, 0755);
	free(p);
	return rc;
}

/* Makes name a symbolic link to target; returns -1 on failure. */
static int __attribute__((unused))
fx_symlink(const struct fixture *fx, const char *target, const char *name)
{
	char	*p = fx_path(fx, name);
	int	 rc;

	rc = symlink(target, p);
	free(p);
	return rc;
}

/* Removes a file of the decks directory; returns -1 on failure. */
static int __attribute__((unused))
fx_remove(const struct fixture *fx, const char *name)
{
	char	*p = fx_path(fx, name);
	int	 rc;

	rc = unlink(p);
	free(p);
	return rc;
}

/* Removes one entry of a tree being walked depth first. */
static int __attribute__((unused))
fx_remove_entry(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Removes the decks directory and frees the fixture; returns -1 when something stays. */
static int __attribute__((unused))
fx_done(struct fixture *fx)
{
	int	 rc = 0;

	if (fx->dir != NULL)
		rc = nftw(fx->dir, fx_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx->dir);
	free(fx->templates);
	free(fx->static_dir);
	memset(fx, 0, sizeof *fx);
	return rc == 0 ? 0 : -1;
}

#ifdef DRF_ROUTER_H
/* Fills an app configuration for the fixture's decks, templates and static files. */
static void __attribute__((unused))
fx_app_config(const struct fixture *fx, struct app_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->decks_dir = fx->dir;
	cfg->templates_dir = fx->templates;
	cfg->static_dir = fx->static_dir;
	cfg->cache_bytes = 16 << 20;
	cfg->frame_ancestors = "'self'";
	cfg->cache_control = "no-cache";
	deck_limits_default(&cfg->limits);
}

/* A request of method for path (after the mount point /m) and an optional query. */
static void __attribute__((unused))
fx_request(struct request *req, const char *method, const char *path,
    const char *query)
{
	memset(req, 0, sizeof *req);
	req->method = method;
	req->path = path;
	req->pathlen = strlen(path);
	req->query = query;
	req->base = "/m";
	req->urilen = strlen(path) + (query != NULL ? strlen(query) + 1 : 0);
}
#endif

#endif
