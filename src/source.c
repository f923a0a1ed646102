/* source.c: decoding deck bytes to UTF-8 text and splitting it into lines. */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "source.h"
#include "util.h"

#define SOURCE_HIGHS	0x8080808080808080ULL

/* The fallback encodings tried, in order, for a file that is not UTF-8. */
static const char *source_fallbacks[] = { "EUC-JP", "CP932" };

/*
 * Sets *cause to "file:line: message", keeps line, column (0: none) and
 * message in src; returns -1.
 */
static int __attribute__((format(printf, 6, 7)))
source_error(struct source *src, char **cause, const char *file,
    unsigned long line, size_t col, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	free(src->err_msg);
	src->err_msg = xvasprintf(fmt, ap);
	va_end(ap);
	src->err_line = line;
	src->err_col = col;
	*cause = xasprintf("%s:%lu: %s", file, line, src->err_msg);
	return -1;
}

/* How far ahead one look for a CR goes. */
#define SOURCE_CR_AHEAD	65536

/*
 * Returns the first LF or CR from it->p on, or the end. Where the last look
 * for a CR stopped (at a CR, or SOURCE_CR_AHEAD bytes on) is remembered
 * until it is passed: most decks have no CR, and then one memchr answers for
 * many lines. Both searches stay linear overall.
 */
static const char *
source_find_eol(struct source_iter *it)
{
	const char	*p = it->p, *lf, *cr;
	size_t		 n;

	for (;;) {
		if (it->cr == NULL || it->cr < p || (it->cr == p &&
		    it->cr != it->end && *it->cr != '\r')) {
			n = (size_t)(it->end - p);
			if (n > SOURCE_CR_AHEAD)
				n = SOURCE_CR_AHEAD;
			cr = memchr(p, '\r', n);
			it->cr = cr != NULL ? cr : p + n;
		}
		/* No CR in [p, it->cr). */
		lf = memchr(p, '\n', (size_t)(it->cr - p));
		if (lf != NULL)
			return lf;
		if (it->cr == it->end || *it->cr == '\r')
			return it->cr;
		p = it->cr;
	}
}

/*
 * Checks one UTF-8 sequence, or a run of ASCII, exactly; returns its length,
 * or 0 if the sequence at i is not valid.
 */
static size_t
source_utf8_step(const unsigned char *u, size_t i, size_t len)
{
	uint64_t	 w;
	uint16_t	 h;
	size_t		 need, k, start = i;
	unsigned char	 c, lo, hi;

	/* Skip runs of ASCII eight bytes at a time. */
	while (len - i >= 8) {
		memcpy(&w, u + i, sizeof w);
		if (w & SOURCE_HIGHS)
			break;
		i += 8;
	}
	while (i < len && u[i] < 0x80)
		i++;
	if (i != start || i == len)
		return i - start;
	c = u[i];
	/* The common case in Japanese text: runs of E1-EC or EE-EF xx xx. */
	if (c >= 0xe1 && c != 0xed && c <= 0xef) {
		while (len - i >= 3) {
			c = u[i];
			memcpy(&h, u + i + 1, sizeof h);
			if (c < 0xe1 || c > 0xef || c == 0xed ||
			    (h & 0xc0c0) != 0x8080)
				break;
			i += 3;
		}
		/* A bad sequence falls through to the exact checks below. */
		if (i != start)
			return i - start;
	}
	lo = 0x80;
	hi = 0xbf;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1;
	else if (c == 0xe0) {
		need = 2;
		lo = 0xa0;	/* no overlongs */
	} else if (c == 0xed) {
		need = 2;
		hi = 0x9f;	/* no UTF-16 surrogates */
	} else if (c >= 0xe1 && c <= 0xef)
		need = 2;
	else if (c == 0xf0) {
		need = 3;
		lo = 0x90;	/* no overlongs */
	} else if (c >= 0xf1 && c <= 0xf3)
		need = 3;
	else if (c == 0xf4) {
		need = 3;
		hi = 0x8f;	/* nothing past U+10FFFF */
	} else
		return 0;
	if (len - i - 1 < need)
		return 0;
	if (u[i + 1] < lo || u[i + 1] > hi)
		return 0;
	for (k = 2; k <= need; k++) {
		if (u[i + k] < 0x80 || u[i + k] > 0xbf)
			return 0;
	}
	return need + 1;
}

