/* Host unit tests for lib/format.c (format_v, vsnprintf, snprintf).
 *
 * lib/format.c defines snprintf/vsnprintf, which glibc (and libcmocka, via
 * glibc) also use, so unit.mk builds both this file and lib/format.c with
 * -Dsnprintf=lull_snprintf -Dvsnprintf=lull_vsnprintf: every snprintf and
 * vsnprintf below is Lull's. Do not include <stdio.h> here. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <limits.h>
#include <string.h>
#include <cmocka.h>

#include <lull/format.h>

#if !defined(snprintf) || !defined(vsnprintf)
#error "build with -Dsnprintf=lull_snprintf -Dvsnprintf=lull_vsnprintf (see unit.mk)"
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Format into a large buffer and compare both the text and the return
 * value (which must equal the text's length). The format is checked by the
 * compiler through snprintf's printf attribute. */
#define CHECK(expect, ...)                                              \
	do {                                                            \
		char out_[256];                                         \
		int n_;                                                 \
		memset(out_, 0x7e, sizeof(out_));                       \
		n_ = snprintf(out_, sizeof(out_), __VA_ARGS__);         \
		assert_string_equal(out_, (expect));                    \
		assert_int_equal(n_, strlen(expect));                   \
	} while (0)

/* Same, for formats the compiler would (rightly) warn about: unusual flag
 * combinations, unknown conversions, a trailing '%'. No format attribute. */
static int fmt_raw(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	int n;
	va_start(ap, f);
	n = vsnprintf(buf, size, f, ap);
	va_end(ap);
	return n;
}

#define CHECK_RAW(expect, ...)                                          \
	do {                                                            \
		char out_[256];                                         \
		int n_;                                                 \
		memset(out_, 0x7e, sizeof(out_));                       \
		n_ = fmt_raw(out_, sizeof(out_), __VA_ARGS__);          \
		assert_string_equal(out_, (expect));                    \
		assert_int_equal(n_, strlen(expect));                   \
	} while (0)

/* ------------------------------------------------------------------ */
/* Plain text                                                           */

static void test_plain_text(void **state)
{
	(void)state;
	CHECK("hello, world", "hello, world");
	CHECK("a", "a");
	CHECK("tab\tnewline\n", "tab\tnewline\n");
	CHECK_RAW("", "");
}

/* ------------------------------------------------------------------ */
/* %d / %i                                                              */

static void test_signed_decimal(void **state)
{
	(void)state;
	CHECK("0", "%d", 0);
	CHECK("7", "%d", 7);
	CHECK("42", "%i", 42);
	CHECK("-1", "%d", -1);
	CHECK("-42", "%d", -42);
	CHECK("-42", "%i", -42);
	CHECK("1234567890", "%d", 1234567890);
	CHECK("2147483647", "%d", INT_MAX);
	CHECK("-2147483648", "%d", INT_MIN);
	CHECK("x=-5, y=10", "x=%d, y=%d", -5, 10);
}

static void test_signed_long(void **state)
{
	(void)state;
	CHECK("-1", "%ld", -1L);
	CHECK("4294967296", "%ld", 4294967296L);
	CHECK("-4294967296", "%ld", -4294967296L);
	CHECK("9223372036854775807", "%ld", LONG_MAX);
	CHECK("-9223372036854775808", "%ld", LONG_MIN);
	CHECK("-9223372036854775808", "%lld", LLONG_MIN);
	CHECK("9223372036854775807", "%lli", LLONG_MAX);
	CHECK("-3", "%zd", (ptrdiff_t)-3);
}

/* ------------------------------------------------------------------ */
/* %u / %x / %X                                                         */

static void test_unsigned(void **state)
{
	(void)state;
	CHECK("0", "%u", 0U);
	CHECK("4294967295", "%u", UINT_MAX);
	/* A negative int printed with %u is reinterpreted as 32-bit. */
	CHECK("4294967295", "%u", (unsigned)-1);
	CHECK("18446744073709551615", "%lu", ULONG_MAX);
	CHECK("18446744073709551615", "%llu", ULLONG_MAX);
	CHECK("4294967296", "%lu", 4294967296UL);
	CHECK("12345", "%zu", (size_t)12345);
	CHECK("18446744073709551615", "%zu", SIZE_MAX);
}

