/* export.c: the static-site writer behind "drfslides export". */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "export.h"
#include "paths.h"
#include "render.h"
#include "util.h"

#define EXPORT_MAX_ASSET ((size_t)64 << 20)

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

/* Renders every document of the deck into files. */
int
export_deck(const struct deck *d, const struct render_templates *rt,
    const char *static_dir, const char *glossary_dir, const char *outdir,
    export_progress_cb *cb, void *arg, char **cause)
{
	struct buf	 b = BUF_INIT;
	char		*name, *path, *frag, *gdir;
	size_t		 i, fraglen, done = 0, total;
	int		 rc = 0;

	total = d->npages + 2 + d->nterms;
	if (paths_mkdirs(outdir, cause) != 0)
		return -1;
	render_entry(rt, d, 0, RENDER_EXPORT, &b);
	if (export_write(outdir, "index.html", &b, cb, arg, ++done, total,
	    cause) != 0)
		goto fail;
	render_display(rt, d, RENDER_EXPORT, &b);
	if (export_write(outdir, "display.html", &b, cb, arg, ++done, total,
	    cause) != 0)
		goto fail;
	for (i = 0; i < d->npages; i++) {
		render_page(rt, d, i, RENDER_EXPORT, &b);
		name = xasprintf("%s%zu.html", d->name, i);
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
		/* Terms are validated by the expander: no '/' and no leading '.'. */
		path = xasprintf("%s/%s.html", glossary_dir, d->terms[i].term);
		frag = NULL;
		if (util_read_file(path, EXPORT_MAX_ASSET, &frag, &fraglen,
		    cause) != 0) {
			free(*cause);
			*cause = NULL;
			frag = NULL;
		}
		free(path);
		render_glossary(rt, d, d->terms[i].term, frag, fraglen,
		    RENDER_EXPORT, &b);
		free(frag);
		name = xasprintf("glossary/%s.html", d->terms[i].term);
		rc = export_write(outdir, name, &b, cb, arg, ++done, total,
		    cause);
		free(name);
		if (rc != 0)
			goto fail;
	}
	if (export_static(static_dir, outdir, cause) != 0)
		goto fail;
	buf_free(&b);
	return 0;
fail:
	buf_free(&b);
	return -1;
}