#ifdef __SSE2__
/*
 * Checks as many whole blocks of 16 bytes from i as hold only ASCII, leads
 * C2-DF, E1-EC or EE-EF and continuation bytes in their places, with a mask
 * per kind of byte; returns where the checked text ends on a character
 * boundary. Any other byte (or a misplaced one) stops it, for the exact
 * checks to judge.
 */
static size_t
source_utf8_blocks(const unsigned char *u, size_t i, size_t len)
{
	__m128i		 v;
	unsigned int	 high, cont, ge_c2, ge_e0, other, need, carry = 0;

	while (len - i >= 16) {
		v = _mm_loadu_si128((const __m128i *)(u + i));
		high = (unsigned int)_mm_movemask_epi8(v);
		if (high == 0 && carry == 0) {
			i += 16;
			continue;
		}
		/* Signed bytes: 80-BF are below -64, C2 and up above -63. */
		cont = (unsigned int)_mm_movemask_epi8(_mm_cmplt_epi8(v,
		    _mm_set1_epi8(-64)));
		ge_c2 = (unsigned int)_mm_movemask_epi8(_mm_cmpgt_epi8(v,
		    _mm_set1_epi8(-63))) & high;
		ge_e0 = (unsigned int)_mm_movemask_epi8(_mm_cmpgt_epi8(v,
		    _mm_set1_epi8(-33))) & high;
		/* C0, C1, E0, ED and F0-FF need the exact checks. */
		other = (high & ~cont & ~ge_c2) |
		    ((unsigned int)_mm_movemask_epi8(_mm_cmpgt_epi8(v,
		    _mm_set1_epi8(-17))) & high) |
		    (unsigned int)_mm_movemask_epi8(_mm_or_si128(
		    _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xe0)),
		    _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xed))));
		/* Each lead wants one (C2-DF) or two (E1-EF) continuations. */
		need = carry | ge_c2 << 1 | ge_e0 << 2;
		if (other != 0 || (need & 0xffff) != cont)
			break;
		carry = need >> 16;
		i += 16;
	}
	/* Back up to the lead of a sequence the last block left open. */
	if (carry != 0) {
		i--;
		if ((u[i] & 0xc0) == 0x80)
			i--;
	}
	return i;
}
#endif

/* Checks for strict UTF-8; stores the offset of the first bad byte. */
int
source_valid_utf8(const char *s, size_t len, size_t *bad)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, n, stop;

	while (i < len) {
#ifdef __SSE2__
		i = source_utf8_blocks(u, i, len);
		if (i == len)
			break;
		/* Judge a block's worth exactly before trying blocks again. */
		stop = len - i > 16 ? i + 16 : len;
#else
		stop = len;
#endif
		while (i < stop) {
			if ((n = source_utf8_step(u, i, len)) == 0)
				goto fail;
			i += n;
		}
	}
	return 1;

fail:
	if (bad != NULL)
		*bad = i;
	return 0;
}

/* Returns the line number of offset off; s[off] must be readable if off > 0. */
unsigned long
source_line_of(const char *s, size_t off)
{
	unsigned long	 line = 1;
	size_t		 i;

	/* An LF always ends a line; a CR does unless an LF follows it. */
	for (i = 0; i < off; i++) {
		if (s[i] == '\n')
			line++;
		else if (s[i] == '\r' && s[i + 1] != '\n')
			line++;
	}
	return line;
}

/* Starts iterating over the lines of s[0..len). */
void
source_iter_init(struct source_iter *it, const char *s, size_t len)
{
	it->p = s;
	it->end = s == NULL ? s : s + len;
	it->cr = NULL;
	it->lineno = 0;
}

