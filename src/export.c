/* export.c: the static-site writer behind "drfslides export". */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asset.h"
#include "buf.h"
#include "export.h"
#include "glossary.h"
#include "paths.h"
#include "render.h"
#include "typeset.h"
#include "util.h"
#include "vendor.h"

#define EXPORT_MAX_ASSET ((size_t)64 << 20)
#define EXPORT_CHUNK	(64 * 1024)	/* a deck's asset is copied this much at a time */

/* Writes one rendered document and reports progress. */
static int
export_write(const char *outdir, const char *name, struct buf *b,
    export_progress_cb *cb, void *arg, size_t done, size_t total,
    char **cause)
{
	char	*path;
	int	 rc;

	path = xasprintf("%s/%s", outdir, name);
	rc = paths_write_file(path, b->data == NULL ? "" : b->data, b->len,
	    cause);
	free(path);
	buf_reset(b);
	if (rc == 0 && cb != NULL)
		cb(arg, name, done, total);
	return rc;
}

/* Copies the regular files of the static directory (no dotfiles, no subdirectories). */
static int
export_static(const char *static_dir, const char *outdir, char **cause)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*dir;
	char		*from, *to, *data, *dest;
	size_t		 len;
	int		 rc = 0;

	dest = xasprintf("%s/static", outdir);
	if (paths_mkdirs(dest, cause) != 0) {
		free(dest);
		return -1;
	}
	if ((dir = opendir(static_dir)) == NULL) {
		*cause = xasprintf("%s: %s", static_dir, strerror(errno));
		free(dest);
		return -1;
	}
	while (rc == 0 && (de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		from = xasprintf("%s/%s", static_dir, de->d_name);
		if (stat(from, &st) == 0 && S_ISREG(st.st_mode)) {
			rc = util_read_file(from, EXPORT_MAX_ASSET, &data, &len,
			    cause);
			if (rc == 0) {
				to = xasprintf("%s/%s", dest, de->d_name);
				rc = paths_write_file(to, data, len, cause);
				free(to);
				free(data);
			}
		}
		free(from);
	}
	closedir(dir);
	free(dest);
	return rc;
}

/* Copies the open file arg points to into the temporary file, a chunk at a time. */
static int
export_fill_copy(void *arg, int to, const char *tmp, char **cause)
{
	char	*chunk;
	ssize_t	 n;
	int	 from = *(int *)arg, rc = 0;

	chunk = xmalloc(EXPORT_CHUNK);
	while (rc == 0 && (n = read(from, chunk, EXPORT_CHUNK)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = xasprintf("%s: %s", tmp, strerror(errno));
			rc = -1;
			break;
		}
		rc = paths_write_all(to, tmp, chunk, (size_t)n, cause);
	}
	free(chunk);
	return rc;
}

/* Copies an open file to path, through a temporary name. */
static int
export_copy(int from, const char *path, char **cause)
{
	return paths_replace(path, export_fill_copy, &from, cause);
}

