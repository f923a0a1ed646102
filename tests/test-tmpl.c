/* test-tmpl.c: unit tests for the template engine and its dictionaries. */
#include "config.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "tap.h"
#include "tmpl.h"
#include "util.h"

#define BIG	(1024 * 1024)
#define NTHREADS 4
#define NROUNDS	200

/* Parses and renders, returning the output or "ERROR: cause" (caller frees). */
static char *
render(const char *text, const struct tdict *d)
{
	struct tmpl	*t;
	struct buf	 out = BUF_INIT;
	char		*cause, *s;

	if (tmpl_parse(&t, "t", text, strlen(text), &cause) != 0) {
		s = xasprintf("ERROR: %s", cause);
		free(cause);
		return s;
	}
	tmpl_render(t, d, &out);
	tmpl_free(t);
	return buf_detach(&out, NULL);
}

/* Checks one render against the expected output. */
static void
check(const char *text, const struct tdict *d, const char *want,
    const char *what)
{
	char	*got;

	got = render(text, d);
	is_str(got, want, "%s", what);
	free(got);
}

/* Checks that a template fails to parse with a message starting with prefix. */
static void
check_error(const char *text, const char *prefix, const char *needle,
    const char *what)
{
	struct tmpl	*t = NULL;
	char		*cause = NULL;
	int		 rc;

	rc = tmpl_parse(&t, "t", text, strlen(text), &cause);
	is_int(rc, -1, "%s: fails", what);
	ok(cause != NULL && strncmp(cause, prefix, strlen(prefix)) == 0,
	    "%s: message names the line (%s)", what,
	    cause == NULL ? "(null)" : cause);
	if (needle != NULL)
		has_str(cause, needle, "%s: message says what is wrong", what);
	if (rc == 0)
		tmpl_free(t);
	free(cause);
}

/* One render of a table: the template, the expected output, what it shows. */
struct render_case {
	const char	*text;
	const char	*want;
	const char	*what;
};

/* Checks each render of a table against one dictionary. */
static void
check_all(const struct tdict *d, const struct render_case *c, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		check(c[i].text, d, c[i].want, c[i].what);
}

#define check_table(d, c)	check_all((d), (c), sizeof(c) / sizeof((c)[0]))

/* A template that does not parse: the line its message names, and what it says. */
struct error_case {
	const char	*text;
	const char	*prefix;
	const char	*needle;
	const char	*what;
};

/* Plain text, escaping and raw insertion. */
static void
test_values(void)
{
	static const struct render_case values[] = {
		{ "[{{t}}]", "[a&amp;b&lt;c&gt;d&quot;e&#39;f]",
		    "{{x}} escapes & < > \" ' for text values" },
		{ "[{{h}}]", "[&lt;b&gt;x&amp;amp;y&lt;/b&gt;]",
		    "{{x}} escapes an HTML value too" },
		{ "[{{{h}}}]", "[<b>x&amp;y</b>]",
		    "{{{x}}} inserts an HTML value raw" },
		{ "[{{{t}}}]", "[a&amp;b&lt;c&gt;d&quot;e&#39;f]",
		    "{{{x}}} still escapes a text value" },
		{ "[{{missing}}{{{missing}}}{{empty}}]", "[]",
		    "missing key renders nothing" },
		{ "[{{ t }}|{{\tt\t}}|{{{ h }}}|{{# t }}y{{/ t }}|{{ #t }}z{{ /t }}]",
		    "[a&amp;b&lt;c&gt;d&quot;e&#39;f|a&amp;b&lt;c&gt;d&quot;e&#39;f|"
		    "<b>x&amp;y</b>|y|z]",
		    "blanks inside braces are allowed" },
		{ "a{{! a comment with {braces} and\nnewlines }}b{{!}}c", "abc",
		    "comments are dropped" },
		{ "x { y }} z {t} }}} {", "x { y }} z {t} }}} {",
		    "a lone { or }} outside tags renders literally" },
		{ "{{t}}}", "a&amp;b&lt;c&gt;d&quot;e&#39;f}",
		    "a brace after a tag is literal" },
		{ "{{a_b-C9}}", "", "names take letters, digits, _ and -" },
	};
	struct tdict	*d;
	const char	*plain = "<p class=\"x\">a & b { c }} d } {</p>\n\tend";

	check(plain, NULL, plain, "plain text passes through byte-exact");
	check("", NULL, "", "empty template renders nothing");

	d = tdict_create();
	tdict_set_texts(d, "t", "a&b<c>d\"e'f");
	tdict_set_html(d, "h", "<b>x&amp;y</b>", 14);
	tdict_set_texts(d, "empty", "");
	check_table(d, values);
	tdict_free(d);

	/* Binary-safe text values: NUL bytes survive. */
	d = tdict_create();
	tdict_set_text(d, "n", "a\0b", 3);
	{
		struct tmpl	*t;
		struct buf	 out = BUF_INIT;
		char		*cause;

		if (tmpl_parse(&t, "t", "<{{n}}>", 7, &cause) == 0) {
			tmpl_render(t, d, &out);
			ok(out.len == 5 && memcmp(out.data, "<a\0b>", 5) == 0,
			    "text values may hold NUL bytes");
			tmpl_free(t);
		} else {
			ok(0, "text values may hold NUL bytes");
			free(cause);
		}
		buf_free(&out);
	}
	tdict_free(d);
}