/* Returns the next line without its terminator, or -1 when none is left. */
int
source_next_line(struct source_iter *it, const char **line, size_t *len,
    unsigned long *lineno)
{
	const char	*q;

	if (it->p == NULL || it->p >= it->end)
		return -1;
	q = source_find_eol(it);
	if (line != NULL)
		*line = it->p;
	if (len != NULL)
		*len = (size_t)(q - it->p);
	it->lineno++;
	if (lineno != NULL)
		*lineno = it->lineno;
	if (q == it->end)
		it->p = it->end;
	else if (*q == '\r' && q + 1 < it->end && q[1] == '\n')
		it->p = q + 2;
	else
		it->p = q + 1;
	return 0;
}

/* Releases a source; accepts a zeroed struct and leaves it zeroed. */
void
source_free(struct source *src)
{
	if (src == NULL)
		return;
	free(src->base);
	free(src->charset);
	free(src->err_msg);
	free(src->err_text);
	memset(src, 0, sizeof *src);
}

/* Names a UTF-16 or UTF-32 byte-order mark at the start of the data, if any. */
static const char *
source_wide_bom(const unsigned char *u, size_t len)
{
	if (len >= 4 && u[0] == 0xff && u[1] == 0xfe && u[2] == 0 && u[3] == 0)
		return "UTF-32 (little-endian)";
	if (len >= 4 && u[0] == 0 && u[1] == 0 && u[2] == 0xfe && u[3] == 0xff)
		return "UTF-32 (big-endian)";
	if (len >= 2 && u[0] == 0xff && u[1] == 0xfe)
		return "UTF-16 (little-endian)";
	if (len >= 2 && u[0] == 0xfe && u[1] == 0xff)
		return "UTF-16 (big-endian)";
	return NULL;
}

/*
 * Returns 1 if s[0..len) has the shape of EUC-JP: ASCII, or pairs of bytes
 * A1-FE, or 8E and a half-width katakana, or 8F and two bytes A1-FE. glibc's
 * decoder also accepts lone bytes 80-9F as C1 controls, which would let most
 * Shift_JIS text pass as EUC-JP garbage.
 */
static int
source_shaped_eucjp(const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0;

	while (i < len) {
		if (u[i] < 0x80)
			i++;
		else if (u[i] == 0x8e) {
			if (len - i < 2 || u[i + 1] < 0xa1 || u[i + 1] > 0xdf)
				return 0;
			i += 2;
		} else if (u[i] == 0x8f) {
			if (len - i < 3 || u[i + 1] < 0xa1 || u[i + 1] > 0xfe ||
			    u[i + 2] < 0xa1 || u[i + 2] > 0xfe)
				return 0;
			i += 3;
		} else if (u[i] >= 0xa1 && u[i] <= 0xfe) {
			if (len - i < 2 || u[i + 1] < 0xa1 || u[i + 1] > 0xfe)
				return 0;
			i += 2;
		} else
			return 0;
	}
	return 1;
}

/* Returns 1 if the name means UTF-8. */
static int
source_is_utf8(const char *name)
{
	return strcasecmp(name, "UTF-8") == 0 || strcasecmp(name, "UTF8") == 0;
}

/*
 * Maps a charset name to the one given to iconv. Shift_JIS decks come from
 * Windows and mean CP932: plain SHIFT_JIS would turn every backslash (0x5C)
 * into a yen sign and every tilde into an overline, breaking HTML and script.
 */
static const char *
source_iconv_name(const char *name)
{
	if (strcasecmp(name, "Shift_JIS") == 0 ||
	    strcasecmp(name, "Shift-JIS") == 0 ||
	    strcasecmp(name, "SJIS") == 0 ||
	    strcasecmp(name, "MS_Kanji") == 0)
		return "CP932";
	return name;
}

/*
 * Converts in[0..inlen) from charset from to UTF-8 into a new NUL-terminated
 * allocation. Returns 0 on success, -1 if iconv does not know the charset, or
 * -2 with *bad set to the offset of the byte that does not convert and *err
 * to EILSEQ (invalid) or EINVAL (incomplete at the end).
 */
