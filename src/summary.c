/* summary.c: a deck's title, notes and page labels, for the index. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "deck.h"
#include "summary.h"
#include "util.h"

/* Returns the first line of a page body with its tags removed, for a table of contents. */
static char *
summary_first_line(const struct deck_page *pg)
{
	struct buf	 b = BUF_INIT;
	const char	*s = pg->body, *end = pg->body + pg->bodylen;
	int		 intag = 0;

	for (; s < end && b.len < 80; s++) {
		if (*s == '<')
			intag = 1;
		else if (*s == '>')
			intag = 0;
		else if (*s == '\n') {
			if (b.len > 0)
				break;
		} else if (!intag)
			buf_addc(&b, *s);
	}
	/* Do not cut a UTF-8 sequence in half. */
	while (b.len > 0 && ((unsigned char)b.data[b.len - 1] & 0xc0) == 0x80 &&
	    s < end && ((unsigned char)*s & 0xc0) == 0x80)
		b.len--, s--;
	if (b.len > 0 && (unsigned char)b.data[b.len - 1] >= 0xc0)
		b.len--;
	buf_addc(&b, '\0');
	return buf_detach(&b, NULL);
}

/* Copies what the index shows of a deck. */
struct summary *
summary_make(const struct deck *d)
{
	struct summary	*s;
	size_t		 i;

	s = xcalloc(1, sizeof *s);
	s->name = xstrdup(d->name);
	s->title = xstrdup(d->title);
	s->notes = xstrdup(d->notes);
	s->lang = xstrdup(d->lang);
	s->aspect = d->aspect;
	s->npages = d->npages;
	s->labels = xcalloc(d->npages + 1, sizeof *s->labels);
	s->labeled = xcalloc(d->npages + 1, 1);
	s->size = sizeof *s + strlen(s->name) + strlen(s->title) +
	    strlen(s->notes) + strlen(s->lang) + 4 +
	    (d->npages + 1) * (sizeof *s->labels + 1);
	for (i = 0; i < d->npages; i++) {
		s->labeled[i] = *d->pages[i].label != '\0';
		s->labels[i] = *d->pages[i].label != '\0' ?
		    xstrdup(d->pages[i].label) :
		    summary_first_line(&d->pages[i]);
		s->size += strlen(s->labels[i]) + 1;
	}
	return s;
}

/* Frees a summary. */
void
summary_free(struct summary *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	for (i = 0; i < s->npages; i++)
		free(s->labels[i]);
	free(s->labels);
	free(s->labeled);
	free(s->name);
	free(s->title);
	free(s->notes);
	free(s->lang);
	free(s);
}
