/* route_file.c: files served as they are: the static directory and a deck's assets. */
#include "config.h"

#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "asset.h"
#include "deck.h"
#include "route.h"
#include "router.h"
#include "util.h"

/* Says whether a path is "/NAME/PATH" with PATH an asset path and not a route. */
int
router_asset_path(const char *p, size_t len)
{
	const char	*slash;

	if (len < 4 || p[0] != '/')
		return 0;
	slash = memchr(p + 1, '/', len - 1);
	if (slash == NULL || !deck_name_valid(p + 1, (size_t)(slash - p - 1)))
		return 0;
	len -= (size_t)(slash + 1 - p);
	return !asset_is_route(slash + 1, len) &&
	    asset_path_valid(slash + 1, len);
}

/* Returns 1 if the client's copy of an asset is current (If-None-Match, If-Modified-Since). */
static int
router_asset_fresh(const struct request *req, const char *etag, time_t mtime)
{
	struct tm	 tm;
	time_t		 since;

	if (req->if_none_match != NULL && *req->if_none_match != '\0')
		return router_etag_matches(req->if_none_match, etag);
	if (req->if_modified_since == NULL)
		return 0;
	memset(&tm, 0, sizeof tm);
	return strptime(req->if_modified_since, "%a, %d %b %Y %H:%M:%S GMT",
	    &tm) != NULL && (since = timegm(&tm)) != (time_t)-1 &&
	    mtime <= since;
}

/*
 * Serves a file below dir (opened by the asset rules: no link is followed)
 * from an open descriptor, never read here: the front end streams it. A
 * single byte range of a GET gets 206, one past the end 416.
 */
static void
router_file(struct app *a, const struct request *req, struct response *r,
    const char *dir, const char *rel, size_t len, const struct asset_type *t)
{
	struct stat		 st;
	char			*cause, etag[sizeof r->etag];
	off_t			 start = 0, n;
	int			 fd;
	enum asset_range	 range = ASSET_RANGE_NONE;

	if (asset_open(dir, rel, len, &fd, &st, &cause) != 0) {
		free(cause);
		router_error(a, req, r, 404, "There is no such file.");
		return;
	}
	if (asset_etag(fd, &st, etag, sizeof etag, &cause) != 0) {
		free(cause);
		close(fd);
		router_error(a, req, r, 500, "The file could not be read.");
		return;
	}
	n = st.st_size;
	/* Range only for GET, and only when If-Range (if any) names this version. */
	if (strcmp(req->method, "GET") == 0 && (req->if_range == NULL ||
	    strcmp(req->if_range, etag) == 0))
		range = asset_range(req->range, st.st_size, &start, &n);
	if (range == ASSET_RANGE_UNSATISFIABLE &&
	    !router_asset_fresh(req, etag, st.st_mtime)) {
		close(fd);
		router_error(a, req, r, 416, "The requested range is not "
		    "within the file.");
		r->content_range = xasprintf("bytes */%lld",
		    (long long)st.st_size);
		return;
	}
	r->status = 200;
	r->content_type = t->type;
	r->csp = t->csp;
	r->disposition = t->attachment ? "attachment" : NULL;
	r->accept_ranges = "bytes";
	r->cache_control = a->cache_control;
	memcpy(r->etag, etag, sizeof r->etag);
	r->mtime = st.st_mtime;
	if (router_asset_fresh(req, etag, st.st_mtime)) {
		close(fd);
		r->status = 304;
		return;
	}
	r->file = 1;
	r->fd = fd;
	r->offset = 0;
	r->len = (size_t)st.st_size;
	if (range == ASSET_RANGE_OK) {
		r->status = 206;
		r->offset = start;
		r->len = (size_t)n;
		r->content_range = xasprintf("bytes %lld-%lld/%lld",
		    (long long)start, (long long)(start + n - 1),
		    (long long)st.st_size);
	}
}

/* Serves a file from the static directory: one flat name of a known type. */
void
router_static(struct app *a, const struct request *req, struct response *r,
    const char *name, size_t len)
{
	struct asset_type	 t;

	memset(&t, 0, sizeof t);
	t.type = asset_static_type(name, len);
	if (t.type == NULL || memchr(name, '/', len) != NULL) {
		router_error(a, req, r, 404, "There is no such file.");
		return;
	}
	router_file(a, req, r, a->static_dir, name, len, &t);
}

/* Serves a deck's asset from the deck's folder, typed by its extension. */
void
router_asset(struct app *a, const struct request *req, struct response *r,
    const char *name, const char *rel, size_t len)
{
	struct asset_type	 t;
	char			*dir;

	asset_type(rel, len, &t);
	dir = xasprintf("%s/%s", a->decks_dir, name);
	router_file(a, req, r, dir, rel, len, &t);
	free(dir);
}
