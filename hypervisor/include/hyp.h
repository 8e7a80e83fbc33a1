/* Hypervisor-wide definitions. */
#ifndef HYP_HYP_H
#define HYP_HYP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lull/arch.h>

#define NORETURN __attribute__((noreturn))
/* Code and data only the boot CPU runs at cold boot. After boot the
 * section is made non-executable, so a re-entry path that strays into
 * boot-only code faults at once instead of silently re-initialising. */
#define __boot __attribute__((section(".text.boot")))

#define MAX_CPUS        8
#define HYP_STACK_SIZE  0x4000
#define PAGE_SIZE       4096UL
/* The hypervisor's own memory: image, stacks, page tables, page pool. */
#define HYP_BASE        0x40200000UL
#define HYP_SIZE        (32UL << 20)

/* SGIs the hypervisor uses. SGI 15 belongs to the rig firmware. */
#define SGI_CALL        0   /* run a cross-CPU call */
#define SGI_KICK        1   /* wake a CPU to look at its work */

/* Interrupt IDs (PPIs). */
#define PPI_HYP_TIMER   26  /* CNTHP: the EL2 physical timer */

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
NORETURN void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Generic timer. */
static inline uint64_t counter_now(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}
uint64_t counter_freq(void);
uint64_t us_to_ticks(uint64_t us);
/* Wait (WFE, not a busy spin) until cond() or timeout; true on cond. */
bool wait_until(bool (*cond)(void *), void *arg, uint64_t timeout_us);
#endif
