/* Each domain's view of the CPU, on the hardware side (core/cpu_view.c). */
#ifndef HYP_CPU_VIEW_H
#define HYP_CPU_VIEW_H
#include <stdbool.h>
#include <stddef.h>
#include "sysreg_trap.h"

/* Features of the boot CPU that change what the hypervisor switches or
 * traps (set when CPU 0 records its registers). */
extern bool cpu_has_sme, cpu_has_mte2, cpu_has_amu;

/* At every arrival of a CPU, before it runs a vCPU. */
void cpu_view_record_this_cpu(void);
/* The boot CPU's longest SVE vector length (quadwords; 0: no SVE). */
unsigned cpu_view_boot_sve_vq(void);
/* Boot CPU, once the boot CPUs are online: make every domain's view. */
void cpu_views_finalise(void);
/* A secondary CPU at boot: wait for the views before running vCPUs. */
void cpu_views_wait(void);
/* A CPU arriving after boot: does it offer the views of the domains it
 * runs? If not, why. */
bool cpu_views_supported_here(char *why, size_t size);
/* The trapped ID registers (and the hidden SME/MTE registers). */
enum sysreg_result cpu_view_sysreg_access(struct vcpu *v, const struct sysreg_access *a);
#endif
