/* state.c: the version of each deck the processes of one node accepted, in a directory they share. */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deck.h"
#include "paths.h"
#include "state.h"
#include "util.h"

/* Names the file that holds a version's bytes. */
static char *
state_file_name(const char *name, const struct state_version *v)
{
	return xasprintf("%s.%016llx.%lld.%lld.%09ld", name,
	    (unsigned long long)v->hash, v->size, v->sec, v->nsec);
}

/* Reads a symbolic link's target whatever its length; NULL on failure. */
static char *
state_readlink(const char *path)
{
	size_t	 size = 128;
	ssize_t	 n;
	char	*s;

	for (;;) {
		s = xmalloc(size);
		if ((n = readlink(path, s, size)) < 0) {
			free(s);
			return NULL;
		}
		if ((size_t)n < size) {
			s[n] = '\0';
			return s;
		}
		free(s);
		size *= 2;
	}
}

/* Reads a version's identity back from its file name; -1 if it is not one of ours. */
static int
state_parse_name(const char *name, const char *file, struct state_version *v)
{
	size_t		 nlen = strlen(name);
	const char	*p;
	char		*end;

	if (strncmp(file, name, nlen) != 0 || file[nlen] != '.')
		return -1;
	p = file + nlen + 1;
	errno = 0;
	v->hash = strtoull(p, &end, 16);
	if (end != p + 16 || *end != '.')
		return -1;
	v->size = strtoll(end + 1, &end, 10);
	if (*end != '.')
		return -1;
	v->sec = strtoll(end + 1, &end, 10);
	if (*end != '.')
		return -1;
	v->nsec = strtol(end + 1, &end, 10);
	return *end != '\0' || errno != 0 ? -1 : 0;
}

/* Writes bytes to a new file of the directory, then renames it to file. */
static int
state_write(const char *dir, const char *file, const char *bytes, size_t len,
    char **cause)
{
	char	*path;
	int	 rc;

	path = xasprintf("%s/%s", dir, file);
	rc = paths_write_file(path, bytes, len, cause);
	free(path);
	return rc;
}

/* Points NAME.good at file; returns the file it pointed at before (or NULL). */
static char *
state_point(const char *dir, const char *name, const char *file, char **cause)
{
	char	*link, *tmp, *old;

	link = xasprintf("%s/%s.good", dir, name);
	old = state_readlink(link);
	if (old != NULL && strcmp(old, file) == 0) {
		free(link);
		free(old);
		return NULL;
	}
	tmp = xasprintf("%s/.%s.%ld.%lx.lnk", dir, name, (long)getpid(),
	    (unsigned long)pthread_self());
	unlink(tmp);
	if (symlink(file, tmp) != 0 || rename(tmp, link) != 0) {
		*cause = xasprintf("%s: %s", link, strerror(errno));
		unlink(tmp);
		free(old);
		old = NULL;
	}
	free(tmp);
	free(link);
	return old;
}

/* Records an accepted version: its bytes once, then the link to them. */
int
state_accept(const char *dir, const char *deck, const char *bytes, size_t len,
    const struct state_version *v, char **cause)
{
	struct stat	 st;
	char		*file, *path, *old, *name;
	int		 rc = 0;

	*cause = NULL;
	name = deck_flat_name(deck);	/* one file of the directory, course folders too */
	file = state_file_name(name, v);
	path = xasprintf("%s/%s", dir, file);
	if (lstat(path, &st) != 0 && state_write(dir, file, bytes, len,
	    cause) != 0)
		rc = -1;
	else if ((old = state_point(dir, name, file, cause)) != NULL) {
		free(path);
		path = xasprintf("%s/%s", dir, old);
		unlink(path);
		free(old);
	} else if (*cause != NULL)
		rc = -1;
	free(path);
	free(file);
	free(name);
	return rc;
}

/* Reads the last version recorded; tries twice, as a writer may replace it meanwhile. */
int
state_last(const char *dir, const char *deck, size_t max,
    struct state_version *v, char **bytes, size_t *len)
{
	char	*link, *file, *path, *name, *cause = NULL;
	int	 tries, rc = 1;

	name = deck_flat_name(deck);
	link = xasprintf("%s/%s.good", dir, name);
	for (tries = 0; tries < 2 && rc == 1; tries++) {
		if ((file = state_readlink(link)) == NULL)
			break;
		if (state_parse_name(name, file, v) != 0) {
			free(file);
			break;
		}
		path = xasprintf("%s/%s", dir, file);
		if (bytes == NULL)
			rc = 0;
		else if (util_read_file_st(path, 1, max, bytes, len, NULL,
		    &cause) == 0) {
			if (util_hash(UTIL_HASH_INIT, *bytes, *len) == v->hash)
				rc = 0;
			else
				free(*bytes);
		}
		free(cause);
		cause = NULL;
		free(path);
		free(file);
	}
	free(link);
	free(name);
	return rc;
}

/* Removes what is recorded of a deck. */
void
state_forget(const char *dir, const char *deck)
{
	char	*link, *file, *path, *name;

	name = deck_flat_name(deck);
	link = xasprintf("%s/%s.good", dir, name);
	free(name);
	if ((file = state_readlink(link)) != NULL) {
		unlink(link);
		path = xasprintf("%s/%s", dir, file);
		unlink(path);
		free(path);
		free(file);
	}
	free(link);
}

/* Makes a private directory for one node's processes. */
int
state_dir_make(char **out, char **cause)
{
	const char	*tmp = getenv("TMPDIR");
	char		*dir;

	if (tmp == NULL || *tmp != '/')
		tmp = "/tmp";
	dir = xasprintf("%s/drfslides-state-XXXXXX", tmp);
	if (mkdtemp(dir) == NULL) {
		*cause = xasprintf("%s: %s", dir, strerror(errno));
		free(dir);
		return -1;
	}
	*out = dir;
	return 0;
}

/* Removes a private state directory and its files. */
void
state_dir_remove(const char *dir)
{
	struct dirent	*de;
	DIR		*d;
	char		*path;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		unlink(path);
		free(path);
	}
	closedir(d);
	rmdir(dir);
}