/* Orders references by path, then line. */
static int
export_ref_cmp(const void *a, const void *b)
{
	const struct deck_ref	*x = *(const struct deck_ref *const *)a;
	const struct deck_ref	*y = *(const struct deck_ref *const *)b;
	int			 c;

	if ((c = strcmp(x->path, y->path)) != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Copies every asset the deck refers to, once each, keeping its relative path. */
static int
export_assets(const struct deck *d, const char *dir, const char *outdir,
    const struct export_routes *routes, struct diags *warnings, char **cause)
{
	const struct deck_ref	**v;
	struct stat		 st;
	const char		*p, *slash;
	char			*to, *sub, *why;
	size_t			 i, n = 0;
	int			 fd, rc = 0;

	v = xcalloc(d->nrefs + 1, sizeof *v);
	for (i = 0; i < d->nrefs; i++) {
		p = d->refs[i].path;
		/* Pages, and names no server would send (check says why). */
		if (!deck_ref_is_page(d, p, routes->is_page) &&
		    asset_path_valid(p, strlen(p)))
			v[n++] = &d->refs[i];
	}
	qsort(v, n, sizeof *v, export_ref_cmp);
	for (i = 0; rc == 0 && i < n; i++) {
		p = v[i]->path;
		if (i > 0 && strcmp(p, v[i - 1]->path) == 0)
			continue;
		if (routes->reserved != NULL && routes->reserved(p)) {
			diags_add(warnings, DIAG_WARNING, v[i]->line,
			    "'%s' is not copied: export writes %s/%s itself",
			    p, outdir, p);
			continue;
		}
		if (asset_open(dir, p, strlen(p), &fd, &st, &why) != 0) {
			diags_add(warnings, DIAG_WARNING, v[i]->line,
			    "'%s' is not copied: %s", p, why);
			free(why);
			continue;
		}
		if ((slash = strrchr(p, '/')) != NULL) {
			sub = xasprintf("%s/%.*s", outdir, (int)(slash - p), p);
			rc = paths_mkdirs(sub, cause);
			free(sub);
		}
		if (rc == 0) {
			to = xasprintf("%s/%s", outdir, p);
			rc = export_copy(fd, to, cause);
			free(to);
		}
		close(fd);
	}
	free(v);
	return rc;
}

/* Frees the glossary entries read for the print view. */
static void
export_gloss_free(struct render_gloss *g, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free((char *)g[i].html);
	free(g);
}

/* Renders every document of the deck into files. */
int
export_deck(const struct deck *d, const struct render_templates *rt,
    const char *static_dir, char *const *gdirs, size_t ngdirs,
    const char *asset_dir,
    const char *outdir, const struct export_routes *routes,
    export_progress_cb *cb, void *arg, struct diags *warnings, char **cause)
{
	struct render_gloss	*g;
	struct buf		 b = BUF_INIT;
	struct stat		 st;
	char			*name, *frag, *gdir, *why;
	size_t			 i, fraglen, done = 0, total, ng = 0;
	int			 rc = 0;

	total = d->npages + 5 + d->nterms;
	/* The entries found, for the print view. */
	g = xcalloc(d->nterms + 1, sizeof *g);
	if (paths_mkdirs(outdir, cause) != 0)
		goto fail;
	render_entry(rt, d, 0, RENDER_EXPORT, &b);
	if (export_write(outdir, "index.html", &b, cb, arg, ++done, total,
	    cause) != 0)
		goto fail;
	/* Where frames.js sends a phone from the frameset. */
	render_view(rt, d, 0, NULL, RENDER_EXPORT, &b);
	if (export_write(outdir, "view.html", &b, cb, arg, ++done, total,
	    cause) != 0)
		goto fail;
	render_display(rt, d, RENDER_EXPORT, &b);
	if (export_write(outdir, "display.html", &b, cb, arg, ++done, total,
	    cause) != 0)
		goto fail;
	for (i = 0; i < d->npages; i++) {
		render_page(rt, d, i, RENDER_EXPORT, &b);
		name = xasprintf("%s%zu.html", d->base, i);
		rc = export_write(outdir, name, &b, cb, arg, ++done, total,
		    cause);
		free(name);
		if (rc != 0)
			goto fail;
	}
	gdir = xasprintf("%s/glossary", outdir);
	rc = paths_mkdirs(gdir, cause);
	free(gdir);
	if (rc != 0)
		goto fail;
	for (i = 0; i < d->nterms; i++) {
		/* The servers' rule: a refused entry is no entry, and a warning says why. */
		why = NULL;
		if (glossary_find(gdirs, ngdirs, d->terms[i].term, &frag,
		    &fraglen, &st, &why) < 0)
			diags_add(warnings, DIAG_WARNING, d->terms[i].line,
			    "the glossary entry of '%s' is not exported: %s",
			    d->terms[i].term, why);
		free(why);
		render_glossary(rt, d, d->terms[i].term, frag, fraglen,
		    RENDER_EXPORT, &b);
		if (frag != NULL) {
			g[ng].term = d->terms[i].term;
			g[ng].html = frag;
			g[ng].len = fraglen;
			ng++;
		}
		name = xasprintf("glossary/%s.html", d->terms[i].term);
		rc = export_write(outdir, name, &b, cb, arg, ++done, total,
		    cause);
		free(name);
		if (rc != 0)
			goto fail;
	}
	render_overview(rt, d, RENDER_EXPORT, &b);
	if (export_write(outdir, "overview.html", &b, cb, arg, ++done, total,
	    cause) != 0)
		goto fail;
	render_print(rt, d, g, ng, routes->notes, NULL, RENDER_EXPORT, &b);
	if (export_write(outdir, "print.html", &b, cb, arg, ++done, total,
	    cause) != 0)
		goto fail;
	if (export_static(static_dir, outdir, cause) != 0)
		goto fail;
	if (vendor_export(((d->typeset & TYPESET_CODE) ?
	    1u << VENDOR_HIGHLIGHT : 0) | ((d->typeset & TYPESET_MATH) ?
	    1u << VENDOR_KATEX : 0), outdir, cause) != 0)
		goto fail;
	if (export_assets(d, asset_dir, outdir, routes, warnings, cause) != 0)
		goto fail;
	export_gloss_free(g, ng);
	buf_free(&b);
	return 0;
fail:
	export_gloss_free(g, ng);
	buf_free(&b);
	return -1;
}
