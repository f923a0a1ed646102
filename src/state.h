/* state.h: the version of each deck the processes of one node accepted, in a directory they share. */
#ifndef DRF_STATE_H
#define DRF_STATE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/*
 * The processes of a node (the FastCGI workers) each keep their own cache.
 * So that they serve the same version of a deck, each one records here the
 * version it accepted (parsed without error) from the deck's file: a copy
 * of its bytes, named by their identity. A process that cannot parse the
 * file now, and holds another version than the last one recorded, parses
 * the recorded copy and serves that.
 *
 * In the directory, for deck NAME: NAME.HASH.SIZE.SEC.NSEC holds the bytes
 * (HASH: util_hash of them, 16 hex digits; SIZE and the modification time
 * of the file they were read from), and NAME.good is a symbolic link to
 * the last one accepted. Both are replaced by rename(2), so a reader sees
 * a whole version or the one before. A deck in a course folder is named
 * by deck_flat_name ("networks1+week05-tcp"), a file of the directory.
 */
struct state_version {
	uint64_t	 hash;
	long long	 size;
	long long	 sec;
	long		 nsec;
};

/* Records the bytes of a version accepted now; -1 with *cause on failure. */
int	 state_accept(const char *dir, const char *name, const char *bytes,
	    size_t len, const struct state_version *, char **cause);
/*
 * Reads the last version recorded for a deck: 0 with *v and, when bytes is
 * not NULL, its *bytes (allocated, *len of them, checked against the hash);
 * 1 when there is none (or it is unreadable or damaged).
 */
int	 state_last(const char *dir, const char *name, size_t max,
	    struct state_version *v, char **bytes, size_t *len);
/* Forgets a deck whose file is gone. */
void	 state_forget(const char *dir, const char *name);

/* Makes a private state directory in $TMPDIR (or /tmp); -1 with *cause. */
int	 state_dir_make(char **dir, char **cause);
/* Removes a state directory made by state_dir_make, with what is in it. */
void	 state_dir_remove(const char *dir);

#endif
