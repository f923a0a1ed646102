/* test-source.c: unit tests for decoding deck bytes and splitting lines. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "source.h"
#include "tap.h"
#include "util.h"

/* メール送信 in UTF-8, EUC-JP and ISO-2022-JP. */
#define MAIL_UTF8	"\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab\xe9\x80\x81\xe4\xbf\xa1"
#define MAIL_EUCJP	"\xa5\xe1\xa1\xbc\xa5\xeb\xc1\xf7\xbf\xae"
/* 表 and ソ: Shift_JIS trail byte 0x5C, which is also the ASCII backslash. */
#define HYO_UTF8	"\xe8\xa1\xa8"
#define SO_UTF8		"\xe3\x82\xbd"
#define HYO_SJIS	"\x95\x5c"
#define SO_SJIS		"\x83\x5c"

static char	*last_bytes;	/* the allocation handed to the last decode */

/* Copies data into a fresh allocation, as util_read_file does, and decodes. */
static int
decode(const char *data, size_t len, struct source *src, char **cause)
{
	char	*bytes;

	bytes = xmalloc(len + 1);
	memcpy(bytes, data, len);
	bytes[len] = '\0';
	last_bytes = bytes;
	*cause = NULL;
	return source_decode(src, "deck.drf", bytes, len, cause);
}

/* Decodes a string literal (no embedded NUL). */
static int
decodes(const char *data, struct source *src, char **cause)
{
	return decode(data, strlen(data), src, cause);
}

/* Joins the lines of s with '|' and returns the count; checks the numbering. */
static char *
lines_of(const char *s, size_t len, size_t *count, int *numbered)
{
	struct source_iter	 it;
	struct buf		 b = BUF_INIT;
	const char		*l;
	size_t			 n, c = 0;
	unsigned long		 no;

	*numbered = 1;
	source_iter_init(&it, s, len);
	while (source_next_line(&it, &l, &n, &no) == 0) {
		if (c != 0)
			buf_addc(&b, '|');
		buf_add(&b, l, n);
		c++;
		if (no != c)
			*numbered = 0;
	}
	*count = c;
	return buf_detach(&b, NULL);
}

/* Checks that s splits into want (lines joined by '|') with nlines lines. */
static void
check_lines(const char *s, const char *want, size_t nlines, const char *what)
{
	char	*got;
	size_t	 count;
	int	 numbered;

	got = lines_of(s, strlen(s), &count, &numbered);
	is_str(got, want, "%s: line text", what);
	is_int(count, nlines, "%s: line count", what);
	ok(numbered, "%s: lines numbered 1, 2, 3, ...", what);
	free(got);
}

/* Checks a decode that must fail with a message holding line and detail. */
static void
check_error(const char *data, size_t len, const char *line, const char *detail,
    const char *what)
{
	struct source	 src;
	char		*cause;

	is_int(decode(data, len, &src, &cause), -1, "%s: fails", what);
	has_str(cause, line, "%s: names the line", what);
	has_str(cause, detail, "%s: says why", what);
	ok(src.base == NULL && src.text == NULL && src.charset == NULL,
	    "%s: leaves the source empty", what);
	source_free(&src);
	free(cause);
}

/* Checks a decode that must succeed with the given text and charset. */
static void
check_decode(const char *data, const char *text, const char *charset,
    const char *what)
{
	struct source	 src;
	char		*cause;

	if (!ok(decodes(data, &src, &cause) == 0, "%s: decodes", what)) {
		printf("#   cause: %s\n", cause);
		free(cause);
		return;
	}
	is_str(src.text, text, "%s: text", what);
	is_int(src.len, strlen(text), "%s: length", what);
	is_str(src.charset, charset, "%s: charset", what);
	ok(src.text[src.len] == '\0', "%s: text is NUL-terminated", what);
	source_free(&src);
}

