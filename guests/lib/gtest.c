#include <stdarg.h>
#include <lull/format.h>
#include "gtest.h"
#include "guest.h"

extern const struct gtest __gtests_start[], __gtests_end[];

static bool failed, skipped;
static char why[128];

void gtest_skip(const char *reason)
{
	skipped = true;
	snprintf(why, sizeof(why), "%s", reason);
}

void gtest_fail(const char *fmt, ...)
{
	va_list ap;

	if (failed)
		return;
	failed = true;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
}

void gtest_main(void)
{
	unsigned pass = 0, fail = 0, skip = 0;

	for (const struct gtest *t = __gtests_start; t < __gtests_end; t++) {
		failed = skipped = false;
		t->run();
		if (skipped && !failed) {
			skip++;
			gprintf("GTEST %s: SKIP: %s\n", t->name, why);
		} else if (failed) {
			fail++;
			gprintf("GTEST %s: FAIL: %s\n", t->name, why);
		} else {
			pass++;
			gprintf("GTEST %s: PASS\n", t->name);
		}
	}
	gprintf("GTEST SUMMARY: %u passed, %u failed, %u skipped\n", pass, fail, skip);
	guest_system_off();
}