/* Sections over lists, booleans and strings; inverted sections. */
static void
test_sections(void)
{
	static const struct render_case lists[] = {
		{ "{{#slides}}[{{name}}]{{/slides}}", "[one][two&lt;][outer]",
		    "sections over lists render each item" },
		{ "{{#slides}}{{name}}{{/slides}}", "onetwo&lt;outer",
		    "item keys shadow outer keys; absent ones fall back outwards" },
		{ "{{#slides}}{{title}},{{/slides}}", "Deck,Deck,Deck,",
		    "outer keys are visible inside list items" },
		{ "{{^slides}}none{{/slides}}", "",
		    "inverted section over a non-empty list is skipped" },
	};
	static const struct render_case bools[] = {
		{ "{{#yes}}Y{{v}}{{/yes}}{{#no}}N{{/no}}{{#two}}2{{/two}}", "Yval2",
		    "booleans show a section once, or not at all" },
		{ "{{^yes}}Y{{/yes}}{{^no}}N{{/no}}", "N",
		    "inverted section over booleans" },
		{ "[{{yes}}]", "[]", "a boolean renders as nothing" },
	};
	static const struct render_case strings[] = {
		{ "{{#s}}[{{s}}]{{/s}}{{#h}}[{{{h}}}]{{/h}}", "[str][<i>]",
		    "a section over a non-empty string renders once in the same scope" },
		{ "{{#e}}E{{/e}}{{#l}}L{{/l}}{{#m}}M{{/m}}{{#f}}F{{/f}}", "",
		    "sections skip empty string, empty list, missing and false" },
		{ "{{^m}}M{{/m}}{{^f}}F{{/f}}{{^l}}L{{/l}}{{^e}}E{{/e}}{{^s}}S{{/s}}",
		    "MFLE",
		    "inverted sections show for missing, false, empty list, empty string" },
		{ "{{#l}}a{{/l}}{{^l}}b{{#s}}c{{^f}}d{{/f}}{{/s}}{{/l}}", "bcd",
		    "inverted and normal sections nest" },
	};
	struct tdict	*d, *item, *sub;

	d = tdict_create();
	tdict_set_texts(d, "title", "Deck");
	tdict_set_texts(d, "name", "outer");
	item = tdict_add_item(d, "slides");
	tdict_set_texts(item, "name", "one");
	item = tdict_add_item(d, "slides");
	tdict_set_texts(item, "name", "two<");
	item = tdict_add_item(d, "slides");
	check_table(d, lists);
	tdict_free(d);

	d = tdict_create();
	tdict_set_texts(d, "x", "root");
	item = tdict_add_item(d, "a");
	tdict_set_texts(item, "n", "a1");
	sub = tdict_add_item(item, "b");
	tdict_set_texts(sub, "n", "b1");
	sub = tdict_add_item(item, "b");
	tdict_set_texts(sub, "m", "b2");
	item = tdict_add_item(d, "a");
	tdict_set_texts(item, "n", "a2");
	tdict_set_list(item, "b");
	check("{{#a}}<{{n}}:{{#b}}({{n}}{{m}}{{x}}){{/b}}{{^b}}-{{/b}}>{{/a}}",
	    d, "<a1:(b1root)(a1b2root)><a2:->", "nested lists");
	tdict_free(d);

	d = tdict_create();
	tdict_set_bool(d, "yes", 1);
	tdict_set_bool(d, "no", 0);
	tdict_set_bool(d, "two", 2);
	tdict_set_texts(d, "v", "val");
	check_table(d, bools);
	tdict_free(d);

	d = tdict_create();
	tdict_set_texts(d, "s", "str");
	tdict_set_texts(d, "e", "");
	tdict_set_html(d, "h", "<i>", 3);
	tdict_set_list(d, "l");
	tdict_set_bool(d, "f", 0);
	check_table(d, strings);
	tdict_free(d);
}