static void test_hex(void **state)
{
	(void)state;
	CHECK("0", "%x", 0U);
	CHECK("deadbeef", "%x", 0xdeadbeefU);
	CHECK("DEADBEEF", "%X", 0xdeadbeefU);
	CHECK("ffffffff", "%x", UINT_MAX);
	CHECK("abcdef", "%x", 0xabcdefU);
	CHECK("ABCDEF", "%X", 0xabcdefU);
	/* Without 'l' only 32 bits are read. */
	CHECK("ffffffff", "%x", (unsigned)-1);
	/* 64-bit with 'l', 'll' and 'z'. */
	CHECK("fedcba9876543210", "%lx", 0xfedcba9876543210UL);
	CHECK("FEDCBA9876543210", "%lX", 0xfedcba9876543210UL);
	CHECK("ffffffffffffffff", "%lx", ULONG_MAX);
	CHECK("100000000", "%lx", 0x100000000UL);
	CHECK("8000000000000000", "%llx", 0x8000000000000000ULL);
	CHECK("1000", "%zx", (size_t)0x1000);
	CHECK("0000000040000000", "%016lx", 0x40000000UL);
	CHECK("00000000deadbeef", "%016lx", 0xdeadbeefUL);
	CHECK("ff00ffffff", "%lx", 0xff00ffffffUL);
}

/* ------------------------------------------------------------------ */
/* Width and flags                                                      */

static void test_width_space_pad(void **state)
{
	(void)state;
	CHECK("   42", "%5d", 42);
	CHECK("  -42", "%5d", -42);
	CHECK("42", "%2d", 42);
	CHECK("42", "%1d", 42);
	CHECK("12345", "%3d", 12345); /* width never truncates */
	CHECK("         0", "%10u", 0U);
	CHECK("        ff", "%10x", 0xffU);
	CHECK("          -1", "%12ld", -1L);
	CHECK("   abc", "%6s", "abc");
	CHECK("abc", "%2s", "abc");
	CHECK("    x", "%5c", 'x');
	CHECK("          ", "%10s", "");
}

static void test_width_zero_pad(void **state)
{
	(void)state;
	CHECK("00042", "%05d", 42);
	/* The sign goes before the zeros and counts toward the width. */
	CHECK("-0042", "%05d", -42);
	CHECK("-42", "%03d", -42);
	CHECK("-42", "%02d", -42);
	CHECK("-000000001", "%010ld", -1L);
	CHECK("00000", "%05u", 0U);
	CHECK("000000ff", "%08x", 0xffU);
	CHECK("000000FF", "%08X", 0xffU);
	CHECK("deadbeef", "%04x", 0xdeadbeefU);
	CHECK("[00000007]", "[%08d]", 7);
}

static void test_left_justify(void **state)
{
	(void)state;
	CHECK("42   |", "%-5d|", 42);
	CHECK("-42  |", "%-5d|", -42);
	CHECK("abc   |", "%-6s|", "abc");
	CHECK("abc|", "%-2s|", "abc");
	CHECK("x    |", "%-5c|", 'x');
	CHECK("ff      |", "%-8x|", 0xffU);
	CHECK("12345|", "%-3d|", 12345);
	/* '-' overrides '0': pad on the right with spaces. */
	CHECK_RAW("42   |", "%-05d|", 42);
	CHECK_RAW("42   |", "%0-5d|", 42);
	CHECK_RAW("-42  |", "%-05d|", -42);
}

static void test_zero_flag_ignored_for_non_numbers(void **state)
{
	(void)state;
	CHECK_RAW("  abc", "%05s", "abc");
	CHECK_RAW("    x", "%05c", 'x');
	CHECK_RAW("   0x10", "%07p", (void *)0x10);
}

/* ------------------------------------------------------------------ */
/* %p, %s, %c, %%                                                       */

