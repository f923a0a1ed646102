/* deck.h: a parsed and expanded deck: notes, pages and the frame around them. */
#ifndef DRF_DECK_H
#define DRF_DECK_H

#include <stddef.h>

#include "diag.h"

struct stat;

#define DECK_MAX_SOURCE		((size_t)64 << 20)
#define DECK_MAX_EXPANDED	((size_t)256 << 20)

/* Bounds on what one deck may cost; see drf(5), LIMITS. */
struct deck_limits {
	size_t	 max_source;	/* bytes of the file as read */
	size_t	 max_expanded;	/* bytes of all page bodies after substitution */
};

struct deck_page {
	unsigned long	 line;		/* the separator's line */
	const char	*label;		/* text after the dashes, trimmed; "" if none */
	const char	*title;		/* plain text in force at the separator */
	const char	*header;	/* author's HTML in force at the separator */
	const char	*footer;
	char		*body;		/* expanded lines, each ending in "\n" */
	size_t		 bodylen;
	unsigned	 typeset;	/* TYPESET_CODE, TYPESET_MATH (typeset.h) */
	/*
	 * The speaker notes (#note lines), expanded HTML lines each ending in
	 * "\n", or NULL: for the presenter only, never in a public document.
	 */
	char		*notes;
	size_t		 noteslen;
};

/* A glossary term used by the deck, with the line where it first appears. */
struct deck_term {
	char		*term;
	unsigned long	 line;
};

/*
 * A relative reference of the deck's HTML (src= or href=, see refs.h), with
 * the line it is on: the path it names in the deck's asset folder, decoded.
 */
struct deck_ref {
	char		*path;
	unsigned long	 line;
};

/*
 * A deck owns everything it points to and is immutable once loaded, so any
 * number of threads may read it at once.
 */
struct deck {
	char		*file;		/* the path as given, for messages */
	/*
	 * The deck's name: the file's base name without ".drf", or, for a
	 * deck in a course folder of a decks root, its path below the root
	 * ("networks1/week05-tcp", see deck_set_name); base is its last part.
	 */
	char		*name;
	const char	*base;
	char		*title;		/* plain text */
	char		*notes;		/* preamble text lines, "\n"-separated */
	const char	*lang;		/* #lang's tag, or "ja" or "en" as detected */
	char		*charset;	/* what the file was read as */
	int		 charset_guessed; /* by the fallback guess, not UTF-8 or #charset */
	const char	*aspect;	/* "16:9" or "4:3" (#aspect) */
	const char	*theme;		/* "default" or "high-contrast" (#theme) */
	struct deck_page *pages;
	size_t		 npages;
	struct deck_term *terms;	/* distinct glossary terms, in order of first use */
	size_t		 nterms;
	size_t		 expanded;	/* total bytes of page bodies */
	struct deck_ref	*refs;		/* relative references, in order of lines */
	size_t		 nrefs;
	struct diags	 diags;		/* warnings and errors that did not stop loading */
	unsigned	 typeset;	/* what any page has (typeset.h) */
	unsigned long	 code_line;	/* the first code block's line, 0 if none */
	unsigned long	 math_line;	/* the first formula's line, 0 if none */
	char		**strs;		/* titles, headers, footers, labels the pages share */
	size_t		 nstrs;
	char		**chunks;	/* the memory the page bodies are in */
	size_t		 nchunks;
};

void	 deck_limits_default(struct deck_limits *);

/*
 * Why a deck did not load, as a diagnostic: the error's line (0 when it is
 * not tied to one) and message without the place, and the bytes of that line
 * as they were read (text, textlen; NULL when there is none).
 */
struct deck_error {
	struct diag	 dg;
	char		*text;
	size_t		 textlen;
};
void	 deck_error_free(struct deck_error *);	/* empties it; accepts NULL */
void	 deck_error_copy(struct deck_error *, const struct deck_error *);

/*
 * Reads, decodes, parses and expands the deck at path. On failure returns -1
 * with *cause "file:line: message". limits may be NULL for the defaults.
 */
int	 deck_load(struct deck **, const char *path, const struct deck_limits *,
	    char **cause);

