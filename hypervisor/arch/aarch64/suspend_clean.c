/* Cache maintenance before the machine powers down: what the resume entry
 * (suspend.S) reads with the MMU and caches off must be in memory. The
 * firmware cleans the caches as it powers the system down too (PSCI);
 * this does not rely on it. */
#include "cache.h"
#include "hyp.h"
#include "mmu.h"
#include "suspend.h"

extern uint64_t mmu_regs[4];
extern char saved_context[];

void suspend_context_clean(struct suspend_context *c)
{
	dcache_clean_range(c, sizeof(*c));
	dcache_clean_range(saved_context, 8);
	dcache_clean_range(mmu_regs, sizeof(mmu_regs));
}
