/* What happens when a guest stops running: one handler per exception
 * class (ESR_EL2.EC, Arm ARM D17.2.37). */
#include "domain.h"
#include "exits.h"
#include "fpsimd.h"
#include "hyp.h"
#include "irq.h"
#include "mmio.h"
#include "percpu.h"
#include "sysreg_trap.h"
#include "vgic.h"
#include "vpsci.h"
#include "vptimer.h"
#include "vtimer.h"

#define EC_UNKNOWN   0x00
#define EC_WFX       0x01
#define EC_FP        0x07
#define EC_HVC64     0x16
#define EC_SMC64     0x17
#define EC_SYSREG    0x18
#define EC_SVE       0x19
#define EC_IABT_LOW  0x20
#define EC_IABT_CUR  0x21
#define EC_DABT_LOW  0x24
#define EC_DABT_CUR  0x25
#define ESR_IL       BIT(25)

void inject_sync(struct vcpu *v, uint64_t esr, uint64_t far)
{
	uint64_t pstate = v->regs.pstate, offset;

	/* Current EL with SP_EL1: +0x200; with SP_EL0: +0; from EL0: +0x400. */
	if (((pstate >> 2) & 3) == 1)
		offset = (pstate & 1) ? 0x200 : 0x000;
	else
		offset = 0x400;
	write_sysreg(esr, esr_el1);
	write_sysreg(far, far_el1);
	write_sysreg(v->regs.pc, elr_el1);
	write_sysreg(pstate, spsr_el1);
	v->regs.pc = read_sysreg(vbar_el1) + offset;
	v->regs.pstate = 0x3c5;   /* EL1h, DAIF masked */
}

void inject_data_abort(struct vcpu *v, uint64_t far)
{
	bool from_el1 = ((v->regs.pstate >> 2) & 3) == 1;
	/* Synchronous external abort, not on a translation table walk. */
	inject_sync(v, ((uint64_t)(from_el1 ? EC_DABT_CUR : EC_DABT_LOW) << 26) | ESR_IL | 0x10, far);
}

static void inject_prefetch_abort(struct vcpu *v, uint64_t far)
{
	bool from_el1 = ((v->regs.pstate >> 2) & 3) == 1;
	inject_sync(v, ((uint64_t)(from_el1 ? EC_IABT_CUR : EC_IABT_LOW) << 26) | ESR_IL | 0x10, far);
}

void inject_undefined(struct vcpu *v)
{
	inject_sync(v, ((uint64_t)EC_UNKNOWN << 26) | ESR_IL, 0);
}

static void handle_wfx(struct vcpu *v, uint64_t esr)
{
	if (esr & 1) {
		/* WFE: the guest spins on something another vCPU will change;
		 * let other vCPUs of this CPU run, and hint the same to the
		 * machine (under QEMU's -icount, YIELD lets the other physical
		 * CPUs run; a hint that costs nothing on hardware). */
		this_cpu()->resched = this_cpu()->yield = true;
		__asm__ volatile("yield");
	} else {
		v->wfi_exits++;
		/* Sleep until an interrupt is pending for it (vgic_inject wakes
		 * it); one already pending ends WFI at once. */
		vtimer_sync_loaded(v);
		vptimer_update(v);
		vgic_vcpu_block(v);
	}
	vcpu_skip_insn(v);
}

static void handle_sync(struct vcpu *v)
{
	uint64_t esr = read_sysreg(esr_el2);
	unsigned ec = (unsigned)(esr >> 26);

	switch (ec) {
	case EC_WFX:
		handle_wfx(v, esr);
		break;
	case EC_HVC64:
		v->hvcs++;
		vpsci_handle(v);              /* ELR already points past the HVC */
		break;
	case EC_SMC64:
		vcpu_skip_insn(v);            /* a trapped SMC: ELR is the SMC */
		vpsci_handle(v);
		break;
	case EC_FP:
	case EC_SVE:
		/* CPTR_EL2.TFP/TZ: its first use of FP/SIMD or SVE since it
		 * took the CPU (arch/aarch64/fpsimd.c); SVE in a domain
		 * without it falls through to UNDEF below. */
		if (fpsimd_trap(v, ec))
			break;
		printk("domain %s: vCPU %u: SVE instruction at 0x%lx but SVE is hidden;"
		       " injecting undefined", v->dom->cfg.name, v->id, v->regs.pc);
		inject_undefined(v);
		break;
	case EC_SYSREG:
		if (sysreg_trap(v, esr))
			break;
		printk("domain %s: vCPU %u: system register access (ESR 0x%lx) at 0x%lx is not"
		       " emulated; injecting undefined", v->dom->cfg.name, v->id, esr, v->regs.pc);
		inject_undefined(v);
		break;
	case EC_DABT_LOW:
		v->mmio_exits++;
		mmio_handle_abort(v, esr);
		break;
	case EC_IABT_LOW:
		printk("domain %s: vCPU %u: instruction fetch from IPA 0x%lx it has no memory at;"
		       " injecting an abort", v->dom->cfg.name, v->id,
		       (read_sysreg(hpfar_el2) >> 4) << 12);
		inject_prefetch_abort(v, read_sysreg(far_el2));
		break;
	default:
		printk("domain %s: vCPU %u: unhandled exception class 0x%x (ESR 0x%lx) at 0x%lx;"
		       " injecting undefined", v->dom->cfg.name, v->id, ec, esr, v->regs.pc);
		inject_undefined(v);
		break;
	}
}

void vcpu_handle_exit(struct vcpu *v, uint64_t vector)
{
	v->exits++;
	switch (vector) {
	case 8:
		handle_sync(v);
		break;
	case 9:
	case 10:
		irq_handle();
		break;
	case 11:
		printk("domain %s: vCPU %u: SError (ESR 0x%lx); stopping the domain", v->dom->cfg.name,
		       v->id, read_sysreg(esr_el2));
		domain_power_off(v->dom, "SError");
		break;
	default:
		printk("domain %s: vCPU %u: AArch32 is not supported; stopping the domain",
		       v->dom->cfg.name, v->id);
		domain_power_off(v->dom, "AArch32");
		break;
	}
}
