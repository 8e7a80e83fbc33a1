/* Guest test framework: each test is a declared descriptor (GTEST(name)
 * puts one in the .gtests section); gtest_main runs them all (link order) and
 * prints parseable lines:
 *   GTEST <name>: PASS
 *   GTEST <name>: FAIL: <why>
 *   GTEST <name>: SKIP: <why>
 *   GTEST SUMMARY: <n> passed, <m> failed, <k> skipped
 * then powers the domain off (PSCI SYSTEM_OFF). */
#ifndef GUEST_GTEST_H
#define GUEST_GTEST_H
#include <stdbool.h>

struct gtest {
	const char *name;
	void (*run)(void);
};

#define GTEST(n)                                                                  \
	static void gtest_fn_##n(void);                                           \
	static const struct gtest gtest_desc_##n                                  \
		__attribute__((used, section(".gtests"), aligned(8))) = { #n, gtest_fn_##n }; \
	static void gtest_fn_##n(void)

/* Record a failure of the running test (the first reason is printed). */
void gtest_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define GTEST_EXPECT(cond, ...) do { if (!(cond)) gtest_fail(__VA_ARGS__); } while (0)
/* The test does not apply here: say why and end it. */
void gtest_skip(const char *why);
#define GTEST_SKIP(why) do { gtest_skip(why); return; } while (0)

__attribute__((noreturn)) void gtest_main(void);
#endif