/* Setting, replacing and copying dictionary values. */
static void
test_tdict(void)
{
	struct tdict	*d, *item;
	char		 key[16], val[16];

	d = tdict_create();
	strcpy(val, "v1");
	tdict_set_textf(d, "f", "%s-%d<", val, 7);
	strcpy(val, "XX");
	check("{{f}}", d, "v1-7&lt;", "tdict_set_textf copies");

	tdict_set_texts(d, "k", "first");
	tdict_set_texts(d, "k", "second");
	check("{{k}}", d, "second", "setting a key again replaces it");
	tdict_set_textf(d, "k", "owned");
	tdict_set_bool(d, "k", 1);
	check("{{#k}}B{{/k}}{{k}}", d, "B", "a text can be replaced by a bool");
	item = tdict_add_item(d, "k");
	tdict_set_texts(item, "z", "item");
	check("{{#k}}{{z}}{{/k}}", d, "item", "a bool can be replaced by a list");
	tdict_set_list(d, "k");
	check("{{#k}}{{z}}{{/k}}", d, "item",
	    "tdict_set_list keeps an existing list");
	tdict_set_textf(d, "k", "%s", "t");
	check("{{k}}", d, "t", "a list can be replaced by an owned text");

	/* Keys are copied: a computed key may change afterwards. */
	snprintf(key, sizeof key, "key%d", 1);
	tdict_set_texts(d, key, "one");
	snprintf(key, sizeof key, "key%d", 2);
	tdict_set_texts(d, key, "two");
	check("{{key1}}{{key2}}", d, "onetwo", "keys are copied");

	tdict_set_texts(d, "n", NULL);
	check("{{n}}{{^n}}none{{/n}}", d, "none",
	    "tdict_set_texts with NULL is an empty text");
	tdict_free(d);
	lives_ok(tdict_free(NULL), "tdict_free accepts NULL");
	lives_ok(tmpl_free(NULL), "tmpl_free accepts NULL");
}

/* Every parse error names the template and the line. */
static void
test_errors(void)
{
	static const struct error_case errors[] = {
		{ "a\nb\n{{x", "t:3: ", "unclosed", "unclosed {{" },
		{ "a\n{{x\n}", "t:2: ", "unclosed", "unclosed {{ at the end" },
		{ "a\n{{{x}}\n", "t:2: ", "}}}", "{{{x}} without third brace" },
		{ "a\n{{{x", "t:2: ", "unclosed", "unclosed {{{" },
		{ "1\n2\n{{#x}}\n{{y}}\n", "t:3: ", "{{#x}}", "unclosed section" },
		{ "{{#a}}\n{{^b}}\n{{/b}}\n", "t:1: ", "{{#a}}",
		    "unclosed outer section" },
		{ "{{#x}}\n\n{{/y}}", "t:3: ", "{{/y}}", "mismatched {{/y}}" },
		{ "x\n{{/y}}", "t:2: ", "without", "{{/y}} with nothing open" },
		{ "\n{{x y}}", "t:2: ", "bad name", "bad name with a blank" },
		{ "{{a.b}}", "t:1: ", "bad name", "bad name with a dot" },
		{ "\n\n{{}}", "t:3: ", "bad name", "empty name" },
		{ "{{#}}{{/}}", "t:1: ", "bad name", "empty section name" },
		{ "{{&x}}", "t:1: ", "bad name", "unsupported & tag" },
		{ "{{{#x}}}", "t:1: ", "bad name", "sigil inside triple braces" },
		{ "{{x\ny}}", "t:1: ", "bad name", "newline inside a name" },
		{ "{{! comment\n\n}}\n{{#x}}", "t:4: ", NULL,
		    "lines inside comments are counted" },
	};
	char		*deep;
	struct buf	 b = BUF_INIT;
	size_t		 j;
	int		 i;

	for (j = 0; j < sizeof errors / sizeof errors[0]; j++)
		check_error(errors[j].text, errors[j].prefix, errors[j].needle,
		    errors[j].what);

	for (i = 0; i < 32; i++)
		buf_printf(&b, "{{#s%d}}\n", i);
	for (i = 31; i >= 0; i--)
		buf_printf(&b, "{{/s%d}}", i);
	deep = buf_detach(&b, NULL);
	check(deep, NULL, "", "nesting 32 deep is allowed");
	free(deep);
	for (i = 0; i < 33; i++)
		buf_printf(&b, "{{^s%d}}\n", i);
	for (i = 32; i >= 0; i--)
		buf_printf(&b, "{{/s%d}}", i);
	deep = buf_detach(&b, NULL);
	check_error(deep, "t:33: ", "32", "nesting deeper than 32");
	free(deep);
}