static void test_pointer(void **state)
{
	(void)state;
	CHECK("0x1234", "%p", (void *)0x1234);
	CHECK("0xdeadbeef", "%p", (void *)(uintptr_t)0xdeadbeefU);
	CHECK("0xffff800000001000", "%p", (void *)(uintptr_t)0xffff800000001000ULL);
	CHECK("0x0", "%p", (void *)NULL);
	CHECK("    0x10", "%8p", (void *)0x10);
	CHECK("0x10    |", "%-8p|", (void *)0x10);
	CHECK("0x10", "%2p", (void *)0x10);
}

static void test_string(void **state)
{
	const char *null = NULL;
	(void)state;
	CHECK("abc", "%s", "abc");
	CHECK("", "%s", "");
	CHECK("[]", "[%s]", "");
	/* Via fmt_raw: GCC rightly flags NULL for a checked %s. */
	CHECK_RAW("(null)", "%s", null);
	CHECK_RAW("  (null)", "%8s", null);
	CHECK_RAW("(null)  |", "%-8s|", null);
	CHECK("a-b-c", "%s-%s-%s", "a", "b", "c");
	/* Conversions inside the argument are not interpreted. */
	CHECK("%d%s", "%s", "%d%s");
}

static void test_string_precision(void **state)
{
	/* Not NUL-terminated: a precision must stop reading at its length. */
	static const char unterminated[3] = { 'x', 'y', 'z' };
	(void)state;
	/* ".N": at most N characters. */
	CHECK("abc", "%.3s", "abcdef");
	CHECK("a", "%.1s", "abcdef");
	CHECK("abc", "%.3s", "abc");             /* exactly the length */
	CHECK("abc", "%.10s", "abc");            /* longer than the string */
	CHECK("", "%.5s", "");
	CHECK("abcdefghijkl", "%.12s", "abcdefghijklmnop"); /* two digits */
	/* Precision 0 (".0" or a bare ".") prints nothing. */
	CHECK("", "%.0s", "abc");
	CHECK("[]", "[%.0s]", "abc");
	CHECK("", "%.s", "abc");
	/* ".*": the precision is an int argument before the string. */
	CHECK("ab", "%.*s", 2, "abcdef");
	CHECK("", "%.*s", 0, "abc");
	CHECK("abc", "%.*s", 3, "abc");
	CHECK("abc", "%.*s", 100, "abc");
	CHECK("xyz", "%.*s", 3, unterminated);
	CHECK("xy", "%.*s", 2, unterminated);
	CHECK("xyz", "%.3s", unterminated);
	/* A negative ".*" precision counts as none. */
	CHECK("abcdef", "%.*s", -1, "abcdef");
	/* Arguments after a ".*" conversion are consumed in step. */
	CHECK("key=7 ok", "%.*s=%d %.*s", 3, "keyXXX", 7, 2, "okay");
	CHECK("abc|de|f", "%.3s|%.*s|%.1s", "abcdef", 2, "defgh", "fgh");
}

static void test_string_precision_width(void **state)
{
	(void)state;
	/* Width pads the truncated string, not the original. */
	CHECK("   ab", "%5.2s", "abcdef");
	CHECK("ab   |", "%-5.2s|", "abcdef");
	CHECK("   ab", "%5.*s", 2, "abcdef");
	CHECK("ab   |", "%-5.*s|", 2, "abcdef");
	CHECK("  abc", "%5.10s", "abc");
	CHECK("abc  |", "%-5.10s|", "abc");
	/* Precision 0 with a width: all padding. */
	CHECK("    ", "%4.0s", "abc");
	CHECK("    |", "%-4.*s|", 0, "abc");
	/* Width smaller than the precision: the precision decides. */
	CHECK("abcd", "%2.4s", "abcdef");
	CHECK("abcd|", "%-2.*s|", 4, "abcdef");
	/* Via format_v's return value and a bounded buffer. */
	{
		char out[4];
		int n;
		memset(out, 'z', sizeof(out));
		n = snprintf(out, sizeof(out), "%6.4s", "abcdef");
		assert_int_equal(n, 6);
		assert_string_equal(out, "  a");
	}
}