/* Tests the UTF-8 validator. */
static void
test_valid_utf8(void)
{
	/* Bytes, whether they are valid UTF-8, and where the first bad one is. */
	static const struct {
		const char	*s;
		size_t		 len;
		int		 valid;
		size_t		 at;
		const char	*desc, *at_desc;
	} rows[] = {
		{ "", 0, 1, 0, "empty is valid", NULL },
		{ "plain ascii text, longer than a word", 36, 1, 0, "ASCII is valid", NULL },
		{ MAIL_UTF8, sizeof MAIL_UTF8 - 1, 1, 0, "Japanese is valid", NULL },
		{ "\xc2\xa9\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf", 10, 1, 0,
		    "two- and four-byte sequences and U+10FFFF are valid", NULL },
		{ "\xc0\xae", 2, 0, 0, "overlong C0 AE rejected",
		    "overlong C0 AE reported at its first byte" },
		{ "\xe0\x80\xaf", 3, 0, 0, "overlong E0 80 AF rejected", NULL },
		{ "\xf0\x8f\xbf\xbf", 4, 0, 0, "overlong F0 8F BF BF rejected", NULL },
		{ "ab\xed\xa0\x80", 5, 0, 2, "surrogate ED A0 80 rejected",
		    "surrogate reported at its offset" },
		{ "\xed\xbf\xbf", 3, 0, 0, "surrogate ED BF BF rejected", NULL },
		{ "\xed\x9f\xbf", 3, 1, 0, "U+D7FF just below the surrogates is valid", NULL },
		{ "\xf4\x90\x80\x80", 4, 0, 0, "past U+10FFFF rejected", NULL },
		{ "\xf5\x80\x80\x80", 4, 0, 0, "lead byte F5 rejected", NULL },
		{ "x\xe3\x83", 3, 0, 1, "truncated sequence at the end rejected",
		    "truncated sequence reported at its lead byte" },
		{ "\xe3\x83x", 3, 0, 0, "sequence cut by ASCII rejected", NULL },
		{ "\x80", 1, 0, 0, "lone continuation byte rejected", NULL },
	};
	size_t	 bad, i;
	char	 big[64];

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		bad = 99;
		is_int(source_valid_utf8(rows[i].s, rows[i].len,
		    rows[i].at_desc != NULL ? &bad : NULL) != 0, rows[i].valid,
		    "utf8: %s", rows[i].desc);
		if (rows[i].at_desc != NULL)
			is_int(bad, rows[i].at, "utf8: %s", rows[i].at_desc);
	}
	memset(big, 'a', sizeof big);
	big[37] = (char)0xff;
	ok(!source_valid_utf8(big, sizeof big, &bad), "utf8: bad byte after "
	    "a long ASCII run rejected");
	is_int(bad, 37, "utf8: bad byte after a long ASCII run at its offset");
	ok(source_valid_utf8(big, 37, NULL), "utf8: length bounds the check");
}