static int
source_iconv(const char *from, char *in, size_t inlen, char **out,
    size_t *outlen, size_t *bad, int *err)
{
	iconv_t	 cd;
	char	*ip = in, *ob, *op;
	size_t	 inleft = inlen, cap, oleft, used, r;
	int	 flushing = 0;

	cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return -1;

	/* Room for the common case (two bytes in, three out); grown on E2BIG. */
	if (inlen > (SIZE_MAX - 64) / 2)
		abort();
	cap = inlen + inlen / 2 + 64;
	ob = xmalloc(cap + 1);
	op = ob;
	oleft = cap;
	for (;;) {
		if (!flushing)
			r = iconv(cd, &ip, &inleft, &op, &oleft);
		else
			r = iconv(cd, NULL, NULL, &op, &oleft);
		if (r != (size_t)-1) {
			if (flushing)
				break;
			flushing = 1;	/* write any final shift sequence */
			continue;
		}
		if (errno == E2BIG) {
			used = (size_t)(op - ob);
			if (cap > (SIZE_MAX - 1) / 2)
				abort();
			cap *= 2;
			ob = xreallocarray(ob, cap + 1, 1);
			op = ob + used;
			oleft = cap - used;
			continue;
		}
		*err = errno;
		*bad = (size_t)(ip - in);
		free(ob);
		iconv_close(cd);
		return -2;
	}
	iconv_close(cd);
	*op = '\0';
	*out = ob;
	*outlen = (size_t)(op - ob);
	return 0;
}

/* Counts the characters of UTF-8 text; a byte that is not UTF-8 is one. */
size_t
source_utf8_chars(const char *s, size_t len)
{
	size_t	 i, n = 0, bad;

	while (len > 0) {
		if (source_valid_utf8(s, len, &bad))
			bad = len;
		for (i = 0; i < bad; i++)
			if (((unsigned char)s[i] & 0xc0) != 0x80)
				n++;
		if (bad < len) {
			n++;		/* the byte that is not UTF-8 */
			bad++;
		}
		s += bad;
		len -= bad;
	}
	return n;
}

/*
 * Finds the line (1-based) of offset off in s, and its column both in bytes
 * (for pointing at it) and in characters as an editor counts them (for the
 * message): the bytes before it read in charset (NULL: UTF-8).
 */
static void
source_locate(const char *s, size_t off, const char *charset,
    unsigned long *line, size_t *col, size_t *chars)
{
	size_t	 start = off, outlen, bad;
	char	*out;
	int	 err;

	*line = source_line_of(s, off);
	while (start > 0 && s[start - 1] != '\n' && s[start - 1] != '\r')
		start--;
	*col = off - start + 1;
	*chars = source_utf8_chars(s + start, off - start) + 1;
	if (charset != NULL && !source_is_utf8(charset) &&
	    source_iconv(source_iconv_name(charset), (char *)s + start,
	    off - start, &out, &outlen, &bad, &err) == 0) {
		*chars = source_utf8_chars(out, outlen) + 1;
		free(out);
	}
}

/*
 * Looks for "#charset NAME" before the first page separator. Returns 0 with
 * *name set (or NULL if there is none) and *line its line, or -1 on error.
 */
static int
source_find_charset(struct source *src, const char *file, const char *data,
    size_t len, char **name, unsigned long *line, char **cause)
{
	struct source_iter	 it;
	const char		*l, *p, *e, *q;
	size_t			 n;
	unsigned long		 no;

	*name = NULL;
	*line = 0;
	source_iter_init(&it, data, len);
	while (source_next_line(&it, &l, &n, &no) == 0) {
		if (n >= 3 && memcmp(l, "---", 3) == 0)
			break;
		if (n < 8 || memcmp(l, "#charset", 8) != 0)
			continue;
		if (n > 8 && l[8] != ' ' && l[8] != '\t')
			continue;	/* "#charsets" is another word */
		e = l + n;
		for (p = l + 8; p < e && (*p == ' ' || *p == '\t'); p++)
			/* nothing */;
		for (q = p; q < e && *q != ' ' && *q != '\t'; q++)
			/* nothing */;
		if (q == p) {
			free(*name);
			*name = NULL;
			return source_error(src, cause, file, no, 0,
			    "#charset needs the name of an encoding, such as "
			    "\"#charset EUC-JP\" or \"#charset Shift_JIS\"");
		}
		if (*name == NULL) {
			*name = xstrndup(p, (size_t)(q - p));
			*line = no;
			continue;
		}
		if ((size_t)(q - p) != strlen(*name) ||
		    strncasecmp(p, *name, (size_t)(q - p)) != 0) {
			source_error(src, cause, file, no, 0,
			    "this #charset %.*s contradicts #charset %s on "
			    "line %lu; keep only one", (int)(q - p), p, *name,
			    *line);
			free(*name);
			*name = NULL;
			return -1;
		}
	}
	return 0;
}

