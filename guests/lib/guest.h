/* The bare-metal guest library: console, PSCI over HVC, and the entry
 * points. Guests run at EL1 with the MMU off. */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H
#include <stdbool.h>
#include <stdint.h>
#include <lull/arch.h>
#include <lull/psci.h>

#define GUEST_UART 0x09000000UL

struct exception_frame {
	uint64_t x[19];   /* x0-x18 */
	uint64_t lr;
	uint64_t elr;     /* where to return: a handler may move it */
};

/* A guest's synchronous-exception handler: return true if handled (it
 * may advance frame->elr), false to report and power off. */
extern bool (*guest_sync_handler)(struct exception_frame *f, uint64_t esr, uint64_t far);

/* IRQ handler of the guest (vectors 1, 5: IRQ from EL1t/EL1h). */
extern void (*guest_irq_handler)(void);

void gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int64_t hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
void guest_secondary_entry(void);
__attribute__((noreturn)) void guest_system_off(void);
#endif