/* Tests line splitting and line numbers. */
static void
test_lines(void)
{
	struct source_iter	 it;
	const char		*l;
	char			*s, *got;
	size_t			 n, count;
	unsigned long		 no;
	int			 numbered;

	check_lines("a\nb\nc\n", "a|b|c", 3, "lines: LF");
	check_lines("a\r\nb\r\n", "a|b", 2, "lines: CRLF");
	check_lines("a\rb\rc", "a|b|c", 3, "lines: lone CR");
	check_lines("a\r\n\r\nb", "a||b", 3, "lines: CRLF, CRLF");
	check_lines("a\n\rb\r\n\nc\r", "a||b||c", 5, "lines: mixed LF, CR, "
	    "CRLF");
	check_lines("a\nb", "a|b", 2, "lines: last line without newline");
	check_lines("a\n", "a", 1, "lines: one line with newline");
	check_lines("\n", "", 1, "lines: one empty line");
	check_lines("\n\n", "|", 2, "lines: two empty lines");
	check_lines("", "", 0, "lines: empty text has no lines");
	check_lines("0123456789abcdef\r0123456789\n", "0123456789abcdef|"
	    "0123456789", 2, "lines: terminators past a word boundary");

	source_iter_init(&it, "x\ny\nz", 5);
	source_next_line(&it, &l, &n, &no);
	source_next_line(&it, &l, &n, &no);
	ok(n == 1 && *l == 'y' && no == 2, "lines: second line is numbered 2");
	source_next_line(&it, &l, &n, &no);
	is_int(no, 3, "lines: third line is numbered 3");
	is_int(source_next_line(&it, &l, &n, &no), -1, "lines: end reported");
	is_int(source_next_line(&it, &l, &n, &no), -1, "lines: end stays "
	    "reported");

	s = xmalloc((1 << 20) + 1);
	memset(s, 'x', 1 << 20);
	s[1 << 20] = '\0';
	got = lines_of(s, 1 << 20, &count, &numbered);
	is_int(count, 1, "lines: a 1 MiB line is one line");
	is_int(strlen(got), 1 << 20, "lines: a 1 MiB line is whole");
	free(got);
	memset(s, '\r', 1 << 20);
	got = lines_of(s, 1 << 20, &count, &numbered);
	is_int(count, 1 << 20, "lines: a million lone CRs are a million lines");
	ok(numbered, "lines: a million lines numbered in order");
	free(got);
	free(s);

	s = "a\r\nb\rc\nd";
	is_int(source_line_of(s, 0), 1, "line_of: first byte on line 1");
	is_int(source_line_of(s, 1), 1, "line_of: CR of CRLF on its line");
	is_int(source_line_of(s, 2), 1, "line_of: LF of CRLF on its line");
	is_int(source_line_of(s, 3), 2, "line_of: after CRLF is line 2");
	is_int(source_line_of(s, 4), 2, "line_of: lone CR on its line");
	is_int(source_line_of(s, 5), 3, "line_of: after lone CR is line 3");
	is_int(source_line_of(s, 7), 4, "line_of: after LF is line 4");
	is_int(source_line_of(s, strlen(s)), 4, "line_of: end of text on the "
	    "last line");
}

/* Tests UTF-8 input, byte-order marks and NUL bytes. */
static void
test_utf8_input(void)
{
	struct source	 src;
	char		*cause;

	ok(decodes("\xef\xbb\xbfhello\n", &src, &cause) == 0, "bom: decodes");
	is_str(src.text, "hello\n", "bom: UTF-8 byte-order mark skipped");
	is_int(src.len, 6, "bom: length excludes the mark");
	is_str(src.charset, "UTF-8", "bom: charset UTF-8");
	ok(src.base == last_bytes && src.text == last_bytes + 3,
	    "bom: valid UTF-8 is not copied (text points into base)");
	source_free(&src);
	ok(src.base == NULL && src.text == NULL && src.len == 0 &&
	    src.charset == NULL, "free: leaves the struct zeroed");
	lives_ok(source_free(&src), "free: accepts a zeroed struct");
	source_free(&src);
	ok(src.base == NULL && src.text == NULL && src.len == 0 &&
	    src.charset == NULL, "free: a zeroed struct stays zeroed");

	ok(decodes("#title " MAIL_UTF8 "\n---\n", &src, &cause) == 0 &&
	    src.base == last_bytes && src.text == last_bytes,
	    "utf8: valid UTF-8 is not copied");
	source_free(&src);

	check_decode("", "", "UTF-8", "empty: empty file");
	check_decode("\xef\xbb\xbf", "", "UTF-8", "empty: only a BOM");

	/* A failure keeps its line, its message and the line's bytes as read. */
	is_int(decodes("ok\r\nsecond \xff\xfe tail\nthird\n", &src, &cause), -1,
	    "failure: invalid UTF-8 fails");
	ok(src.err_line == 2, "failure: err_line is the failing line (%lu)",
	    src.err_line);
	has_str(src.err_msg, "invalid UTF-8", "failure: err_msg says why");
	ok(src.err_msg != NULL && strstr(src.err_msg, "deck.drf") == NULL,
	    "failure: err_msg holds no place");
	ok(src.err_text != NULL && src.err_textlen == 14 &&
	    memcmp(src.err_text, "second \xff\xfe tail", 14) == 0,
	    "failure: err_text is that line's bytes, without its end");
	source_free(&src);
	free(cause);

	check_error("a\nb\r\nc\0d\n", 9, "deck.drf:3:", "NUL byte at column 2",
	    "nul: NUL on line 3");
	check_error("\0", 1, "deck.drf:1:", "NUL byte at column 1",
	    "nul: NUL alone");
	check_error("\xef\xbb\xbf" "ab\0", 6, "deck.drf:1:",
	    "NUL byte at column 3", "nul: NUL after a BOM");
	check_error("\xff\xfeh\0i\0\n\0", 8, "deck.drf:1:", "UTF-16",
	    "bom: UTF-16 LE");
	check_error("\xfe\xff\0h\0i\0\n", 8, "deck.drf:1:", "UTF-16",
	    "bom: UTF-16 BE");
	check_error("\xff\xfe\0\0h\0\0\0", 8, "deck.drf:1:", "UTF-32",
	    "bom: UTF-32 LE");
	check_error("\0\0\xfe\xff\0\0\0h", 8, "deck.drf:1:", "UTF-32",
	    "bom: UTF-32 BE");
	check_error("\xff\xfe", 2, "deck.drf:1:", "save it as UTF-8",
	    "bom: UTF-16 error tells what to do");
}