/* Builds the message for a byte that is not valid UTF-8. */
static int
source_bad_utf8(struct source *src, const char *file, const char *data,
    size_t off, const char *advice, char **cause)
{
	unsigned long	 line;
	size_t		 col, chars;

	source_locate(data, off, NULL, &line, &col, &chars);
	return source_error(src, cause, file, line, col,
	    "invalid UTF-8 (byte 0x%02x at column %zu)%s",
	    (unsigned char)data[off], chars, advice);
}

/* Checks converted text and fills src with it, skipping a leading BOM. */
static int
source_take(struct source *src, const char *file, char *out, size_t outlen,
    const char *charset, char **cause)
{
	const char	*nul;
	size_t		 bad, skip = 0;
	unsigned long	 line;

	nul = memchr(out, '\0', outlen);
	if (nul != NULL) {
		line = source_line_of(out, (size_t)(nul - out));
		free(out);
		return source_error(src, cause, file, line, 0,
		    "converting from %s produced a NUL byte", charset);
	}
	if (!source_valid_utf8(out, outlen, &bad)) {
		line = source_line_of(out, bad);
		free(out);
		return source_error(src, cause, file, line, 0,
		    "converting from %s produced invalid UTF-8", charset);
	}
	if (outlen >= 3 && memcmp(out, "\xef\xbb\xbf", 3) == 0)
		skip = 3;
	src->base = out;
	src->text = out + skip;
	src->len = outlen - skip;
	src->charset = xstrdup(charset);
	return 0;
}

/* Keeps the bytes as they are: data (inside bytes) is the UTF-8 text. */
static int
source_keep(struct source *src, char *bytes, const char *data, size_t dlen,
    char *charset)
{
	src->charset = charset;
	src->base = bytes;
	src->text = data;
	src->len = dlen;
	return 0;
}

/*
 * Decodes bytes by the encoding a #charset line on line nline names, taking
 * ownership of bytes and name.
 */
static int
source_decode_named(struct source *src, const char *file, char *bytes,
    char *data, size_t dlen, char *name, unsigned long nline,
    char **cause)
{
	char		*out;
	size_t		 bad, badout, outlen, col, chars;
	unsigned long	 line;
	int		 r, err;

	if (source_is_utf8(name)) {
		if (source_valid_utf8(data, dlen, &bad))
			return source_keep(src, bytes, data, dlen, name);
		source_bad_utf8(src, file, data, bad, ", although "
		    "#charset says UTF-8", cause);
		goto fail;
	}
	r = source_iconv(source_iconv_name(name), data, dlen, &out,
	    &outlen, &badout, &err);
	if (r == -1) {
		source_error(src, cause, file, nline, 0, "unknown charset %s; "
		    "use a name iconv knows, such as EUC-JP, "
		    "Shift_JIS or UTF-8", name);
		goto fail;
	}
	if (r == -2) {
		source_locate(data, badout, name, &line, &col, &chars);
		if (err == EINVAL)
			source_error(src, cause, file, line, col,
			    "the file ends in the middle of a character in %s "
			    "(byte 0x%02x at column %zu; #charset on line "
			    "%lu)", name, (unsigned char)data[badout],
			    chars, nline);
		else
			source_error(src, cause, file, line, col,
			    "byte 0x%02x at column %zu is not valid %s "
			    "(#charset on line %lu)",
			    (unsigned char)data[badout], chars, name, nline);
		goto fail;
	}
	if ((r = source_take(src, file, out, outlen, name, cause)) == 0)
		free(bytes);
	free(name);
	return r;

fail:
	free(name);
	return -1;
}

