/* root.h: the decks root, a folder or a symbolic link that a release flips, resolved once per check. */
#ifndef DRF_ROOT_H
#define DRF_ROOT_H

/*
 * One resolution of the decks root: the folder every file of an answer is
 * read from, so that an answer never mixes two releases. Immutable once
 * made; held by reference (atomic), so a request keeps reading the release
 * it started with after the link has moved on.
 */
struct root {
	char		*dir;		/* the folder, links resolved */
	unsigned	 refs;		/* atomic */
};

struct root	*root_retain(struct root *);
void		 root_release(struct root *);	/* accepts NULL */

/*
 * The configured root and its current resolution. Thread-safe. A root that
 * is a symbolic link (release tools: "ln -s release2 tmp && mv -T tmp
 * decks") is resolved again at most once per interval; any other path is
 * used as it is. A link that does not resolve now keeps the last folder it
 * did (reported through *cause once per change).
 */
struct root_watch;

struct root_watch *root_watch_create(const char *path, unsigned interval_ms);
void		 root_watch_free(struct root_watch *);	/* accepts NULL */

/*
 * Returns the current root with a reference, resolving the path again when
 * the interval has passed at time now (ms). *cause (may be NULL) gets an
 * allocated message when a resolution failed just now.
 */
struct root	*root_watch_get(struct root_watch *, unsigned long long now,
		    char **cause);

#endif
