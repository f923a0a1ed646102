/* glossary.h: a deck folder's glossary entries, read by one rule for the servers, print, export and check. */
#ifndef DRF_GLOSSARY_H
#define DRF_GLOSSARY_H

#include <sys/types.h>
#include <sys/stat.h>

#include <stddef.h>

struct deck;

/*
 * The entry of a glossary term TERM is the file glossary/TERM.html beside
 * the decks (DIR/glossary for a deck DIR/NAME.drf, and above; see
 * glossary_find). The rule, the same as
 * for a deck's assets: no symbolic link is followed inside the decks folder,
 * neither the glossary folder nor the entry, and an entry is a regular file
 * of at most GLOSSARY_MAX_ENTRY bytes. What breaks the rule is refused, said
 * by check and in the server log, and served as no entry at all.
 */
#define GLOSSARY_MAX_ENTRY	((size_t)1 << 20)
#define GLOSSARY_MAX_ENTRY_NAME	"1 MiB"

/*
 * Opens the glossary folder dir without following a symbolic link in its
 * last component. Returns the descriptor (O_DIRECTORY, close on exec), or -1
 * with errno (ENOENT: there is none; ELOOP: a symbolic link).
 */
int	 glossary_dir_open(const char *dir);

/*
 * Opens the entry of term in the glossary folder dir (see above). Returns 0
 * with *fd open and *st, 1 when there is no such entry (nor folder), or -1
 * with *cause when there is one that is refused.
 */
int	 glossary_open(const char *dir, const char *term, int *fd,
	    struct stat *st, char **cause);

/* The same, reading the entry: *data (NUL-terminated, *len bytes) is allocated. */
int	 glossary_read(const char *dir, const char *term, char **data,
	    size_t *len, struct stat *st, char **cause);

/*
 * A deck in a course folder looks a term up in the glossary of its own
 * folder, then in that of each folder above it up to the decks root
 * (deck_glossary_dirs): the first entry found, or refused, is the term's,
 * so a course can refine an entry of the whole site. Returns as
 * glossary_read, from the first of the n folders dirs that has the entry.
 */
int	 glossary_find(char *const *dirs, size_t n, const char *term,
	    char **data, size_t *len, struct stat *st, char **cause);

/*
 * Adds a warning to the deck for each term with no entry or a refused one
 * in the folders dirs (when one of them exists), and one for each refused
 * folder. Returns the number of terms without a usable entry.
 */
size_t	 glossary_check(struct deck *, char *const *dirs, size_t n);

/*
 * Checks what a deck at path refers to on disk: its glossary entries, in
 * its folder and up to levels folders above (how deep it is in its decks
 * root), and its assets (is_page tells the deck's own pages from assets;
 * see deck.h).
 */
void	 glossary_check_deck(struct deck *, const char *path, size_t levels,
	    deck_is_page_fn *);

/*
 * Lists the terms of the entries in the glossary folder dir (regular files
 * TERM.html with a valid term; with all, every TERM.html, refused or not),
 * sorted; returns how many (0 when there is no folder). The caller frees
 * each and the array.
 */
size_t	 glossary_list(const char *dir, int all, char ***terms);

#endif
