/* paths.h: where drfslides finds its templates, static assets and bundled decks. */
#ifndef DRF_PATHS_H
#define DRF_PATHS_H

/*
 * Returns the data directory sub ("templates", "static" or "decks"), allocated:
 * override when not NULL; else the environment variable env when set and not
 * empty; else sub beside the running program when that directory exists (an
 * uninstalled build in the source tree); else $(pkgdatadir)/sub.
 */
char	*paths_data_dir(const char *sub, const char *override, const char *env);

/* Creates a directory and its parents (mode 0755); returns -1 with *cause. */
int	 paths_mkdirs(const char *path, char **cause);

/* Writes a whole file, replacing it; returns -1 with *cause. */
int	 paths_write_file(const char *path, const void *data, size_t len,
	    char **cause);

#endif