/* Tests the EUC-JP and CP932 fallbacks and the #charset directive. */
static void
test_legacy(void)
{
	struct source	 src;
	char		*cause, *s, *want;
	size_t		 i, n = 100000;

	check_decode("#title " MAIL_EUCJP "\n---\n<p>" MAIL_EUCJP "</p>\n",
	    "#title " MAIL_UTF8 "\n---\n<p>" MAIL_UTF8 "</p>\n", "EUC-JP",
	    "fallback: EUC-JP without #charset");
	check_decode(HYO_SJIS "(\"" SO_SJIS "\")\\n ~\n",
	    HYO_UTF8 "(\"" SO_UTF8 "\")\\n ~\n", "CP932",
	    "fallback: Shift_JIS with 0x5C trail bytes as CP932");
	check_decode("---\n#charset Shift_JIS\n" HYO_SJIS "(\"" SO_SJIS "\")\n",
	    "---\n#charset Shift_JIS\n" HYO_UTF8 "(\"" SO_UTF8 "\")\n", "CP932",
	    "charset: #charset after the first separator ignored");
	check_decode("---\n#charset EUC-JP\n\xc2\xa9\n",
	    "---\n#charset EUC-JP\n\xc2\xa9\n", "UTF-8",
	    "charset: #charset after a separator leaves UTF-8 alone");

	check_decode("#charset EUC-JP\n---\n" MAIL_EUCJP "\n",
	    "#charset EUC-JP\n---\n" MAIL_UTF8 "\n", "EUC-JP",
	    "charset: #charset EUC-JP");
	check_decode("#charset\teuc-jp  \n\xc2\xa9\n",
	    "#charset\teuc-jp  \n\xe6\x81\xaf\n", "euc-jp",
	    "charset: #charset euc-jp wins over valid UTF-8");
	check_decode("#title t\r\n#charset Shift_JIS\r\n---\r\n" HYO_SJIS
	    "(\"" SO_SJIS "\") \\ ~\r\n",
	    "#title t\r\n#charset Shift_JIS\r\n---\r\n" HYO_UTF8
	    "(\"" SO_UTF8 "\") \\ ~\r\n", "Shift_JIS",
	    "charset: #charset Shift_JIS keeps backslash and tilde ASCII");
	check_decode("#charset ISO-2022-JP\n\x1b$B%a!<%k\x1b(B\n",
	    "#charset ISO-2022-JP\n\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab\n",
	    "ISO-2022-JP", "charset: stateful ISO-2022-JP");
	check_decode("\x84\x31\x95\x33hi\n#charset GB18030\n",
	    "hi\n#charset GB18030\n", "GB18030",
	    "charset: BOM at the start of converted text skipped");
	check_decode("#charset UTF-8\n" MAIL_UTF8 "\n",
	    "#charset UTF-8\n" MAIL_UTF8 "\n", "UTF-8",
	    "charset: #charset UTF-8 accepts UTF-8");
	check_decode("#charsets EUC-JP\n" MAIL_UTF8 "\n",
	    "#charsets EUC-JP\n" MAIL_UTF8 "\n", "UTF-8",
	    "charset: #charsets is not #charset");
	check_decode(" #charset EUC-JP\n" MAIL_UTF8 "\n",
	    " #charset EUC-JP\n" MAIL_UTF8 "\n", "UTF-8",
	    "charset: #charset must begin the line");
	check_decode("#charset EUC-JP\n#charset euc-jp\n" MAIL_EUCJP,
	    "#charset EUC-JP\n#charset euc-jp\n" MAIL_UTF8, "EUC-JP",
	    "charset: a repeated identical #charset is fine");

	/* Half-width katakana: one byte in, three out, so the output grows. */
	s = xmalloc(n + 20);
	want = xmalloc(3 * n + 20);
	strcpy(s, "#charset CP932\n");
	strcpy(want, s);
	for (i = 0; i < n; i++) {
		s[15 + i] = (char)0xb1;
		memcpy(want + 15 + 3 * i, "\xef\xbd\xb1", 3);
	}
	s[15 + n] = '\0';
	want[15 + 3 * n] = '\0';
	if (ok(decodes(s, &src, &cause) == 0, "charset: output buffer grows"))
		is_str(src.text, want, "charset: grown output is right");
	else
		free(cause);
	source_free(&src);
	free(s);
	free(want);

	check_error("#title t\n#charset NO-SUCH-CHARSET\n---\nx\n", 36,
	    "deck.drf:2:", "unknown charset NO-SUCH-CHARSET",
	    "charset: unknown charset");
	check_error("#charset EUC-JP\n---\nab\xff\n", 24, "deck.drf:3:",
	    "byte 0xff at column 3", "charset: byte that does not convert");
	check_error("#charset EUC-JP\n---\nab\xa5", 23, "deck.drf:3:",
	    "ends in the middle of a character in EUC-JP",
	    "charset: character cut at the end of the file");
	check_error("#charset UTF-8\nok\n" MAIL_EUCJP "\n", 29, "deck.drf:3:",
	    "invalid UTF-8 (byte 0xa5 at column 1)",
	    "charset: #charset UTF-8 has no fallback");
	check_error("#charset\n", 9, "deck.drf:1:", "#charset needs",
	    "charset: #charset without a name");
	check_error("#charset EUC-JP\n#charset Shift_JIS\n", 35, "deck.drf:2:",
	    "contradicts #charset EUC-JP on line 1",
	    "charset: contradicting #charset lines");
	check_error("ok\n\xff\xfe\xff\n", 7, "deck.drf:2:",
	    "invalid UTF-8 (byte 0xff at column 1); not EUC-JP or Shift_JIS",
	    "fallback: bytes that fit no encoding");
	check_error("\xef\xbb\xbf" "a\r\nbc\xff\xae\n", 10, "deck.drf:2:",
	    "byte 0xff at column 3", "fallback: column counted after a BOM");
	check_error("ok\n" HYO_SJIS "\x80\n", 7, "deck.drf:2:",
	    "byte 0x95 at column 1", "fallback: C1 bytes are not EUC-JP");
	check_decode("\xc0\xae\n", "\xe6\x88\x90\n", "EUC-JP",
	    "fallback: an overlong UTF-8 pair read as EUC-JP");
}

/* Each case runs on its own: one failure does not hide the others. */
static const struct tap_case cases[] = {
	TAP_CASE(test_valid_utf8),
	TAP_CASE(test_lines),
	TAP_CASE(test_utf8_input),
	TAP_CASE(test_legacy),
};

int
main(void)
{
	return tap_run_cases(cases);
}