/*
 * Decodes bytes without a #charset line: UTF-8 as it is, else the first
 * fallback encoding that fits; takes ownership of bytes.
 */
static int
source_decode_guess(struct source *src, const char *file, char *bytes,
    char *data, size_t dlen, char **cause)
{
	char	*out;
	size_t	 bad, badout, outlen, i;
	int	 r, err;

	if (source_valid_utf8(data, dlen, &bad))
		return source_keep(src, bytes, data, dlen, xstrdup("UTF-8"));
	for (i = 0; i < sizeof source_fallbacks / sizeof source_fallbacks[0];
	    i++) {
		if (strcmp(source_fallbacks[i], "EUC-JP") == 0 &&
		    !source_shaped_eucjp(data, dlen))
			continue;
		r = source_iconv(source_fallbacks[i], data, dlen, &out,
		    &outlen, &badout, &err);
		if (r != 0)
			continue;
		if ((r = source_take(src, file, out, outlen,
		    source_fallbacks[i], cause)) == 0) {
			free(bytes);
			src->guessed = 1;
		}
		return r;
	}
	return source_bad_utf8(src, file, data, bad, "; not EUC-JP or "
	    "Shift_JIS either: add a #charset line", cause);
}

/* Decodes a deck's bytes into UTF-8 text; takes bytes only on success. */
static int
source_decode_bytes(struct source *src, const char *file, char *bytes,
    size_t len, char **cause)
{
	const unsigned char	*u = (const unsigned char *)bytes;
	const char		*what, *nul;
	char			*data, *name = NULL;
	size_t			 dlen, skip = 0, col, chars;
	unsigned long		 line, nline;

	if ((what = source_wide_bom(u, len)) != NULL)
		return source_error(src, cause, file, 1, 0, "the file is %s; "
		    "save it as UTF-8 (or EUC-JP or Shift_JIS) instead", what);

	if (len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
		skip = 3;
	data = bytes + skip;
	dlen = len - skip;

	if ((nul = memchr(data, '\0', dlen)) != NULL) {
		source_locate(data, (size_t)(nul - data), NULL, &line, &col,
		    &chars);
		return source_error(src, cause, file, line, col, "NUL byte at "
		    "column %zu; a deck must be plain text", chars);
	}

	if (source_find_charset(src, file, data, dlen, &name, &nline,
	    cause) != 0)
		return -1;
	if (name != NULL)
		return source_decode_named(src, file, bytes, data, dlen, name,
		    nline, cause);
	return source_decode_guess(src, file, bytes, data, dlen, cause);
}

/* Copies line no (1-based) of the bytes as they are, for showing a failure. */
static char *
source_copy_line(const char *bytes, size_t len, unsigned long want,
    size_t *outlen)
{
	struct source_iter	 it;
	const char		*line;
	size_t			 n;
	unsigned long		 no;

	source_iter_init(&it, bytes, len);
	while (source_next_line(&it, &line, &n, &no) == 0) {
		if (no != want)
			continue;
		*outlen = n;
		return xstrndup(line, n);
	}
	return NULL;
}

/* Decodes a deck's bytes into UTF-8 text, taking ownership of bytes. */
int
source_decode(struct source *src, const char *file, char *bytes, size_t len,
    char **cause)
{
	memset(src, 0, sizeof *src);
	bytes[len] = '\0';	/* the extra byte: keeps the data a C string */
	if (source_decode_bytes(src, file, bytes, len, cause) == 0)
		return 0;
	if (src->err_line > 0)
		src->err_text = source_copy_line(bytes, len, src->err_line,
		    &src->err_textlen);
	free(bytes);
	return -1;
}