static void test_char(void **state)
{
	(void)state;
	CHECK("A", "%c", 'A');
	CHECK("abc", "%c%c%c", 'a', 'b', 'c');
	CHECK("%", "%c", '%');
	CHECK("\xff", "%c", 0xff);
}

static void test_char_nul(void **state)
{
	/* %c with '\0' emits a NUL byte that counts in the length. */
	char out[16];
	int n;
	(void)state;
	memset(out, 'z', sizeof(out));
	n = snprintf(out, sizeof(out), "a%cb", 0);
	assert_int_equal(n, 3);
	assert_memory_equal(out, "a\0b\0", 4);
}

static void test_percent(void **state)
{
	(void)state;
	CHECK("%", "%%");
	CHECK("100%", "100%%");
	CHECK("%d", "%%d");
	CHECK("%%", "%%%%");
	CHECK("50% of 8", "%d%% of %d", 50, 8);
	CHECK("%s", "%%s");
}

static void test_unknown_and_trailing(void **state)
{
	(void)state;
	/* Unknown conversions are echoed, consuming no argument. */
	CHECK_RAW("%q", "%q");
	CHECK_RAW("%q 7", "%q %d", 7);
	/* A lone '%' at the end (even after flags/width/length) ends output. */
	CHECK_RAW("abc", "abc%");
	CHECK_RAW("abc", "abc%-05");
	CHECK_RAW("abc", "abc%l");
}

static void test_mixed_arguments(void **state)
{
	/* Mixed 32- and 64-bit arguments must be consumed in step. */
	(void)state;
	CHECK("1 ffffffffffffffff 2 x -3 0x8 str 4",
	      "%d %lx %u %c %lld %p %s %x", 1, ULONG_MAX, 2U, 'x', -3LL,
	      (void *)8, "str", 4U);
	CHECK("cpu 3: mpidr 0x0000000100000203 rc=-2 (INVALID_PARAMETERS)",
	      "cpu %u: mpidr 0x%016lx rc=%d (%s)", 3U, 0x100000203UL, -2,
	      "INVALID_PARAMETERS");
}

/* ------------------------------------------------------------------ */
/* format_v with a custom sink                                          */

struct capture {
	char buf[128];
	int calls;
};

static void capture_sink(char c, void *ctx)
{
	struct capture *cap = ctx;
	if (cap->calls < (int)sizeof(cap->buf) - 1)
		cap->buf[cap->calls] = c;
	cap->calls++;
}

static int format_capture(struct capture *cap, const char *fmt, ...)
{
	va_list ap;
	int n;
	memset(cap, 0, sizeof(*cap));
	va_start(ap, fmt);
	n = format_v(capture_sink, cap, fmt, ap);
	va_end(ap);
	return n;
}

static void test_format_v_sink(void **state)
{
	struct capture cap;
	int n;
	(void)state;

	n = format_capture(&cap, "x=%05d %-3s|%c%%", -7, "ab", 'Q');
	assert_string_equal(cap.buf, "x=-0007 ab |Q%");
	assert_int_equal(n, cap.calls);
	assert_int_equal(n, 14);

	n = format_capture(&cap, "");
	assert_int_equal(n, 0);
	assert_int_equal(cap.calls, 0);

	/* No size limit in format_v itself. */
	n = format_capture(&cap, "%100s", "end");
	assert_int_equal(n, 100);
	assert_int_equal(cap.calls, 100);
	assert_string_equal(cap.buf + 97, "end");
}

/* ------------------------------------------------------------------ */
/* vsnprintf / snprintf bounds                                          */

