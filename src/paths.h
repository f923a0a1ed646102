/* paths.h: where drfslides finds its templates, static assets and bundled decks. */
#ifndef DRF_PATHS_H
#define DRF_PATHS_H

#include <stddef.h>

/*
 * Returns the data directory sub ("templates", "static" or "decks"), allocated:
 * override when not NULL; else the environment variable env when set and not
 * empty; else sub beside the running program when that directory exists (an
 * uninstalled build in the source tree); else $(pkgdatadir)/sub.
 */
char	*paths_data_dir(const char *sub, const char *override, const char *env);

/* Creates a directory and its parents (mode 0755); returns -1 with *cause. */
int	 paths_mkdirs(const char *path, char **cause);

/*
 * Replaces path with a new file: fill(arg, fd, tmpname, cause) writes the
 * content to a temporary file beside it, which is renamed over path only
 * when fill and close succeed (else removed). Returns -1 with *cause.
 */
typedef int paths_fill_cb(void *, int, const char *, char **);
int	 paths_replace(const char *path, paths_fill_cb *, void *, char **cause);

/* Writes all of data to fd; -1 with *cause naming the file name. */
int	 paths_write_all(int fd, const char *name, const void *data,
	    size_t len, char **cause);

/* Writes a whole file, replacing it (paths_replace); returns -1 with *cause. */
int	 paths_write_file(const char *path, const void *data, size_t len,
	    char **cause);

#endif
