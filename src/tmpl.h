/* tmpl.h: a small logic-less template engine that escapes by default. */
#ifndef DRF_TMPL_H
#define DRF_TMPL_H

#include <stddef.h>

#include "buf.h"

/*
 * Template syntax (a subset of Mustache):
 *   {{name}}             the value of name, HTML-escaped (text and HTML values alike);
 *   {{{name}}}           the value unescaped, but only when it was set as HTML with
 *                        tdict_set_html(); a text value is still escaped;
 *   {{#name}}...{{/name}} a section: repeated for each item of a list, shown once
 *                        for a true boolean or a non-empty text/HTML value,
 *                        skipped for a missing value, false, an empty string or
 *                        an empty list;
 *   {{^name}}...{{/name}} the inverse: shown only where {{#name}} would be skipped;
 *   {{! comment }}       dropped.
 * Names are letters, digits, '_' and '-'; blanks inside the braces are allowed.
 * Inside a list item, names are looked up in the item first, then outwards.
 * A missing name renders as nothing.
 */
struct tmpl;
struct tdict;

/* Compiles a template; on error returns -1 with *cause "name:line: message". */
int	 tmpl_parse(struct tmpl **, const char *name, const char *text,
	    size_t len, char **cause);
/* Reads and compiles a template file. */
int	 tmpl_load(struct tmpl **, const char *path, char **cause);
void	 tmpl_free(struct tmpl *);
/* Appends the rendered template to out. Thread safe: a template is read-only once parsed. */
void	 tmpl_render(const struct tmpl *, const struct tdict *, struct buf *out);

/*
 * A dictionary of values for one render. String values are borrowed, not
 * copied: they must outlive the dictionary. Setting a key again replaces it.
 */
struct tdict *tdict_create(void);
void	 tdict_free(struct tdict *);		/* frees nested items too; accepts NULL */
void	 tdict_set_text(struct tdict *, const char *key, const char *, size_t);
void	 tdict_set_texts(struct tdict *, const char *key, const char *);
void	 tdict_set_html(struct tdict *, const char *key, const char *, size_t);
void	 tdict_set_bool(struct tdict *, const char *key, int);
/* Like tdict_set_html, but the dictionary takes s over (malloc'd) and frees it. */
void	 tdict_take_html(struct tdict *, const char *key, char *, size_t);
/* Like tdict_set_text, but the dictionary keeps its own copy of the string. */
void	 tdict_set_textn(struct tdict *, const char *key, const char *, size_t);
/* Like tdict_set_textn, with the text formatted. */
void	 tdict_set_textf(struct tdict *, const char *key, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* Appends a new empty item to the list named key (creating it) and returns it. */
struct tdict *tdict_add_item(struct tdict *, const char *key);
/*
 * Looks names that d lacks up in outer (borrowed: it must outlive d), after
 * every list item's scope: a table of constant strings shared by renders.
 */
void	 tdict_set_outer(struct tdict *, const struct tdict *outer);
const struct tdict *tdict_outer(const struct tdict *);
/* Makes key an empty list (so {{^key}} shows) if it is not one yet. */
void	 tdict_set_list(struct tdict *, const char *key);

#endif