/*
 * Like deck_load; with nofollow, a symbolic link is refused (the servers' rule).
 * Returns -2 if the file could not be read (open or read failed), -1 otherwise.
 * st, if not NULL, gets the state of the file whose bytes were read; err, if
 * not NULL and zeroed, gets the error of a deck that was read but fails
 * (deck_error_free() it).
 */
int	 deck_load_file(struct deck **, const char *path,
	    const struct deck_limits *, int nofollow, struct stat *st,
	    char **cause, struct deck_error *err);

/*
 * The same; when raw is not NULL, *raw gets a copy of the bytes as they were
 * read (*rawlen of them, NUL-terminated; the caller frees it) whenever the
 * file was read, whether or not it parses.
 */
int	 deck_load_file_raw(struct deck **, const char *path,
	    const struct deck_limits *, int nofollow, struct stat *st,
	    char **cause, struct deck_error *err, char **raw, size_t *rawlen);

/* Like deck_load on bytes already read; takes ownership of bytes (len + 1 writable). */
int	 deck_parse(struct deck **, const char *file, char *bytes, size_t len,
	    const struct deck_limits *, char **cause);

void	 deck_free(struct deck *);		/* accepts NULL */

/*
 * Derives a deck name from a file name: the base name without ".drf". Returns
 * NULL if the result is not a valid deck name (see deck_name_valid).
 */
char	*deck_name_from_path(const char *);

/*
 * Says whether a path relative to a deck's folder is one of its pages or
 * routes (given by whoever serves the deck; the engine knows no routes).
 */
typedef int deck_is_page_fn(const char *, size_t);

/* A deck name is 1 to DECK_NAME_MAX ASCII letters, digits, '_' and '-', not starting with '-'. */
#define DECK_NAME_MAX	100
int	 deck_name_valid(const char *, size_t);
/* Returns the first page that carries label (len bytes), or d->npages for none. */
size_t	 deck_label_page(const struct deck *, const char *label, size_t len);

/*
 * Decks may sit in course folders below the decks root, at most
 * DECK_DEPTH_MAX folders deep: "networks1/week05-tcp" is the deck
 * networks1/week05-tcp.drf. A deck path is one to DECK_DEPTH_MAX + 1 deck
 * names joined by single '/', no folder named "glossary" (that folder is a
 * glossary, not a course); so it never holds ".." nor leads out of the root.
 */
#define DECK_DEPTH_MAX	4
#define DECK_PATH_MAX	((DECK_DEPTH_MAX + 1) * (DECK_NAME_MAX + 1) - 1)
int	 deck_path_valid(const char *, size_t);
/* Returns 1 if a folder name may be a course's (a deck name, not "glossary"). */
int	 deck_course_name_valid(const char *, size_t);

/*
 * Returns a deck's name as one file name or header token, for what stands
 * for the deck outside the decks folder (state files, positions, purge
 * keys): its '/' as '+', a character no name has. Caller frees.
 */
char	*deck_flat_name(const char *);
/* The same in place. */
void	 deck_flatten(char *);

/* Gives a loaded deck its name below the decks root (deck_path_valid), before it is shared. */
void	 deck_set_name(struct deck *, const char *);

/*
 * Adds a warning for every relative reference of the deck that names no
 * regular file in its asset folder dir (see asset.h), or leaves it with
 * "..". References to the deck's own pages and routes are not assets.
 * Returns the number of such references.
 */
size_t	 deck_check_assets(struct deck *, const char *dir, deck_is_page_fn *);

/*
 * Returns 1 if a reference names one of the deck's pages or routes rather
 * than an asset: what is_page says (the servers' route table; NULL for
 * none), or a 2001 page name NAMEN.html.
 */
int	 deck_ref_is_page(const struct deck *, const char *, deck_is_page_fn *);

/* Returns the directory that holds a deck's glossary ("DIR/glossary"); caller frees. */
char	*deck_glossary_dir(const char *path);
/*
 * Returns the glossary folders a deck at path looks its terms up in, in
 * order: its own folder's, then those of up to levels folders above it
 * (levels: how deep the deck is below its decks root). *n gets how many;
 * the caller frees each and the array.
 */
char	**deck_glossary_dirs(const char *path, size_t levels, size_t *n);

#endif
