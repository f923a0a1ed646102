/* route_file.c: files served as they are: the static directory and a deck's assets. */
#include "config.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "asset.h"
#include "request.h"
#include "route.h"
#include "router.h"
#include "util.h"
#include "vendor.h"

/*
 * Serves an open regular file (taken over: closed or handed to the
 * response), never read here: the front end streams it. A single byte
 * range of a GET gets 206, one past the end 416.
 */
static void
route_file_fd(struct app *a, const struct request *req, struct response *r,
    int fd, const struct stat *st, const struct asset_type *t)
{
	char			*cause, etag[sizeof r->etag];
	off_t			 start = 0, n;
	enum asset_range	 range = ASSET_RANGE_NONE;

	if ((uintmax_t)st->st_size > SIZE_MAX) {
		/* Only where size_t is narrower than a file: never cut a length. */
		close(fd);
		response_error(a, req, r, 500, "e_file_big");
		return;
	}
	if (asset_etag(fd, st, etag, sizeof etag, &cause) != 0) {
		free(cause);
		close(fd);
		response_error(a, req, r, 500, "e_file_unread");
		return;
	}
	n = st->st_size;
	/* Range only for GET, and only when If-Range (if any) names this version. */
	if (strcmp(req->method, "GET") == 0 && (req->if_range == NULL ||
	    strcmp(req->if_range, etag) == 0))
		range = asset_range(req->range, st->st_size, &start, &n);
	if (range == ASSET_RANGE_UNSATISFIABLE &&
	    !request_fresh(req, etag, st->st_mtime)) {
		close(fd);
		response_error(a, req, r, 416, "e_range");
		r->content_range = xasprintf("bytes */%lld",
		    (long long)st->st_size);
		return;
	}
	r->status = 200;
	r->content_type = t->type;
	r->csp = t->csp;
	r->disposition = t->attachment ? "attachment" : NULL;
	r->accept_ranges = "bytes";
	r->cache_control = a->cache_control;
	memcpy(r->etag, etag, sizeof r->etag);
	r->mtime = st->st_mtime;
	if (request_fresh(req, etag, st->st_mtime)) {
		close(fd);
		r->status = 304;
		r->len = (size_t)st->st_size;
		return;
	}
	r->file = 1;
	r->fd = fd;
	r->offset = 0;
	r->len = (size_t)st->st_size;
	if (range == ASSET_RANGE_OK) {
		r->status = 206;
		r->offset = start;
		r->len = (size_t)n;
		r->content_range = xasprintf("bytes %lld-%lld/%lld",
		    (long long)start, (long long)(start + n - 1),
		    (long long)st->st_size);
	}
}

/* Serves a file below dir, opened by the asset rules: no link is followed. */
static void
route_file(struct app *a, const struct request *req, struct response *r,
    const char *dir, const char *rel, size_t len, const struct asset_type *t)
{
	struct stat	 st;
	char		*cause;
	int		 fd;

	if (asset_open(dir, rel, len, &fd, &st, &cause) != 0) {
		free(cause);
		response_error(a, req, r, 404, "e_no_file");
		return;
	}
	route_file_fd(a, req, r, fd, &st, t);
}

/*
 * Serves a file of a Debian library that typesets pages (vendor.h): only
 * the files it lists, opened through the package's own links.
 */
void
route_vendor(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	struct asset_type	 t;
	struct stat		 st;
	char			*path;
	int			 fd = -1;

	memset(&t, 0, sizeof t);
	t.type = asset_static_type(arg->rest, arg->restlen);
	path = vendor_file(arg->rest, arg->restlen);
	if (t.type != NULL && path != NULL)
		fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	free(path);
	if (fd != -1 && (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))) {
		close(fd);
		fd = -1;
	}
	if (fd == -1) {
		response_error(a, req, r, 404, "e_no_file");
		return;
	}
	route_file_fd(a, req, r, fd, &st, &t);
}

/* Serves a file from the static directory: one flat name of a known type. */
void
route_static(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	const char		*name = arg->rest;
	size_t			 len = arg->restlen;
	struct asset_type	 t;

	memset(&t, 0, sizeof t);
	t.type = asset_static_type(name, len);
	if (t.type == NULL || memchr(name, '/', len) != NULL) {
		response_error(a, req, r, 404, "e_no_file");
		return;
	}
	route_file(a, req, r, a->static_dir, name, len, &t);
}

/* Serves a deck's asset from the deck's folder in its version's release, typed by its extension. */
void
route_asset(struct app *a, const struct request *req, struct response *r,
    const struct route_arg *arg)
{
	struct asset_type	 t;
	char			*dir;

	asset_type(arg->rest, arg->restlen, &t);
	dir = xasprintf("%s/%s", arg->cd->root->dir, arg->name);
	route_file(a, req, r, dir, arg->rest, arg->restlen, &t);
	free(dir);
}
