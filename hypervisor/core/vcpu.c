/* vCPU register state: reset (as for CPU_ON: MMU off, EL1h, interrupts
 * masked), and the switch of EL1 state when a vCPU takes a physical CPU. */
#include <string.h>
#include "cpu_view.h"
#include "domain.h"
#include "el2_regs.h"
#include "fpsimd.h"
#include "gic.h"
#include "hyp.h"
#include "pauth.h"
#include "percpu.h"
#include "vcpu.h"

#define PSTATE_EL1H_MASKED 0x3c5ULL
#define SCTLR_EL1_RESET    0x30d00800ULL   /* RES1 bits; MMU, caches off */

/* HCR_EL2 while a guest runs: el2_hcr_guest (include/el2_regs.h). */

void vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t x0)
{
	memset(&v->regs, 0, sizeof(v->regs));
	memset(&v->el1, 0, sizeof(v->el1));
	fpsimd_vcpu_reset(v);
	/* The pointer authentication keys are UNKNOWN after a reset (Arm
	 * ARM): a vCPU keeps its own previous keys (zero at boot), never
	 * another's, and CPU_ON does not pay for clearing them. */
	v->regs.x[0] = x0;
	v->regs.pc = entry;
	v->regs.pstate = PSTATE_EL1H_MASKED;
	v->el1.sctlr = SCTLR_EL1_RESET;
	v->wfi_blocked = false;
	v->actlr = 0;
	vptimer_reset(v);
	debug_vcpu_reset(v);
	/* The CPU interface is part of the core: reset with it. */
	v->vgic.vmcr = v->vgic.apr[0] = v->vgic.apr[1] = 0;
	v->vgic.dirty = true;
}

void vcpu_lose_context(struct vcpu *v, uint64_t entry, uint64_t ctx)
{
	uint64_t ctl = v->el1.cntv_ctl, cval = v->el1.cntv_cval;
	struct vptimer ptimer = v->ptimer;

	vcpu_reset(v, entry, ctx);
	v->el1.cntv_ctl = ctl;
	v->el1.cntv_cval = cval;
	v->ptimer = ptimer;
}

void vcpu_load(struct vcpu *v)
{
	const struct el1_regs *r = &v->el1;

	write_sysreg(v->dom->vttbr, vttbr_el2);
	write_sysreg(v->vmpidr, vmpidr_el2);
	write_sysreg(read_sysreg(midr_el1), vpidr_el2);
	write_sysreg(v->dom->hcr, hcr_el2);
	write_sysreg(r->sctlr, sctlr_el1);
	write_sysreg(r->cpacr, cpacr_el1);
	write_sysreg(r->ttbr0, ttbr0_el1);
	write_sysreg(r->ttbr1, ttbr1_el1);
	write_sysreg(r->tcr, tcr_el1);
	write_sysreg(r->mair, mair_el1);
	write_sysreg(r->amair, amair_el1);
	write_sysreg(r->vbar, vbar_el1);
	write_sysreg(r->contextidr, contextidr_el1);
	write_sysreg(r->tpidr_el0, tpidr_el0);
	write_sysreg(r->tpidrro_el0, tpidrro_el0);
	/* TPIDR2_EL0 exists with FEAT_SME and no trap hides it without
	 * fine-grained traps: it is switched like TPIDR_EL0. */
	if (cpu_has_sme)
		write_sysreg(r->tpidr2_el0, S3_3_C13_C0_5);
	write_sysreg(r->tpidr_el1, tpidr_el1);
	write_sysreg(r->sp_el0, sp_el0);
	write_sysreg(r->sp_el1, sp_el1);
	write_sysreg(r->elr, elr_el1);
	write_sysreg(r->spsr, spsr_el1);
	write_sysreg(r->esr, esr_el1);
	write_sysreg(r->far, far_el1);
	write_sysreg(r->afsr0, afsr0_el1);
	write_sysreg(r->afsr1, afsr1_el1);
	write_sysreg(r->par, par_el1);
	write_sysreg(r->cntkctl, cntkctl_el1);
	write_sysreg(r->csselr, csselr_el1);
	write_sysreg(r->cntv_cval, cntv_cval_el0);
	write_sysreg(r->cntv_ctl, cntv_ctl_el0);
	debug_load(v);
	fpsimd_load(v);            /* lazily: restored at its first use */
	if (v->dom->cpu.pauth)
		pauth_load(v);
	if (vgic_present())
		vgic_load(v);
	isb();
	this_cpu()->loaded = v;
}

void vcpu_put(struct vcpu *v)
{
	struct el1_regs *r = &v->el1;

	r->sctlr = read_sysreg(sctlr_el1);
	r->cpacr = read_sysreg(cpacr_el1);
	r->ttbr0 = read_sysreg(ttbr0_el1);
	r->ttbr1 = read_sysreg(ttbr1_el1);
	r->tcr = read_sysreg(tcr_el1);
	r->mair = read_sysreg(mair_el1);
	r->amair = read_sysreg(amair_el1);
	r->vbar = read_sysreg(vbar_el1);
	r->contextidr = read_sysreg(contextidr_el1);
	r->tpidr_el0 = read_sysreg(tpidr_el0);
	r->tpidrro_el0 = read_sysreg(tpidrro_el0);
	if (cpu_has_sme)
		r->tpidr2_el0 = read_sysreg(S3_3_C13_C0_5);
	r->tpidr_el1 = read_sysreg(tpidr_el1);
	r->sp_el0 = read_sysreg(sp_el0);
	r->sp_el1 = read_sysreg(sp_el1);
	r->elr = read_sysreg(elr_el1);
	r->spsr = read_sysreg(spsr_el1);
	r->esr = read_sysreg(esr_el1);
	r->far = read_sysreg(far_el1);
	r->afsr0 = read_sysreg(afsr0_el1);
	r->afsr1 = read_sysreg(afsr1_el1);
	r->par = read_sysreg(par_el1);
	r->cntkctl = read_sysreg(cntkctl_el1);
	r->csselr = read_sysreg(csselr_el1);
	r->cntv_ctl = read_sysreg(cntv_ctl_el0);
	r->cntv_cval = read_sysreg(cntv_cval_el0);
	write_sysreg(0, cntv_ctl_el0);   /* its timer must not fire for the next vCPU */
	debug_put(v);
	fpsimd_put(v);
	if (v->dom->cpu.pauth)
		pauth_save(v);
	if (vgic_present())
		vgic_put(v);
	isb();
	this_cpu()->loaded = NULL;
}
