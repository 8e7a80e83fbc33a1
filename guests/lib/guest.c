#include <stdarg.h>
#include <lull/format.h>
#include <lull/pl011.h>
#include "guest.h"

static void put(char c, void *ctx)
{
	(void)ctx;
	pl011_putc(GUEST_UART, c);
}

void gprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	format_v(put, NULL, fmt, ap);
	va_end(ap);
}

int64_t hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
			   "x14", "x15", "x16", "x17", "memory");
	return (int64_t)x0;
}

void guest_system_off(void)
{
	hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		wfi();
}

bool (*guest_sync_handler)(struct exception_frame *f, uint64_t esr, uint64_t far);
void (*guest_irq_handler)(void);

void guest_exception(struct exception_frame *f, unsigned vector)
{
	uint64_t esr = read_sysreg(esr_el1), far = read_sysreg(far_el1);

	if ((vector % 4) == 0 && guest_sync_handler && guest_sync_handler(f, esr, far))
		return;
	if ((vector % 4) == 1 && guest_irq_handler) {
		guest_irq_handler();
		return;
	}
	gprintf("guest: unexpected exception (vector %u) ESR 0x%lx FAR 0x%lx ELR 0x%lx\n", vector,
		esr, far, f->elr);
	guest_system_off();
}

void lull_stack_chk_failed(void)
{
}
