/* cache.h: decks parsed once and their rendered pages kept in memory, shared by threads. */
#ifndef DRF_CACHE_H
#define DRF_CACHE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "deck.h"
#include "render.h"
#include "root.h"

/*
 * Finished bytes of one document, shared by reference. A blob never changes
 * once published; whoever holds a reference may read it from any thread.
 */
struct blob {
	char		*data;
	size_t		 len;
	char		 etag[24];	/* a quoted strong validator */
	time_t		 mtime;		/* for Last-Modified */
	unsigned	 refs;		/* atomic */
};

void	 blob_release(struct blob *);		/* accepts NULL */
struct blob *blob_retain(struct blob *);
/* Makes a blob of a rendered buffer (taking its data) with a content-derived ETag. */
struct blob *blob_from_buf(struct buf *, time_t mtime);

/*
 * One loaded version of a deck, with its pages rendered on first use. Held by
 * reference so that a reload never frees what a request is still reading.
 */
struct cache_tset;
struct cache_sum;

struct cache_deck {
	struct deck	*deck;
	time_t		 mtime;
	struct blob	**pages;	/* npages slots, NULL until rendered */
	struct blob	*display;
	struct blob	*entry;		/* starting at page 0 */
	unsigned	 refs;		/* atomic */
	size_t		 cost;		/* bytes charged against the cache's bound */
	size_t		 kept;		/* of which, its rendered pages */
	int		 charged;	/* still counted: the current version of a deck */
	struct cache_tset *ts;		/* what the blobs were rendered with */
	struct cache_sum *sum;		/* what the index shows of it */
	uint64_t	 hash;		/* of the file's bytes (with a state directory) */
	/*
	 * The decks root the file was read from: the glossary entries and the
	 * deck's files of an answer about this version come from the same
	 * release (root->dir), whatever the root link says by now.
	 */
	struct root	*root;
};

struct cache_config {
	const char		*decks_dir;
	const char		*templates_dir;
	size_t			 max_bytes;	/* bound on cached decks and pages */
	/* Shared by the processes of a node (see state.h), or NULL. */
	const char		*state_dir;
	unsigned		 stat_interval_ms;
	struct deck_limits	 limits;
	/* Called with each error line (e.g. "smtp.drf:3: error: ..."); may be NULL. */
	void			(*log)(void *, const char *);
	void			*log_arg;
	/* Tells a deck's pages from its assets (the route table's answer); may be NULL. */
	deck_is_page_fn		*is_page;
	enum render_links	 links;		/* how cached documents link */
};

struct cache;

/* Creates a cache; fails (with *cause) if the templates cannot be loaded. */
int	 cache_create(struct cache **, const struct cache_config *, char **cause);
void	 cache_free(struct cache *);		/* accepts NULL */

enum cache_status {
	CACHE_OK,
	CACHE_NOT_FOUND,	/* no such deck file */
	CACHE_BROKEN		/* the deck fails to load and there is no good version */
};

/*
 * Returns the current version of deck name, loading or reloading it when its
 * file changed (device, inode, size, mtime in ns; checked at most once per
 * stat interval). A deck whose new version fails keeps its last good version
 * and the error is logged. *error gets an allocated message whenever the file
 * on disk does not load now (with CACHE_OK: the last good version is being
 * served). Release the version with cache_deck_release().
 */
enum cache_status cache_get(struct cache *, const char *name,
	    struct cache_deck **, char **error);
/*
 * The same; when *error is set, *failure (when not NULL) gets a copy of it
 * as a diagnostic with the failing line's bytes (dg.msg NULL when the file
 * could not be read at all). deck_error_free() it.
 */
enum cache_status cache_get_failure(struct cache *, const char *name,
	    struct cache_deck **, char **error, struct deck_error *failure);
void	 cache_deck_release(struct cache_deck *);
/*
 * Returns the version of deck name this process holds now, with a
 * reference, without looking at its file or waiting for a load: NULL when
 * it holds none (then cache_get). For answers that must never wait behind
 * a parse, such as the followers' position.
 */
struct cache_deck *cache_peek(struct cache *, const char *name);

/* Returns page n of a version (n < npages), rendering it on first use; a new reference. */
struct blob *cache_page(struct cache *, struct cache_deck *, size_t n);
struct blob *cache_entry(struct cache *, struct cache_deck *);
struct blob *cache_display(struct cache *, struct cache_deck *);

