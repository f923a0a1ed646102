/* paths.c: locating data directories and writing files for export. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"
#include "util.h"

/* Returns 1 if path is a directory. */
static int
paths_is_dir(const char *path)
{
	struct stat	 st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Returns the directory of the running executable, or NULL. */
static char *
paths_exe_dir(void)
{
	char	*buf, *slash;
	size_t	 size = 256;
	ssize_t	 n;

	for (;;) {
		buf = xmalloc(size);
		n = readlink("/proc/self/exe", buf, size);
		if (n == -1) {
			free(buf);
			return NULL;
		}
		if ((size_t)n < size)
			break;
		free(buf);
		size *= 2;
	}
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash == NULL) {
		free(buf);
		return NULL;
	}
	*slash = '\0';
	return buf;
}

/* Finds a data directory, preferring what the user said. */
char *
paths_data_dir(const char *sub, const char *override, const char *env)
{
	const char	*e;
	char		*dir, *path;

	if (override != NULL)
		return xstrdup(override);
	if (env != NULL && (e = getenv(env)) != NULL && *e != '\0')
		return xstrdup(e);
	if ((dir = paths_exe_dir()) != NULL) {
		path = xasprintf("%s/%s", dir, sub);
		free(dir);
		/* An installed bindir has no such directory beside it. */
		if (paths_is_dir(path))
			return path;
		free(path);
	}
	return xasprintf("%s/%s", PKGDATADIR, sub);
}

/* Creates each missing component of path. */
int
paths_mkdirs(const char *path, char **cause)
{
	char	*copy, *p;
	int	 end;

	copy = xstrdup(path);
	for (p = copy + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		end = *p == '\0';
		*p = '\0';
		if (mkdir(copy, 0755) == -1 && errno != EEXIST) {
			*cause = xasprintf("%s: %s", copy, strerror(errno));
			free(copy);
			return -1;
		}
		if (end)
			break;
		*p = '/';
	}
	free(copy);
	if (!paths_is_dir(path)) {
		*cause = xasprintf("%s: not a directory", path);
		return -1;
	}
	return 0;
}

/* Writes all of data to fd; -1 with *cause naming the file. */
int
paths_write_all(int fd, const char *name, const void *data, size_t len,
    char **cause)
{
	const char	*p = data;
	ssize_t		 n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = xasprintf("%s: %s", name, strerror(errno));
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Fills a temporary file and renames it over path, so a reader never sees half a file. */
int
paths_replace(const char *path, paths_fill_cb *fill, void *arg, char **cause)
{
	const char	*base;
	char		*tmp;
	int		 fd, rc;

	/* A hidden name of its own for every writer, thread or process. */
	base = strrchr(path, '/');
	tmp = base == NULL ? xasprintf(".%s.XXXXXX", path) :
	    xasprintf("%.*s/.%s.XXXXXX", (int)(base - path), path, base + 1);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1 || fchmod(fd, 0644) == -1) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		if (fd != -1) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return -1;
	}
	rc = fill(arg, fd, tmp, cause);
	if (close(fd) == -1 && rc == 0) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && rename(tmp, path) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* What paths_write_file writes. */
struct paths_bytes {
	const void	*data;
	size_t		 len;
};

/* Writes a buffer into the temporary file. */
static int
paths_fill_bytes(void *arg, int fd, const char *tmp, char **cause)
{
	struct paths_bytes	*b = arg;

	return paths_write_all(fd, tmp, b->data, b->len, cause);
}

/* Writes a whole file through a temporary name. */
int
paths_write_file(const char *path, const void *data, size_t len, char **cause)
{
	struct paths_bytes	 b = { data, len };

	return paths_replace(path, paths_fill_bytes, &b, cause);
}
