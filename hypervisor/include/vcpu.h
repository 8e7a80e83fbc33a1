/* Virtual CPUs. A vCPU is pinned to one physical CPU and only that CPU
 * touches its register state; `power` (its PSCI state) changes under the
 * domain's lock (see core/domain.c). */
#ifndef HYP_VCPU_H
#define HYP_VCPU_H
#include <stdbool.h>
#include <stdint.h>
#include "debug_regs.h"
#include "vgic.h"
#include "vptimer.h"

struct domain;

/* Saved by the guest exit path (arch/aarch64/guest_entry.S): layout fixed. */
struct guest_regs {
	uint64_t x[31];
	uint64_t pc;       /* ELR_EL2 */
	uint64_t pstate;   /* SPSR_EL2 */
};

/* EL1/EL0 system registers switched when another vCPU takes the CPU. */
struct el1_regs {
	uint64_t sctlr, cpacr, ttbr0, ttbr1, tcr, mair, amair, vbar, contextidr;
	uint64_t tpidr_el0, tpidrro_el0, tpidr_el1, sp_el0, sp_el1, elr, spsr;
	uint64_t tpidr2_el0;         /* FEAT_SME CPUs only: SME is hidden, the register is not */
	uint64_t esr, far, afsr0, afsr1, par, cntkctl, csselr;
	uint64_t cntv_ctl, cntv_cval;
};

/* FP/SIMD state (arch/aarch64/fpsimd.c): q0-q31 for a vCPU without SVE;
 * with SVE only fpsr and fpcr, the V registers being the low 128 bits of
 * its Z registers (struct vcpu: sve). */
struct fpsimd_regs {
	uint64_t v[64];    /* q0-q31 */
	uint64_t fpsr, fpcr;
};

/* A vCPU's PSCI power state (pm/vpsci.c has the transitions). Changes
 * under its domain's lock; the three sleeping states wait, blocked like
 * WFI, for an interrupt to become pending for the vCPU. */
enum vcpu_power {
	VCPU_OFF = 0,
	VCPU_ON_PENDING,     /* CPU_ON accepted, not yet run by its CPU */
	VCPU_ON,
	VCPU_STANDBY,        /* CPU_SUSPEND standby: context kept */
	VCPU_POWERED_DOWN,   /* CPU_SUSPEND power-down: context lost */
	VCPU_SUSPENDED,      /* SYSTEM_SUSPEND: the domain's last vCPU, context lost */
};

struct vcpu {
	struct guest_regs regs;      /* first: the entry/exit assembly uses it */
	struct el1_regs el1;
	struct fpsimd_regs fp;
	uint8_t *sve;                /* Z, P, FFR at the domain's vector length; NULL: no SVE */
	uint64_t zcr_el1;
	bool fp_live;                /* its FP/SVE registers are in the CPU (arch/aarch64/fpsimd.c) */
	bool sve_zeroed;             /* reset: its SVE state is all zero, whatever `sve` holds */
	uint64_t pauth_keys[10];     /* APIA, APIB, APDA, APDB, APGA: Lo, Hi each */
	uint64_t fp_traps;           /* lazy FP/SVE restores */
	struct domain *dom;
	unsigned id;
	uint64_t vmpidr;
	unsigned pcpu;
	volatile enum vcpu_power power;
	volatile bool wfi_blocked;   /* waiting for an interrupt (WFI) */
	/* Host suspend (pm/host_suspend.c), under the domain lock: the
	 * hardware domain's caller is parked, its context kept, while the
	 * machine suspends; it re-entered after a host resume. */
	volatile bool host_park;
	bool host_resumed;
	volatile unsigned wake_intid; /* the interrupt that last ended a wait */
	struct vcpu *next_on_pcpu;   /* run queue link (core/sched.c) */
	/* Scheduling, written by its CPU only: when it became ready (runnable,
	 * not running; 0: not ready) and whether it was woken (else preempted). */
	uint64_t ready_since;
	bool woken;
	struct vgic_cpu vgic;
	struct vptimer ptimer;       /* emulated EL1 physical timer */
	struct vcpu_debug dbg;       /* debug registers (arch/aarch64/debug_regs.c) */
	uint64_t actlr;              /* ACTLR_EL1 as written: no effect */
	unsigned impdef_logged;      /* IMPLEMENTATION DEFINED accesses logged */
	uint64_t exits, hvcs, mmio_exits, wfi_exits;
	uint64_t suspends;           /* CPU_SUSPEND and SYSTEM_SUSPEND entered */
	uint64_t cpu_suspends;       /* of which CPU_SUSPEND (a guest's idle states) */
	unsigned resume_intid;       /* the interrupt that ended the last one */
	/* SYSTEM_SUSPEND resumes CPU 0 has yet to log, and the interrupt that
	 * ended the latest of them. */
	volatile unsigned resumes_unreported, resume_report_intid;
};

_Static_assert(__builtin_offsetof(struct vcpu, regs) == 0, "guest_entry.S");

/* Enter the guest with `regs`; returns the exception vector index (8-15)
 * that ended its run. host_ctx: this CPU's save area. */
uint64_t guest_enter(struct guest_regs *regs, uint64_t *host_ctx);
void fpsimd_save(struct fpsimd_regs *fp);
void fpsimd_restore(const struct fpsimd_regs *fp);

/* The trapped instruction was emulated: the guest goes on after it. If
 * it was single-stepping, that instruction completed the step: the step
 * exception comes before the next one (PSTATE.SS cleared, "active-
 * pending", Arm ARM D2.12), as the hardware would have done. */
#define PSTATE_SS (1ULL << 21)
static inline void vcpu_skip_insn(struct vcpu *v)
{
	v->regs.pc += 4;
	v->regs.pstate &= ~PSTATE_SS;
}

void vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t x0);
/* A power-down of a vCPU that is not loaded: its context is lost (reset,
 * to re-enter at entry with x0 = ctx); what lives outside the core stays:
 * the EL1 virtual and physical timers. */
void vcpu_lose_context(struct vcpu *v, uint64_t entry, uint64_t ctx);
void vcpu_load(struct vcpu *v);
void vcpu_put(struct vcpu *v);
#endif