static void test_truncation(void **state)
{
	char out[16];
	int n;
	(void)state;

	/* Exactly fits (strlen + NUL == size). */
	memset(out, 'z', sizeof(out));
	n = snprintf(out, 6, "hello");
	assert_int_equal(n, 5);
	assert_string_equal(out, "hello");
	assert_int_equal(out[6], 'z');

	/* One too small: last char dropped, still terminated. */
	memset(out, 'z', sizeof(out));
	n = snprintf(out, 5, "hello");
	assert_int_equal(n, 5);
	assert_string_equal(out, "hell");
	assert_int_equal(out[5], 'z');

	/* Much too small, with conversions: return the full length. */
	memset(out, 'z', sizeof(out));
	n = snprintf(out, 8, "value=%d, name=%s", -12345, "lull");
	assert_int_equal(n, (int)strlen("value=-12345, name=lull"));
	assert_string_equal(out, "value=-");
	assert_int_equal(out[8], 'z');

	/* Truncation in the middle of zero padding. */
	memset(out, 'z', sizeof(out));
	n = snprintf(out, 4, "%08x", 0xabU);
	assert_int_equal(n, 8);
	assert_string_equal(out, "000");
	assert_int_equal(out[4], 'z');

	/* size 1: only the terminator. */
	memset(out, 'z', sizeof(out));
	n = snprintf(out, 1, "abc%d", 5);
	assert_int_equal(n, 4);
	assert_int_equal(out[0], '\0');
	assert_int_equal(out[1], 'z');

	/* size 2. */
	memset(out, 'z', sizeof(out));
	n = snprintf(out, 2, "abc");
	assert_int_equal(n, 3);
	assert_string_equal(out, "a");
	assert_int_equal(out[2], 'z');
}

static void test_size_zero(void **state)
{
	char out[8];
	int n;
	(void)state;

	/* size 0: nothing is written, not even a NUL. */
	memset(out, 'z', sizeof(out));
	n = snprintf(out, 0, "abc%s", "def");
	assert_int_equal(n, 6);
	for (size_t i = 0; i < sizeof(out); i++)
		assert_int_equal(out[i], 'z');

	/* ... so a NULL buffer is fine: the usual length query. */
	n = snprintf(NULL, 0, "%d-%s", 1234, "xy");
	assert_int_equal(n, 7);
	n = fmt_raw(NULL, 0, "");
	assert_int_equal(n, 0);
}

static void test_empty_output_terminated(void **state)
{
	char out[4];
	int n;
	(void)state;
	memset(out, 'z', sizeof(out));
	n = fmt_raw(out, sizeof(out), "");
	assert_int_equal(n, 0);
	assert_int_equal(out[0], '\0');
	assert_int_equal(out[1], 'z');

	memset(out, 'z', sizeof(out));
	n = snprintf(out, sizeof(out), "%s", "");
	assert_int_equal(n, 0);
	assert_int_equal(out[0], '\0');
}

static void test_vsnprintf_direct(void **state)
{
	char out[8];
	int n;
	(void)state;
	memset(out, 'z', sizeof(out));
	n = fmt_raw(out, sizeof(out), "%lx-%d", 0x123456789UL, 42);
	assert_int_equal(n, 12);
	assert_string_equal(out, "1234567");
	n = fmt_raw(out, sizeof(out), "%s", "short");
	assert_int_equal(n, 5);
	assert_string_equal(out, "short");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text),
		cmocka_unit_test(test_signed_decimal),
		cmocka_unit_test(test_signed_long),
		cmocka_unit_test(test_unsigned),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_width_space_pad),
		cmocka_unit_test(test_width_zero_pad),
		cmocka_unit_test(test_left_justify),
		cmocka_unit_test(test_zero_flag_ignored_for_non_numbers),
		cmocka_unit_test(test_pointer),
		cmocka_unit_test(test_string),
		cmocka_unit_test(test_string_precision),
		cmocka_unit_test(test_string_precision_width),
		cmocka_unit_test(test_char),
		cmocka_unit_test(test_char_nul),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_unknown_and_trailing),
		cmocka_unit_test(test_mixed_arguments),
		cmocka_unit_test(test_format_v_sink),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_size_zero),
		cmocka_unit_test(test_empty_output_terminated),
		cmocka_unit_test(test_vsnprintf_direct),
	};
	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
