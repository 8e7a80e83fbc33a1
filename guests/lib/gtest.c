#include <stdarg.h>
#include <lull/format.h>
#include "gtest.h"
#include "guest.h"

extern const struct gtest __gtests_start[], __gtests_end[];

static bool failed;
static char why[128];

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
	unsigned pass = 0, fail = 0;

	for (const struct gtest *t = __gtests_start; t < __gtests_end; t++) {
		failed = false;
		t->run();
		if (failed) {
			fail++;
			gprintf("GTEST %s: FAIL: %s\n", t->name, why);
		} else {
			pass++;
			gprintf("GTEST %s: PASS\n", t->name);
		}
	}
	gprintf("GTEST SUMMARY: %u passed, %u failed\n", pass, fail);
	guest_system_off();
}
