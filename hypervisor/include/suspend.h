/* The boot CPU's way through a machine power-down (arch/aarch64/suspend.S):
 * a setjmp-like save of the C context, and the entry point the firmware
 * re-enters after PSCI SYSTEM_SUSPEND. */
#ifndef HYP_SUSPEND_H
#define HYP_SUSPEND_H
#include <stdint.h>

struct suspend_context {
	uint64_t x19_x30[12];
	uint64_t sp;
};

/* 0 when saving; 1 when host_resume_entry resumed the machine. */
__attribute__((returns_twice)) int suspend_context_save(struct suspend_context *c);
/* Clean the context (and what the resume entry reads with the MMU off) to
 * the point of coherency before the power goes. */
void suspend_context_clean(struct suspend_context *c);
/* The firmware enters here: EL2, MMU off, x0 = context id (not trusted). */
void host_resume_entry(void);
/* The counter when host_resume_entry ran its first instruction. */
extern volatile uint64_t host_resume_stamp;
#endif
