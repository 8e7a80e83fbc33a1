/* Host unit tests for lib/string.c (mem*, str*, strtoul, stack-protector
 * hooks).
 *
 * lib/string.c defines libc functions, so unit.mk builds both it and this
 * file with -D<name>=lull_<name> for every symbol it defines (memcpy ...
 * strtoul, __stack_chk_guard, __stack_chk_fail) and -fno-builtin: every
 * memcpy, strlen, strtoul, ... below is Lull's, declared through glibc's
 * headers under the renamed identifier. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <limits.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>

#if !defined(memcpy) || !defined(memmove) || !defined(memset) ||          \
	!defined(memcmp) || !defined(memchr) || !defined(strlen) ||       \
	!defined(strnlen) || !defined(strcmp) || !defined(strncmp) ||     \
	!defined(strchr) || !defined(strrchr) || !defined(strtoul) ||     \
	!defined(__stack_chk_guard) || !defined(__stack_chk_fail)
#error "build with -D<name>=lull_<name> for lib/string.c's symbols (see unit.mk)"
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Defined by lib/string.c (renamed), see its stack-protector hooks. */
extern uintptr_t __stack_chk_guard;
void __stack_chk_fail(void);

/* The hook lib/string.c's __stack_chk_fail calls; firmware/hypervisor
 * provide a panicking one. */
void lull_stack_chk_failed(void);
static int stack_chk_failed_calls;
void lull_stack_chk_failed(void)
{
	stack_chk_failed_calls++;
}

/* ------------------------------------------------------------------ */
/* memcpy                                                               */

static void test_memcpy(void **state)
{
	unsigned char src[40], dst[40];
	(void)state;

	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(0xa0 + i);

	/* Every length up to 32 at every (mis)alignment of source and
	 * destination, both differently aligned (bytes only) and equally
	 * aligned (the word path); nothing outside the destination range is
	 * touched. */
	for (size_t k = 0; k < 16; k++) {
		size_t off = k % 8, so = k < 8 ? (off * 3 + 1) % 8 : off;
		for (size_t n = 0; n <= 32; n++) {
			for (size_t i = 0; i < sizeof(dst); i++)
				dst[i] = 0x55;
			assert_ptr_equal(memcpy(dst + off, src + so, n), dst + off);
			for (size_t i = 0; i < off; i++)
				assert_int_equal(dst[i], 0x55);
			for (size_t i = 0; i < n; i++)
				assert_int_equal(dst[off + i], src[so + i]);
			for (size_t i = off + n; i < sizeof(dst); i++)
				assert_int_equal(dst[i], 0x55);
		}
	}

	/* Bytes are copied verbatim, including NULs. */
	{
		char d[6] = "xxxxx";
		memcpy(d, "a\0b\0c", 5);
		assert_memory_equal(d, "a\0b\0c", 5);
		assert_int_equal(d[5], '\0');
	}
}

/* ------------------------------------------------------------------ */
/* memmove                                                              */

static void test_memmove_overlap_forward(void **state)
{
	/* dst > src: must copy from the end. */
	char buf[] = "abcdefgh";
	(void)state;
	assert_ptr_equal(memmove(buf + 2, buf, 5), buf + 2);
	assert_string_equal(buf, "ababcdeh");

	char buf2[] = "0123456789";
	memmove(buf2 + 1, buf2, 9);
	assert_string_equal(buf2, "0012345678");
}

static void test_memmove_overlap_backward(void **state)
{
	/* dst < src: must copy from the start. */
	char buf[] = "abcdefgh";
	(void)state;
	assert_ptr_equal(memmove(buf, buf + 2, 5), buf);
	assert_string_equal(buf, "cdefgfgh");

	char buf2[] = "0123456789";
	memmove(buf2, buf2 + 1, 9);
	assert_string_equal(buf2, "1234567899");
}

static void test_memmove_same_and_empty(void **state)
{
	char buf[] = "abcdef";
	(void)state;
	assert_ptr_equal(memmove(buf, buf, 6), buf);
	assert_string_equal(buf, "abcdef");
	assert_ptr_equal(memmove(buf + 1, buf, 0), buf + 1);
	assert_ptr_equal(memmove(buf, buf + 1, 0), buf);
	assert_string_equal(buf, "abcdef");
	/* Disjoint regions. */
	char other[7] = "zzzzzz";
	memmove(other, buf, 3);
	assert_string_equal(other, "abczzz");
}

