/* The self-hosted debug registers of each vCPU (arch/aarch64/debug_regs.c):
 * breakpoints, watchpoints, MDSCR_EL1, the OS lock and the rest of the
 * debug System registers. Every guest access traps (MDCR_EL2.TDA, TDOSA,
 * TDRA) and is served from the vCPU's own copy; the hardware holds a
 * vCPU's breakpoints and watchpoints only while that vCPU runs with
 * debugging enabled (docs/guest-cpu.md, "Debug"). */
#ifndef HYP_DEBUG_REGS_H
#define HYP_DEBUG_REGS_H
#include <stdbool.h>
#include <stdint.h>
#include "sysreg_trap.h"

#define DEBUG_MAX_BPS 16

struct vcpu_debug {
	uint64_t bvr[DEBUG_MAX_BPS], bcr[DEBUG_MAX_BPS];
	uint64_t wvr[DEBUG_MAX_BPS], wcr[DEBUG_MAX_BPS];
	uint64_t mdscr;          /* as the guest wrote it (masked) */
	uint64_t mdccint, oseccr, dbgprcr;
	uint8_t claim;           /* DBGCLAIM tags */
	bool oslk;               /* OS lock (set at reset) */
	bool osdlk;              /* OS double lock */
	bool live;               /* its breakpoints are in the hardware */
};

struct vcpu;

/* This CPU: OS lock open, debug disarmed, breakpoints and watchpoints off. */
void debug_cpu_init(void);
/* The reset state of a vCPU's debug registers (Cold reset: OS lock set). */
void debug_vcpu_reset(struct vcpu *v);
/* The vCPU takes / leaves this CPU. */
void debug_load(struct vcpu *v);
void debug_put(struct vcpu *v);
/* The sysreg_trap emulator. */
enum sysreg_result debug_sysreg_access(struct vcpu *v, const struct sysreg_access *a);
#endif
