/* request.c: reading a request: decoding, page numbers, the query string, safe paths, freshness. */
#include "config.h"

#include <string.h>
#include <time.h>

#include "buf.h"
#include "request.h"
#include "util.h"

/* Decodes %XX escapes; the result may hold NUL bytes, which the router then refuses. */
void
request_decode(struct buf *out, const char *s, size_t len)
{
	size_t	 i, run = 0;
	int	 hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] != '%' || i + 2 >= len)
			continue;
		if ((hi = util_hex(s[i + 1])) < 0 ||
		    (lo = util_hex(s[i + 2])) < 0)
			continue;
		buf_add(out, s + run, i - run);
		buf_addc(out, (char)(hi * 16 + lo));
		i += 2;
		run = i + 1;
	}
	buf_add(out, s + run, len - run);
}

/* Parses a page number written the canonical way: digits, no sign, no leading zero. */
int
request_page_number(const char *s, size_t len, unsigned long *n)
{
	if (len > 1 && s[0] == '0')
		return -1;
	return util_parse_ulong(s, len, 0xffffffffUL, n);
}

/* Walks the '&'-separated pairs of a query string for the first name=VALUE. */
const char *
request_query(const char *q, const char *name, size_t *len)
{
	const char	*p, *end;
	size_t		 nlen = strlen(name);

	if (q == NULL)
		return NULL;
	for (p = q; *p != '\0'; p = *end == '\0' ? end : end + 1) {
		end = strchr(p, '&');
		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) > nlen && strncmp(p, name, nlen) == 0 &&
		    p[nlen] == '=') {
			*len = (size_t)(end - p) - nlen - 1;
			return p + nlen + 1;
		}
	}
	return NULL;
}

/* Finds name=VALUE given at most once; returns 0 if absent, 1 if once (VALUE in *v), -1 if repeated. */
int
request_query_once(const char *q, const char *name, const char **v,
    size_t *len)
{
	size_t	 again;

	if ((*v = request_query(q, name, len)) == NULL)
		return 0;
	/* What follows the value starts at a field's '&' (or the end). */
	return request_query(*v + *len, name, &again) == NULL ? 1 : -1;
}

/* Finds page=N in a query string; returns 0 if absent, 1 if valid, -1 if malformed. */
int
request_query_page(const char *q, unsigned long *n)
{
	const char	*v;
	size_t		 len;

	if ((v = request_query(q, "page", &len)) == NULL)
		return 0;
	return request_page_number(v, len, n) == 0 ? 1 : -1;
}

/* Returns 1 if a decoded path holds nothing a file name could abuse. */
int
request_path_safe(const char *p, size_t len)
{
	size_t	 i, seg;

	if (len == 0 || p[0] != '/')
		return 0;
	for (i = 0; i < len; i++) {
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\')
			return 0;
	}
	for (i = 0; i < len; i = seg) {
		seg = i + 1;
		while (seg < len && p[seg] != '/')
			seg++;
		/* A segment of "." or ".." never reaches the file system. */
		if ((seg - i == 2 && p[i + 1] == '.') ||
		    (seg - i == 3 && p[i + 1] == '.' && p[i + 2] == '.'))
			return 0;
	}
	return 1;
}

/*
 * Returns 1 if a mount base is "" or a plain absolute path: '/' then
 * segments of unreserved and sub-delimiter bytes, no empty, "." or ".."
 * segment (so never "//host", which a browser reads as another origin).
 */
int
request_base_valid(const char *b)
{
	size_t	 n;

	if (*b == '\0')
		return 1;
	while (*b == '/') {
		n = strspn(b + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789-._~!$&()*+,;=:@%");
		if (n == 0 || (n == 1 && b[1] == '.') ||
		    (n == 2 && b[1] == '.' && b[2] == '.'))
			return 0;
		b += 1 + n;
	}
	return *b == '\0';
}

/* Returns the mount point to put in front of a path, or "" if it is not a plain path. */
const char *
request_base(const struct request *req)
{
	if (req->base == NULL || !request_base_valid(req->base))
		return "";
	return req->base;
}

/* Returns 1 if s holds DNS labels (letters, digits, inner '-') joined by single dots. */
static int
request_hostname_valid(const char *s, size_t len)
{
	size_t	 i, label = 0;

	if (len == 0 || len > 253)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			label = 0;
		} else if (s[i] == '-') {
			if (label == 0)
				return 0;
			label++;
		} else if ((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9'))
			label++;
		else
			return 0;
		if (label > 63)
			return 0;
	}
	return label > 0 && s[len - 1] != '-';
}

/* Returns 1 if a Host value is a plain host name, IPv4 or [IPv6] address, with an optional port. */
int
request_host_valid(const char *h, size_t len)
{
	const char	*colon;
	size_t		 hl;
	unsigned long	 port;

	if (len > 0 && h[0] == '[') {
		colon = memchr(h, ']', len);
		if (colon == NULL || colon == h + 1 ||
		    strspn(h + 1, "0123456789abcdefABCDEF:.") !=
		    (size_t)(colon - h - 1))
			return 0;
		hl = (size_t)(colon - h) + 1;
		colon = hl < len ? h + hl : NULL;
		if (colon != NULL && *colon != ':')
			return 0;
	} else {
		colon = memchr(h, ':', len);
		hl = colon == NULL ? len : (size_t)(colon - h);
		if (!request_hostname_valid(h, hl))
			return 0;
	}
	if (colon == NULL)
		return 1;
	return util_parse_ulong(colon + 1, len - hl - 1, 65535, &port) == 0 &&
	    port > 0;
}

/* Returns 1 if an If-None-Match list holds the tag. */
int
request_etag_matches(const char *list, const char *etag)
{
	const char	*p = list, *end;
	size_t		 elen = strlen(etag), n;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		end = p;
		while (*end != '\0' && *end != ',')
			end++;
		n = (size_t)(end - p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == elen && memcmp(p, etag, n) == 0)
			return 1;
		p = end;
	}
	return 0;
}

/* Returns 1 if the client's copy is current (If-None-Match first, as RFC 9110 orders them). */
int
request_fresh(const struct request *req, const char *etag, time_t mtime)
{
	struct tm	 tm;
	time_t		 since;

	if (req->if_none_match != NULL && *req->if_none_match != '\0')
		return etag != NULL && *etag != '\0' &&
		    request_etag_matches(req->if_none_match, etag);
	if (req->if_modified_since == NULL || mtime == 0)
		return 0;
	memset(&tm, 0, sizeof tm);
	return strptime(req->if_modified_since, "%a, %d %b %Y %H:%M:%S GMT",
	    &tm) != NULL && (since = timegm(&tm)) != (time_t)-1 &&
	    mtime <= since;
}
