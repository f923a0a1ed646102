/* vendor.c: where the Debian libraries that typeset pages are, and which of their files are served. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asset.h"
#include "paths.h"
#include "util.h"
#include "vendor.h"

#ifndef DRF_HIGHLIGHTJS_DIR
#define DRF_HIGHLIGHTJS_DIR	"/usr/share/javascript/highlight.js"
#endif
#ifndef DRF_KATEX_DIR
#define DRF_KATEX_DIR		"/usr/share/javascript/katex"
#endif

/* The largest library file copied by export (highlight.js is under 1 MiB). */
#define VENDOR_MAX_FILE		((size_t)16 << 20)
#define VENDOR_MAX_FILES	4

/* A library: its name in URLs, its package, its files; the first must exist. */
static const struct vendor_def {
	const char	*name;
	const char	*package;
	const char	*option;
	const char	*dflt;
	const char	*files[VENDOR_MAX_FILES];
	const char	*fonts;		/* a folder of fonts, all served, or NULL */
} vendor_defs[VENDOR_NLIBS] = {
	{ "highlight.js", "libjs-highlight.js", "--highlightjs",
	    DRF_HIGHLIGHTJS_DIR, { "highlight.min.js", NULL }, NULL },
	{ "katex", "libjs-katex", "--katex", DRF_KATEX_DIR,
	    { "katex.min.js", "katex.min.css", "contrib/auto-render.js", NULL },
	    "fonts" },
};

/* The folders in force: configuration, set before threads start. */
static const char *vendor_dirs[VENDOR_NLIBS];

/* Returns a library's folder. */
static const char *
vendor_dir(enum vendor_lib lib)
{
	return vendor_dirs[lib] != NULL ? vendor_dirs[lib] :
	    vendor_defs[lib].dflt;
}

/* Sets a library's folder. */
void
vendor_set_dir(enum vendor_lib lib, const char *dir)
{
	vendor_dirs[lib] = dir;
}

/* Returns 1 if the library's first file can be read. */
int
vendor_have(enum vendor_lib lib)
{
	char	*p;
	int	 rc;

	p = xasprintf("%s/%s", vendor_dir(lib), vendor_defs[lib].files[0]);
	rc = access(p, R_OK) == 0;
	free(p);
	return rc;
}

/* Returns the Debian package of a library. */
const char *
vendor_package(enum vendor_lib lib)
{
	return vendor_defs[lib].package;
}

/* Returns the option that names a library's folder. */
const char *
vendor_option(enum vendor_lib lib)
{
	return vendor_defs[lib].option;
}

/* Returns 1 if name is a flat font name: .woff2, .woff or .ttf. */
static int
vendor_font_name(const char *name, size_t len)
{
	static const char *const ext[] = { ".woff2", ".woff", ".ttf" };
	size_t			 i, e;

	if (!asset_path_valid(name, len) || memchr(name, '/', len) != NULL)
		return 0;
	for (i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		e = strlen(ext[i]);
		if (len > e && memcmp(name + len - e, ext[i], e) == 0)
			return 1;
	}
	return 0;
}

/* Finds the file a path below "vendor/" names. */
char *
vendor_file(const char *p, size_t len)
{
	const struct vendor_def	*v;
	size_t			 i, j, n, rest;
	const char		*r;

	for (i = 0; i < VENDOR_NLIBS; i++) {
		v = &vendor_defs[i];
		n = strlen(v->name);
		if (len <= n + 1 || memcmp(p, v->name, n) != 0 || p[n] != '/')
			continue;
		r = p + n + 1;
		rest = len - n - 1;
		for (j = 0; j < VENDOR_MAX_FILES && v->files[j] != NULL; j++)
			if (strlen(v->files[j]) == rest &&
			    memcmp(v->files[j], r, rest) == 0)
				return xasprintf("%s/%.*s", vendor_dir(i),
				    (int)rest, r);
		n = v->fonts != NULL ? strlen(v->fonts) : 0;
		if (n != 0 && rest > n + 1 && memcmp(r, v->fonts, n) == 0 &&
		    r[n] == '/' && vendor_font_name(r + n + 1, rest - n - 1))
			return xasprintf("%s/%.*s", vendor_dir(i),
			    (int)rest, r);
	}
	return NULL;
}

/* Copies one file of a library, making its folder. */
static int
vendor_copy(const char *from, const char *to, char **cause)
{
	char	*data, *slash, *dir;
	size_t	 len;
	int	 rc;

	slash = strrchr(to, '/');
	dir = xstrndup(to, (size_t)(slash - to));
	rc = paths_mkdirs(dir, cause);
	free(dir);
	if (rc != 0)
		return -1;
	if (util_read_file(from, VENDOR_MAX_FILE, &data, &len, cause) != 0)
		return -1;
	rc = paths_write_file(to, data, len, cause);
	free(data);
	return rc;
}

/* Copies every font of a library's font folder. */
static int
vendor_export_fonts(enum vendor_lib lib, const char *out, char **cause)
{
	const struct vendor_def	*v = &vendor_defs[lib];
	struct dirent		*de;
	DIR			*dir;
	char			*path, *from, *to;
	int			 rc = 0;

	path = xasprintf("%s/%s", vendor_dir(lib), v->fonts);
	if ((dir = opendir(path)) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	while (rc == 0 && (de = readdir(dir)) != NULL) {
		if (!vendor_font_name(de->d_name, strlen(de->d_name)))
			continue;
		from = xasprintf("%s/%s", path, de->d_name);
		to = xasprintf("%s/%s/%s/%s", out, v->name, v->fonts,
		    de->d_name);
		rc = vendor_copy(from, to, cause);
		free(from);
		free(to);
	}
	closedir(dir);
	free(path);
	return rc;
}

/* Copies the served files of the libraries a deck uses. */
int
vendor_export(unsigned libs, const char *outdir, char **cause)
{
	const struct vendor_def	*v;
	char			*out, *from, *to;
	size_t			 i, j;
	int			 rc = 0;

	out = xasprintf("%s/vendor", outdir);
	for (i = 0; rc == 0 && i < VENDOR_NLIBS; i++) {
		v = &vendor_defs[i];
		if ((libs & (1u << i)) == 0 || !vendor_have(i))
			continue;
		for (j = 0; rc == 0 && j < VENDOR_MAX_FILES &&
		    v->files[j] != NULL; j++) {
			from = xasprintf("%s/%s", vendor_dir(i), v->files[j]);
			to = xasprintf("%s/%s/%s", out, v->name, v->files[j]);
			rc = vendor_copy(from, to, cause);
			free(from);
			free(to);
		}
		if (rc == 0 && v->fonts != NULL)
			rc = vendor_export_fonts(i, out, cause);
	}
	free(out);
	return rc;
}
