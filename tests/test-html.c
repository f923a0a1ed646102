/* test-html.c: unit tests for the escaping primitives. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "tap.h"

/* メール in UTF-8. */
#define MEERU	"\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab"

static struct buf	 out = BUF_INIT;

static const char *
text(const char *s, size_t n)
{
	buf_reset(&out);
	html_text(&out, s, n);
	return out.data;
}

static const char *
url(const char *s, size_t n)
{
	buf_reset(&out);
	html_url_component(&out, s, n);
	return out.data == NULL ? "" : out.data;
}

static const char *
json(const char *s, size_t n)
{
	buf_reset(&out);
	html_json_string(&out, s, n);
	return out.data;
}

/* An escaper's input (n bytes of in), what it must write, and what that shows. */
struct esc_case {
	const char	*in;
	size_t		 n;
	const char	*want;
	const char	*desc;
};

/* Checks an escaper on every row of a table. */
static void
check_escaper(const char *(*fn)(const char *, size_t), const struct esc_case *c,
    size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		is_str(fn(c[i].in, c[i].n), c[i].want, "%s", c[i].desc);
}

#define check_table(fn, c)	check_escaper((fn), (c), sizeof(c) / sizeof((c)[0]))

static void
test_text(void)
{
	static const struct esc_case texts[] = {
		{ "a&b", 3, "a&amp;b", "html_text: & becomes &amp;" },
		{ "<p>", 3, "&lt;p&gt;", "html_text: < and > become &lt; &gt;" },
		{ "\"x'", 3, "&quot;x&#39;", "html_text: quotes become &quot; &#39;" },
		{ "&&<<", 4, "&amp;&amp;&lt;&lt;",
		    "html_text: adjacent specials each escaped" },
		{ "plain text", 10, "plain text", "html_text: plain text unchanged" },
		{ MEERU "<" MEERU, 19, MEERU "&lt;" MEERU,
		    "html_text: UTF-8 passes through around an escape" },
		{ "a<b", 1, "a", "html_text: only n bytes are read" },
	};

	check_table(text, texts);
	buf_reset(&out);
	html_texts(&out, "x>y&");
	is_str(out.data, "x&gt;y&amp;", "html_texts: escapes a C string");
	buf_reset(&out);
	buf_adds(&out, "keep:");
	html_texts(&out, "<");
	is_str(out.data, "keep:&lt;", "html_texts: appends to existing content");
}

static void
test_url(void)
{
	static const struct esc_case urls[] = {
		{ "AZaz09-._~", 10, "AZaz09-._~",
		    "html_url_component: unreserved bytes kept" },
		{ MEERU, 9, "%E3%83%A1%E3%83%BC%E3%83%AB",
		    "html_url_component: Japanese text percent-encoded byte by byte, upper-case hex" },
		{ "%", 1, "%25", "html_url_component: % is encoded" },
		{ "/", 1, "%2F", "html_url_component: / is encoded" },
		{ "\"", 1, "%22", "html_url_component: double quote is encoded" },
		{ "a\0b", 3, "a%00b",
		    "html_url_component: NUL inside the length is encoded, not a stop" },
		{ " '<>&?#=+", 9, "%20%27%3C%3E%26%3F%23%3D%2B",
		    "html_url_component: reserved and unsafe characters encoded" },
		{ "\xff\x7f", 2, "%FF%7F",
		    "html_url_component: high and DEL bytes encoded" },
		{ "", 0, "", "html_url_component: empty input gives nothing" },
	};

	check_table(url, urls);
}

static void
test_json(void)
{
	static const struct esc_case strings[] = {
		{ "abc", 3, "\"abc\"", "html_json_string: plain string quoted" },
		{ "", 0, "\"\"", "html_json_string: empty string quoted" },
		{ "a\"b\\c", 5, "\"a\\\"b\\\\c\"",
		    "html_json_string: quote and backslash escaped" },
		{ "\n\r\t", 3, "\"\\n\\r\\t\"",
		    "html_json_string: newline, CR, tab escaped" },
		{ "\x01\x1f", 2, "\"\\u0001\\u001f\"",
		    "html_json_string: other control characters as \\u00XX" },
		{ "a\0b", 3, "\"a\\u0000b\"",
		    "html_json_string: NUL escaped, not a stop" },
		{ "</script>", 9, "\"\\u003c/script\\u003e\"",
		    "html_json_string: < and > as \\u003c \\u003e" },
		{ "&'", 2, "\"\\u0026\\u0027\"",
		    "html_json_string: & and ' as \\u0026 \\u0027" },
		{ "a\xe2\x80\xa8" "b\xe2\x80\xa9", 8, "\"a\\u2028b\\u2029\"",
		    "html_json_string: U+2028 and U+2029 escaped" },
		{ "\xe2\x80\xa8", 3, "\"\\u2028\"",
		    "html_json_string: U+2028 at the very end escaped" },
		{ "\xe2\x80\xa8", 2, "\"\xe2\x80\"",
		    "html_json_string: a cut U+2028 is not read past n" },
		{ MEERU, 9, "\"" MEERU "\"",
		    "html_json_string: other UTF-8 passes through" },
		{ "\xe2\x80\x94", 3, "\"\xe2\x80\x94\"",
		    "html_json_string: U+2014 (same lead bytes) passes through" },
	};

	check_table(json, strings);
}

/* The flags of the one percent-encoder: '~', and '%' written twice. */
static void
test_percent(void)
{
	static const char in[] = "a~b\"c%\xe3";
	static const struct {
		int		 flags;
		const char	*want, *desc;
	} rows[] = {
		{ 0, "a%7Eb%22c%25%E3", "'~' encoded without HTML_PCT_TILDE" },
		{ HTML_PCT_TWICE, "a%257Eb%2522c%2525%25E3", "HTML_PCT_TWICE writes %25XX" },
		{ HTML_PCT_TILDE | HTML_PCT_TWICE, "a~b%2522c%2525%25E3", "both flags" },
	};
	size_t		  i;
	int		  flags;

	for (flags = 0; flags < 4; flags++) {
		buf_reset(&out);
		html_percent(&out, in, sizeof in - 1, flags);
		is_int(out.len, html_percent_size(in, sizeof in - 1, flags),
		    "html_percent_size: the size html_percent writes (flags %d)", flags);
	}
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		buf_reset(&out);
		html_percent(&out, in, sizeof in - 1, rows[i].flags);
		is_str(out.data, rows[i].want, "html_percent: %s", rows[i].desc);
	}
	for (i = 0, flags = 0; i < 256; i++)
		flags += html_percent_keeps((unsigned char)i, 0);
	is_int(flags, 65, "html_percent_keeps: letters, digits, '-', '.' and '_' only");
}

/* Each case runs on its own: one failure does not hide the others. */
static const struct tap_case cases[] = {
	TAP_CASE(test_text),
	TAP_CASE(test_url),
	TAP_CASE(test_percent),
	TAP_CASE(test_json),
};

int
main(void)
{
	return tap_run_cases(cases);
}