/* The templates in use now (reloaded when their files change), with a reference. */
struct cache_tset *cache_templates(struct cache *);
const struct render_templates *cache_tset_templates(const struct cache_tset *);
void	 cache_tset_release(struct cache_tset *);	/* accepts NULL */

/* The newer of a version's file time and the templates' (the templates' alone for NULL). */
time_t	 cache_mtime(struct cache *, const struct cache_deck *);

/*
 * Reads the entry of a glossary term from the glossary beside a version's
 * deck (in its release), by the rule of glossary.h. Returns 0 with *data (allocated, *len bytes)
 * and the entry's *mtime; 1 when there is none, or it is refused, which is
 * logged (the same cause at most once a minute).
 */
int	 cache_glossary(struct cache *, const struct cache_deck *,
	    const char *term, char **data, size_t *len, time_t *mtime);

/*
 * Returns the index of every deck at the top of the decks that has a good
 * version (a new reference), from each deck's summary: its title, notes and
 * page labels, made once per version of its file and kept when the deck
 * itself is not; and the course folders there. Rendered again only when
 * cache_watch() changes, once per interface language: the one accept (the
 * request's Accept-Language, or NULL) asks for, else most of the listed
 * decks' (lang.h). The dev server's (RENDER_DEV) also lists the decks that
 * fail to load, with their first error. links, public_url and
 * frame_ancestors as for render_index_site().
 */
struct blob *cache_index(struct cache *, const char *accept,
	    const char *public_url, const char *frame_ancestors,
	    enum render_links);
/* Returns a course's title (allocated), as its index shows it. */
char	*cache_course_title(struct cache *, const char *course);
/*
 * Reads the title of a course (a folder name below the decks root) and of
 * each course above it, as their indexes show them (course.txt's title,
 * else the folder's name): *titles gets them from the top's course down to
 * this one, each allocated, the caller frees each and the array. Returns
 * how many (0 for the top, "" or NULL).
 */
size_t	 cache_course_titles(struct cache *, const char *course,
	    char ***titles);
/*
 * cache_index() for a course folder ("networks1", "uni/networks1"; "" is the
 * top): its decks and courses, its course.txt and the way up to the top
 * (render_index_course()). Each course's index is kept, per interface
 * language, until cache_watch() changes.
 */
struct blob *cache_course_index(struct cache *, const char *course,
	    const char *accept, const char *public_url,
	    const char *frame_ancestors, enum render_links);
/*
 * Returns 1 if name is a course folder below the decks root, as the last
 * look at the decks (once per stat interval) found it: a folder (no
 * symbolic link on the way) within DECK_DEPTH_MAX, named as decks are, not
 * "glossary", that holds a deck or a course.txt at some depth. A folder
 * beside a deck of the same name is that deck's folder of assets; callers
 * look for the deck first.
 */
int	 cache_course(struct cache *, const char *name);

/*
 * Identifies the current good version of a deck (loading its summary, as
 * the index does, when the file is new or changed): a number never given
 * to another version in this process; 0 when the deck has none.
 */
uint64_t cache_version_id(struct cache *, const char *name);
/* The same number for a version in hand. */
uint64_t cache_deck_version_id(const struct cache_deck *);

/* Lists the deck names at the top of the directory, sorted; caller frees each and the array. */
size_t	 cache_list(struct cache *, char ***);
/*
 * Lists every deck below the top, in its course folders too, and every
 * course folder (*ncourses of them); the caller frees each and the arrays.
 */
size_t	 cache_list_tree(struct cache *, char ***decks, char ***courses,
	    size_t *ncourses);

/*
 * Returns a hash of the state of every deck file in the directory and its
 * course folders, their course.txt files and of the template files, by the
 * identities cache_get compares (and whether a file may be half-saved): it
 * changes when a deck or course is added, removed or changed, or a template
 * changes. Looked at once per stat interval.
 */
uint64_t cache_watch(struct cache *);

/* Figures for tests and logs. */
struct cache_stats {
	size_t	 decks;
	size_t	 bytes;
	uint64_t loads;
	uint64_t evictions;
	uint64_t summaries;	/* of the loads, those made for the index alone */
};
void	 cache_stats(struct cache *, struct cache_stats *);

/*
 * The most a document made of every page of a deck (print, overview) may
 * take: a quarter of the cache's bound. Larger ones are refused, not built.
 */
size_t	 cache_whole_limit(const struct cache *);

/* The decks directory. */
const char *cache_decks_dir(const struct cache *);

#endif
