#include <stdarg.h>
#include <lull/format.h>
#include "hyp.h"
#include "traps.h"

void panic(const char *fmt, ...)
{
	char msg[320];
	va_list ap;

	irq_disable();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("PANIC: %s", msg);
	backtrace_from((uint64_t)__builtin_frame_address(0));
	for (;;)
		wfi();
}

void lull_stack_chk_failed(void)
{
	panic("stack protector tripped");
}