/* Large templates and values. */
static void
test_big(void)
{
	struct tmpl	*t;
	struct tdict	*d;
	struct buf	 out = BUF_INIT;
	char		*text, *val, *cause;
	size_t		 i;
	int		 good;

	text = xmalloc(BIG + 64);
	for (i = 0; i < BIG; i++)
		text[i] = "ab{c}}\nd"[i % 8];
	memcpy(text + BIG, "{{v}}|{{{h}}}", 13);
	val = xmalloc(BIG);
	for (i = 0; i < BIG; i++)
		val[i] = i % 2 ? '<' : 'x';

	d = tdict_create();
	tdict_set_text(d, "v", val, BIG);
	tdict_set_html(d, "h", val, BIG);
	if (!ok(tmpl_parse(&t, "big", text, BIG + 13, &cause) == 0,
	    "a 1 MiB template parses")) {
		printf("#   %s\n", cause);
		free(cause);
		goto out;
	}
	tmpl_render(t, d, &out);
	is_int(out.len, BIG + BIG / 2 * 5 + 1 + BIG,
	    "a 1 MiB template with 1 MiB values renders in full");
	good = out.len == BIG + BIG / 2 * 5 + 1 + BIG &&
	    memcmp(out.data, text, BIG) == 0 &&
	    memcmp(out.data + BIG, "x&lt;x&lt;", 10) == 0 &&
	    memcmp(out.data + out.len - BIG, val, BIG) == 0 &&
	    out.data[out.len - BIG - 1] == '|';
	ok(good, "large output is byte-exact");
	tmpl_free(t);
out:
	buf_free(&out);
	tdict_free(d);
	free(val);
	free(text);
}

/* tmpl_load reads a file and uses its path in messages. */
static void
test_load(void)
{
	struct tmpl	*t;
	struct buf	 out = BUF_INIT;
	char		 path[] = "/tmp/test-tmpl.XXXXXX", *cause, *prefix;
	struct tdict	*d;
	int		 fd;

	fd = mkstemp(path);
	if (!ok(fd != -1, "temporary file created"))
		return;
	if (write(fd, "<h1>{{t}}</h1>\n", 15) != 15)
		ok(0, "temporary file written");
	close(fd);
	d = tdict_create();
	tdict_set_texts(d, "t", "a&b");
	if (ok(tmpl_load(&t, path, &cause) == 0, "tmpl_load reads a file")) {
		tmpl_render(t, d, &out);
		is_str(out.data, "<h1>a&amp;b</h1>\n", "a loaded template renders");
		tmpl_free(t);
	} else
		free(cause);
	tdict_free(d);
	buf_free(&out);

	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd != -1) {
		if (write(fd, "x\n{{#a}}", 8) != 8)
			ok(0, "temporary file rewritten");
		close(fd);
	}
	prefix = xasprintf("%s:2: ", path);
	cause = NULL;
	ok(tmpl_load(&t, path, &cause) == -1 && cause != NULL &&
	    strncmp(cause, prefix, strlen(prefix)) == 0,
	    "tmpl_load errors are prefixed with the path and line");
	free(cause);
	free(prefix);
	unlink(path);

	cause = NULL;
	ok(tmpl_load(&t, path, &cause) == -1 && cause != NULL,
	    "tmpl_load fails on a missing file");
	free(cause);
}