static void test_memmove_exhaustive(void **state)
{
	/* All (src, dst, n) in a small window against a reference that goes
	 * through a temporary buffer. */
	enum { W = 24 };
	unsigned char buf[W], ref[W], tmp[W];
	(void)state;

	for (size_t s = 0; s < W; s++) {
		for (size_t d = 0; d < W; d++) {
			size_t max = W - (s > d ? s : d);
			for (size_t n = 0; n <= max; n++) {
				for (size_t i = 0; i < W; i++)
					buf[i] = ref[i] = (unsigned char)(i * 7 + 1);
				for (size_t i = 0; i < n; i++)
					tmp[i] = ref[s + i];
				for (size_t i = 0; i < n; i++)
					ref[d + i] = tmp[i];
				assert_ptr_equal(memmove(buf + d, buf + s, n), buf + d);
				assert_memory_equal(buf, ref, W);
			}
		}
	}
}

/* ------------------------------------------------------------------ */
/* memset                                                               */

static void test_memset(void **state)
{
	unsigned char buf[16];
	(void)state;

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = 0x11;
	assert_ptr_equal(memset(buf + 3, 0xab, 5), buf + 3);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], (i >= 3 && i < 8) ? 0xab : 0x11);

	/* Only the low byte of c is used. */
	memset(buf, 0x1ff, 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(buf[i], 0xff);
	memset(buf, -1, 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(buf[i], 0xff);
	memset(buf, 0x100, 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(buf[i], 0);

	/* Every length up to 40 at every alignment (the word path in the
	 * middle); nothing outside the range is touched. */
	{
		uint64_t big64[8];
		unsigned char *big = (unsigned char *)big64;

		for (size_t off = 0; off < 8; off++)
			for (size_t n = 0; n <= 40; n++) {
				for (size_t i = 0; i < sizeof(big64); i++)
					big[i] = 0x11;
				assert_ptr_equal(memset(big + off, 0xc3, n), big + off);
				for (size_t i = 0; i < sizeof(big64); i++)
					assert_int_equal(big[i], (i >= off && i < off + n) ? 0xc3 : 0x11);
			}
	}

	/* n == 0 writes nothing. */
	buf[0] = 0x42;
	assert_ptr_equal(memset(buf, 0, 0), buf);
	assert_int_equal(buf[0], 0x42);

	memset(buf, 0, sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
}

/* ------------------------------------------------------------------ */
/* memcmp / memchr                                                      */

static void test_memcmp(void **state)
{
	(void)state;
	assert_int_equal(memcmp("abc", "abc", 3), 0);
	assert_int_equal(memcmp("abc", "abd", 0), 0);
	assert_true(memcmp("abc", "abd", 3) < 0);
	assert_true(memcmp("abd", "abc", 3) > 0);
	assert_int_equal(memcmp("abc", "abd", 2), 0);
	assert_true(memcmp("b", "a", 1) > 0);
	/* Bytes compare as unsigned char. */
	assert_true(memcmp("\x80", "\x01", 1) > 0);
	assert_true(memcmp("\x01", "\xff", 1) < 0);
	assert_int_equal(memcmp("\xff", "\x00", 1), 0xff);
	assert_int_equal(memcmp("\x00", "\xff", 1), -0xff);
	/* NUL does not stop the comparison. */
	assert_true(memcmp("a\0b", "a\0c", 3) < 0);
	assert_int_equal(memcmp("a\0b", "a\0b", 3), 0);
	/* The first difference decides. */
	assert_true(memcmp("az", "ba", 2) < 0);
}

static void test_memchr(void **state)
{
	const char s[] = "hello\0world\xe9";
	(void)state;
	assert_ptr_equal(memchr(s, 'l', sizeof(s)), s + 2);
	assert_ptr_equal(memchr(s, 'h', sizeof(s)), s);
	assert_ptr_equal(memchr(s, 'o', sizeof(s)), s + 4);
	/* Searches past NUL. */
	assert_ptr_equal(memchr(s, 'w', sizeof(s)), s + 6);
	assert_ptr_equal(memchr(s, '\0', sizeof(s)), s + 5);
	/* Bound respected. */
	assert_null(memchr(s, 'w', 6));
	assert_ptr_equal(memchr(s, 'w', 7), s + 6);
	assert_null(memchr(s, 'h', 0));
	assert_null(memchr(s, 'z', sizeof(s)));
	/* c is converted to unsigned char. */
	assert_ptr_equal(memchr(s, 'e' + 0x100, sizeof(s)), s + 1);
	assert_ptr_equal(memchr(s, 0xe9, sizeof(s)), s + 11);
	assert_ptr_equal(memchr(s, (char)0xe9, sizeof(s)), s + 11);
}

/* ------------------------------------------------------------------ */
/* strlen / strnlen                                                     */

static void test_strlen(void **state)
{
	(void)state;
	assert_int_equal(strlen(""), 0);
	assert_int_equal(strlen("a"), 1);
	assert_int_equal(strlen("hello"), 5);
	assert_int_equal(strlen("ab\0cd"), 2);
	assert_int_equal(strlen("\xff\x80"), 2);
}

static void test_strnlen(void **state)
{
	(void)state;
	assert_int_equal(strnlen("hello", 10), 5);
	assert_int_equal(strnlen("hello", 5), 5);
	assert_int_equal(strnlen("hello", 3), 3);
	assert_int_equal(strnlen("hello", 0), 0);
	assert_int_equal(strnlen("", 4), 0);
	/* Never reads past max: no terminator within the array. */
	{
		const char nonterm[4] = { 'a', 'b', 'c', 'd' };
		assert_int_equal(strnlen(nonterm, sizeof(nonterm)), 4);
		assert_int_equal(strnlen(nonterm, 2), 2);
	}
}

/* ------------------------------------------------------------------ */
/* strcmp / strncmp                                                     */

static void test_strcmp(void **state)
{
	(void)state;
	assert_int_equal(strcmp("", ""), 0);
	assert_int_equal(strcmp("abc", "abc"), 0);
	assert_true(strcmp("abc", "abd") < 0);
	assert_true(strcmp("abd", "abc") > 0);
	/* Prefix sorts first. */
	assert_true(strcmp("ab", "abc") < 0);
	assert_true(strcmp("abc", "ab") > 0);
	assert_true(strcmp("", "a") < 0);
	assert_true(strcmp("a", "") > 0);
	/* Characters compare as unsigned char. */
	assert_true(strcmp("\x80", "a") > 0);
	assert_true(strcmp("a", "\xff") < 0);
	assert_int_equal(strcmp("\xff", ""), 0xff);
	/* Stops at NUL. */
	assert_int_equal(strcmp("ab\0x", "ab\0y"), 0);
}

static void test_strncmp(void **state)
{
	(void)state;
	assert_int_equal(strncmp("abc", "abd", 0), 0);
	assert_int_equal(strncmp("abc", "abd", 2), 0);
	assert_true(strncmp("abc", "abd", 3) < 0);
	assert_true(strncmp("abd", "abc", 10) > 0);
	assert_int_equal(strncmp("abc", "abc", 10), 0);
	assert_true(strncmp("ab", "abc", 3) < 0);
	assert_int_equal(strncmp("ab", "abc", 2), 0);
	assert_true(strncmp("abc", "ab", 3) > 0);
	/* Stops at NUL even when n is larger. */
	assert_int_equal(strncmp("ab\0x", "ab\0y", 4), 0);
	assert_int_equal(strncmp("", "", 5), 0);
	/* Unsigned comparison. */
	assert_true(strncmp("\x80", "a", 1) > 0);
	assert_int_equal(strncmp("a\xff", "a", 2), 0xff);
	assert_int_equal(strncmp("a", "a\xff", 2), -0xff);
}

/* ------------------------------------------------------------------ */
/* strchr / strrchr                                                     */

static void test_strchr(void **state)
{
	const char *s = "hello, world";
	(void)state;
	assert_ptr_equal(strchr(s, 'h'), s);
	assert_ptr_equal(strchr(s, 'l'), s + 2);
	assert_ptr_equal(strchr(s, 'd'), s + 11);
	assert_null(strchr(s, 'z'));
	/* The terminator itself can be found. */
	assert_ptr_equal(strchr(s, '\0'), s + 12);
	{
		const char *e = "";
		assert_ptr_equal(strchr(e, '\0'), e);
		assert_null(strchr(e, 'a'));
	}
	/* c is converted to char. */
	assert_ptr_equal(strchr(s, 'w' + 0x100), s + 7);
	{
		const char *hi = "ab\xe9z";
		assert_ptr_equal(strchr(hi, 0xe9), hi + 2);
		assert_ptr_equal(strchr(hi, (char)0xe9), hi + 2);
	}
	/* Does not look past the terminator. */
	{
		const char t[] = "ab\0c";
		assert_null(strchr(t, 'c'));
	}
}

static void test_strrchr(void **state)
{
	const char *s = "hello, world";
	(void)state;
	assert_ptr_equal(strrchr(s, 'l'), s + 10);
	assert_ptr_equal(strrchr(s, 'o'), s + 8);
	assert_ptr_equal(strrchr(s, 'h'), s);
	assert_ptr_equal(strrchr(s, 'd'), s + 11);
	assert_null(strrchr(s, 'z'));
	assert_ptr_equal(strrchr(s, '\0'), s + 12);
	{
		const char *e = "";
		assert_ptr_equal(strrchr(e, '\0'), e);
		assert_null(strrchr(e, 'a'));
	}
	{
		const char t[] = "a/b\0/c";
		assert_ptr_equal(strrchr(t, '/'), t + 1);
	}
	{
		const char *hi = "\xe9x\xe9y";
		assert_ptr_equal(strrchr(hi, 0xe9), hi + 2);
	}
}

/* ------------------------------------------------------------------ */
/* strtoul                                                              */

struct strtoul_case {
	const char *s;
	int base;
	unsigned long value;
	size_t end; /* expected offset of *end from s */
};

static void check_strtoul(const struct strtoul_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *end = NULL;
		unsigned long v = strtoul(c[i].s, &end, c[i].base);
		if (v != c[i].value || end != c[i].s + c[i].end)
			fail_msg("strtoul(\"%s\", %d): got %lu, end +%td; "
				 "expected %lu, end +%zu", c[i].s, c[i].base, v,
				 end - c[i].s, c[i].value, c[i].end);
		/* A NULL end pointer is allowed and gives the same value. */
		assert_true(strtoul(c[i].s, NULL, c[i].base) == c[i].value);
	}
}

static void test_strtoul_base10(void **state)
{
	static const struct strtoul_case cases[] = {
		{ "0", 10, 0, 1 },
		{ "7", 10, 7, 1 },
		{ "12345", 10, 12345, 5 },
		{ "42abc", 10, 42, 2 },
		{ "42 43", 10, 42, 2 },
		{ "123456789012", 10, 123456789012UL, 12 },
		{ "18446744073709551615", 10, ULONG_MAX, 20 },
		{ "0010", 10, 10, 4 },
		/* "0x" is not a prefix in base 10: parse "0", stop at 'x'. */
		{ "0x10", 10, 0, 1 },
		/* Hex digits are not decimal digits. */
		{ "9a", 10, 9, 1 },
		{ "ff", 10, 0, 0 },
		/* Leading blanks and tabs are skipped. */
		{ "  17", 10, 17, 4 },
		{ "\t\t5x", 10, 5, 3 },
		{ " \t 8", 10, 8, 4 },
		{ "", 10, 0, 0 },
		{ "abc", 10, 0, 0 },
	};
	(void)state;
	check_strtoul(cases, ARRAY_SIZE(cases));
}

static void test_strtoul_base16(void **state)
{
	static const struct strtoul_case cases[] = {
		{ "ff", 16, 0xff, 2 },
		{ "FF", 16, 0xff, 2 },
		{ "DeadBeef", 16, 0xdeadbeef, 8 },
		{ "0x1F", 16, 0x1f, 4 },
		{ "0X1f", 16, 0x1f, 4 },
		{ "0xff00ffffff", 16, 0xff00ffffffUL, 12 },
		{ "ffffffffffffffff", 16, ULONG_MAX, 16 },
		{ "0xffffffffffffffff", 16, ULONG_MAX, 18 },
		{ "0x40000000,", 16, 0x40000000, 10 },
		{ "12g", 16, 0x12, 2 },
		{ "  0x10", 16, 0x10, 6 },
		{ "0", 16, 0, 1 },
		{ "00x1", 16, 0, 2 },
		/* "0x" without a hex digit after it: only the "0" is parsed
		 * and *end points at the 'x'. */
		{ "0x", 16, 0, 1 },
		{ "0xg", 16, 0, 1 },
		{ "0X ", 16, 0, 1 },
		{ "x1", 16, 0, 0 },
		{ "", 16, 0, 0 },
	};
	(void)state;
	check_strtoul(cases, ARRAY_SIZE(cases));
}

static void test_strtoul_base0(void **state)
{
	static const struct strtoul_case cases[] = {
		{ "0x10", 0, 16, 4 },
		{ "0X10", 0, 16, 4 },
		{ "0xAbC", 0, 0xabc, 5 },
		{ "123", 0, 123, 3 },
		{ "9", 0, 9, 1 },
		{ "0", 0, 0, 1 },
		{ "4096 rest", 0, 4096, 4 },
		{ "  0x20;", 0, 0x20, 6 },
		/* Without the prefix, base 0 does not read hex digits. */
		{ "1f", 0, 1, 1 },
		{ "ff", 0, 0, 0 },
		{ "0x", 0, 0, 1 },
		{ "0xz", 0, 0, 1 },
		{ "", 0, 0, 0 },
	};
	(void)state;
	check_strtoul(cases, ARRAY_SIZE(cases));
}

static void test_strtoul_other_bases(void **state)
{
	static const struct strtoul_case cases[] = {
		{ "1011", 2, 11, 4 },
		{ "1012", 2, 5, 3 },
		{ "777", 8, 0777, 3 },
		{ "778", 8, 077, 2 },
		{ "zz", 36, 35 * 36 + 35, 2 },
		{ "ZZ", 36, 35 * 36 + 35, 2 },
		{ "z", 35, 0, 0 },
		{ "y", 35, 34, 1 },
		/* The 0x prefix is only special in bases 0 and 16. */
		{ "0x10", 36, 0 * 36 * 36 * 36 + 33 * 36 * 36 + 1 * 36 + 0, 4 },
		{ "0x1", 8, 0, 1 },
	};
	(void)state;
	check_strtoul(cases, ARRAY_SIZE(cases));
}

/* ------------------------------------------------------------------ */
/* Stack-protector hooks                                                */

static void test_stack_chk(void **state)
{
	(void)state;
	/* A non-zero canary with a zero byte nowhere in it. */
	assert_true(__stack_chk_guard != 0);
	for (unsigned i = 0; i < sizeof(__stack_chk_guard); i++)
		assert_true(((__stack_chk_guard >> (8 * i)) & 0xff) != 0);
	/* __stack_chk_fail forwards to lull_stack_chk_failed. */
	stack_chk_failed_calls = 0;
	__stack_chk_fail();
	assert_int_equal(stack_chk_failed_calls, 1);
	__stack_chk_fail();
	assert_int_equal(stack_chk_failed_calls, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcpy),
		cmocka_unit_test(test_memmove_overlap_forward),
		cmocka_unit_test(test_memmove_overlap_backward),
		cmocka_unit_test(test_memmove_same_and_empty),
		cmocka_unit_test(test_memmove_exhaustive),
		cmocka_unit_test(test_memset),
		cmocka_unit_test(test_memcmp),
		cmocka_unit_test(test_memchr),
		cmocka_unit_test(test_strlen),
		cmocka_unit_test(test_strnlen),
		cmocka_unit_test(test_strcmp),
		cmocka_unit_test(test_strncmp),
		cmocka_unit_test(test_strchr),
		cmocka_unit_test(test_strrchr),
		cmocka_unit_test(test_strtoul_base10),
		cmocka_unit_test(test_strtoul_base16),
		cmocka_unit_test(test_strtoul_base0),
		cmocka_unit_test(test_strtoul_other_bases),
		cmocka_unit_test(test_stack_chk),
	};
	return cmocka_run_group_tests_name("string", tests, NULL, NULL);
}
