/* test-buf.c: unit tests for the growable byte buffer. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tap.h"

/* Checks that b->data[b->len] is NUL and len < cap. */
static int
terminated(const struct buf *b)
{
	return b->data != NULL && b->len < b->cap && b->data[b->len] == '\0';
}

/* buf_add of many chunks keeps every byte in order across reallocations. */
static void
test_add_grows_and_keeps_bytes(void)
{
	struct buf	 b = BUF_INIT;
	size_t		 i, bad = 0, grows = 0, lastcap = 0;
	char		 chunk[7];

	for (i = 0; i < 100000; i++) {
		memset(chunk, 'a' + (int)(i % 26), sizeof chunk);
		buf_add(&b, chunk, sizeof chunk);
		if (b.cap != lastcap)
			grows++, lastcap = b.cap;
		if (!terminated(&b))
			bad++;
	}
	is_int(b.len, 700000, "buf_add: length is the sum of all chunks");
	ok(grows >= 10, "buf_add: buffer was reallocated many times (%zu)", grows);
	is_int(bad, 0, "buf_add: data stays NUL-terminated after every add");
	for (i = 0; i < 100000; i++) {
		if (b.data[i * 7] != 'a' + (int)(i % 26) ||
		    b.data[i * 7 + 6] != 'a' + (int)(i % 26))
			bad++;
	}
	is_int(bad, 0, "buf_add: every chunk is intact after growth");
	buf_free(&b);
	ok(b.data == NULL && b.len == 0 && b.cap == 0,
	    "buf_free: leaves an empty, reusable buffer");
}

/* buf_add of zero bytes on an empty buffer gives an empty string. */
static void
test_add_empty_terminates(void)
{
	struct buf	 b = BUF_INIT;

	buf_add(&b, "", 0);
	ok(terminated(&b), "buf_add of 0 bytes: data is allocated and NUL-terminated");
	is_str(b.data, "", "buf_add of 0 bytes: the string is empty");
	buf_free(&b);
}

/* buf_adds and buf_addc append strings and bytes, including NUL bytes. */
static void
test_adds_addc(void)
{
	struct buf	 b = BUF_INIT;
	size_t		 i;
	int		 same = 1;

	buf_adds(&b, "abc");
	buf_addc(&b, 'd');
	buf_adds(&b, "");
	is_str(b.data, "abcd", "buf_adds/buf_addc: append in order");
	is_int(b.len, 4, "buf_adds/buf_addc: length counts the bytes");
	for (i = 0; i < 50000; i++)
		buf_addc(&b, (char)('0' + i % 10));
	is_int(b.len, 50004, "buf_addc: grows past many reallocations");
	ok(terminated(&b), "buf_addc: NUL-terminated after growth");
	for (i = 0; i < 50000; i++)
		if (b.data[4 + i] != (char)('0' + i % 10))
			same = 0;
	ok(same, "buf_addc: every byte kept");
	buf_reset(&b);
	buf_addc(&b, '\0');
	buf_addc(&b, 'x');
	ok(b.len == 2 && b.data[0] == '\0' && b.data[1] == 'x' &&
	    b.data[2] == '\0', "buf_addc: a NUL byte is data, counted in len");
	buf_free(&b);
}

/* buf_printf formats, appends and grows for long output. */
static void
test_printf(void)
{
	struct buf	 b = BUF_INIT;
	char		*big;
	size_t		 i;
	int		 same = 1;

	buf_printf(&b, "%d-%s", 42, "x");
	buf_printf(&b, "%c", '!');
	is_str(b.data, "42-x!", "buf_printf: formats and appends");
	is_int(b.len, 5, "buf_printf: len excludes the NUL");
	big = malloc(300001);
	memset(big, 'z', 300000);
	big[300000] = '\0';
	buf_printf(&b, "[%s]", big);
	is_int(b.len, 5 + 300002, "buf_printf: a long result is appended whole");
	ok(terminated(&b), "buf_printf: NUL-terminated after growth");
	ok(b.data[5] == '[' && b.data[b.len - 1] == ']',
	    "buf_printf: long result is framed correctly");
	for (i = 0; i < 300000; i++)
		if (b.data[6 + i] != 'z')
			same = 0;
	ok(same, "buf_printf: long result intact");
	for (i = 0; i < 20000; i++)
		buf_printf(&b, "%05zu", i);
	is_int(b.len, 5 + 300002 + 100000, "buf_printf: many small appends grow the buffer");
	ok(memcmp(b.data + b.len - 5, "19999", 5) == 0,
	    "buf_printf: last of many appends is at the end");
	ok(terminated(&b), "buf_printf: still NUL-terminated");
	free(big);
	buf_free(&b);
}

/* buf_detach hands over the data, even for a buffer that was never used. */
static void
test_detach(void)
{
	struct buf	 b = BUF_INIT;
	char		*p;
	size_t		 len = 99;

	p = buf_detach(&b, &len);
	ok(p != NULL, "buf_detach on an empty buffer: returns a string, not NULL");
	is_str(p, "", "buf_detach on an empty buffer: the string is empty");
	is_int(len, 0, "buf_detach on an empty buffer: length 0");
	free(p);

	buf_adds(&b, "hello");
	p = buf_detach(&b, &len);
	is_str(p, "hello", "buf_detach: returns the contents");
	is_int(len, 5, "buf_detach: returns the length");
	ok(b.data == NULL && b.len == 0 && b.cap == 0,
	    "buf_detach: leaves the buffer empty");
	buf_adds(&b, "again");
	is_str(b.data, "again", "buf_detach: buffer is reusable afterwards");
	ok(b.data != p, "buf_detach: reuse does not share the detached memory");
	free(p);
	p = buf_detach(&b, NULL);
	is_str(p, "again", "buf_detach: len may be NULL");
	free(p);
}

/* buf_reset empties the buffer but keeps its memory. */
static void
test_reset(void)
{
	struct buf	 b = BUF_INIT;
	char		*data;
	size_t		 cap;

	buf_reset(&b);
	ok(b.len == 0 && b.data == NULL, "buf_reset: harmless on a never-used buffer");
	buf_adds(&b, "some text that is long enough");
	data = b.data;
	cap = b.cap;
	buf_reset(&b);
	is_int(b.len, 0, "buf_reset: length is 0");
	is_str(b.data, "", "buf_reset: data reads as an empty string");
	ok(b.data == data && b.cap == cap, "buf_reset: memory is kept");
	buf_adds(&b, "new");
	is_str(b.data, "new", "buf_reset: later adds start at the beginning");
	buf_free(&b);
}

/* buf_reserve makes room without changing the contents. */
static void
test_reserve(void)
{
	struct buf	 b = BUF_INIT;

	buf_adds(&b, "ab");
	buf_reserve(&b, 10000);
	ok(b.cap >= 2 + 10000 + 1, "buf_reserve: capacity covers len + n + NUL");
	is_str(b.data, "ab", "buf_reserve: contents unchanged");
	is_int(b.len, 2, "buf_reserve: length unchanged");
	buf_free(&b);
}

/* Each case runs on its own: one failure does not hide the others. */
static const struct tap_case cases[] = {
	TAP_CASE(test_add_grows_and_keeps_bytes),
	TAP_CASE(test_add_empty_terminates),
	TAP_CASE(test_adds_addc),
	TAP_CASE(test_printf),
	TAP_CASE(test_detach),
	TAP_CASE(test_reset),
	TAP_CASE(test_reserve),
};

int
main(void)
{
	return tap_run_cases(cases);
}