struct thread_arg {
	const struct tmpl	*t;
	const struct tdict	*d;
	const char		*want;
	int			 bad;
};

/* Renders the shared template repeatedly and counts mismatches. */
static void *
thread_main(void *p)
{
	struct thread_arg	*a = p;
	struct buf		 out = BUF_INIT;
	int			 i;

	for (i = 0; i < NROUNDS; i++) {
		buf_reset(&out);
		tmpl_render(a->t, a->d, &out);
		if (out.data == NULL || strcmp(out.data, a->want) != 0)
			a->bad++;
	}
	buf_free(&out);
	return NULL;
}

/* One parsed template, rendered from several threads at once. */
static void
test_threads(void)
{
	const char	*text = "<title>{{title}}</title>{{#s}}<li>{{n}} "
			    "{{title}}{{#b}}!{{/b}}{{^b}}?{{/b}}</li>{{/s}}";
	struct thread_arg args[NTHREADS];
	pthread_t	 th[NTHREADS];
	struct tmpl	*t;
	struct tdict	*d, *item;
	struct buf	 want = BUF_INIT;
	char		*cause;
	int		 i, started = 0, bad = 0;

	d = tdict_create();
	tdict_set_texts(d, "title", "T&T");
	for (i = 0; i < 100; i++) {
		item = tdict_add_item(d, "s");
		tdict_set_textf(item, "n", "%d<", i);
		tdict_set_bool(item, "b", i % 3 == 0);
	}
	if (tmpl_parse(&t, "t", text, strlen(text), &cause) != 0) {
		ok(0, "threads: template parses (%s)", cause);
		free(cause);
		tdict_free(d);
		return;
	}
	tmpl_render(t, d, &want);
	for (i = 0; i < NTHREADS; i++) {
		args[i].t = t;
		args[i].d = d;
		args[i].want = want.data;
		args[i].bad = 0;
		if (pthread_create(&th[i], NULL, thread_main, &args[i]) == 0)
			started++;
		else
			break;
	}
	for (i = 0; i < started; i++) {
		pthread_join(th[i], NULL);
		bad += args[i].bad;
	}
	is_int(started, NTHREADS, "threads: %d threads started", NTHREADS);
	is_int(bad, 0, "rendering one template from %d threads at once gives "
	    "identical output", NTHREADS);
	has_str(want.data, "<li>99&lt; T&amp;T!</li>",
	    "threads: reference output is right");
	buf_free(&want);
	tmpl_free(t);
	tdict_free(d);
}

/* Runs every group of checks. */
/* A dictionary of constant texts behind the render's own, as the interface texts are. */
static void
test_outer(void)
{
	struct tdict	*outer, *d, *it;

	outer = tdict_create();
	tdict_set_html(outer, "s_next", "Next <b>", 8);
	tdict_set_texts(outer, "name", "outer");
	d = tdict_create();
	tdict_set_outer(d, outer);
	ok(tdict_outer(d) == outer, "tdict_outer gives the dictionary lent");
	tdict_set_texts(d, "name", "mine");
	it = tdict_add_item(d, "items");
	tdict_set_texts(it, "x", "1");
	check("{{{s_next}}}|{{s_next}}", d, "Next <b>|Next &lt;b&gt;",
	    "a name the dictionary lacks is found behind it, raw or escaped");
	check("{{name}}", d, "mine", "the render's own names come first");
	check("{{#items}}{{x}}{{s_next}}{{/items}}", d, "1Next &lt;b&gt;",
	    "inside a list item, the outer texts are found last");
	check("{{#s_next}}y{{/s_next}}{{^nothing}}n{{/nothing}}", d, "yn",
	    "sections see the outer texts too");
	tdict_free(d);
	check("{{s_next}}", outer, "Next &lt;b&gt;", "freeing the dictionary leaves what it borrowed");
	tdict_free(outer);
}

/* Each case runs on its own: one failure does not hide the others. */
static const struct tap_case cases[] = {
	TAP_CASE(test_values),
	TAP_CASE(test_sections),
	TAP_CASE(test_tdict),
	TAP_CASE(test_outer),
	TAP_CASE(test_errors),
	TAP_CASE(test_big),
	TAP_CASE(test_load),
	TAP_CASE(test_threads),
};

int
main(void)
{
	return tap_run_cases(cases);
}
