/* Lazy switching of a vCPU's FP/SIMD and SVE registers.
 *
 * vcpu_load arms CPTR_EL2.TFP and TZ (Arm ARM D17.2.30, CPTR_EL2 with
 * HCR_EL2.E2H = 0), so the vCPU's first FP/SIMD or SVE instruction, or
 * its first ZCR_EL1 access, traps (ESR_EL2.EC 0x07 or 0x19). The trap
 * restores the vCPU's registers and lets it run freely until it leaves
 * the CPU; vcpu_put saves them only if it used them. Exits that do not
 * use FP (HVC, MMIO, WFI, IRQ) cost nothing more. The hypervisor never
 * uses FP/SIMD (-mgeneral-regs-only; libfdt as linked has no SIMD): with
 * TFP set, an accidental use at EL2 traps and panics at once.
 *
 * One model of the state: a vCPU of a domain with SVE keeps Z0-Z31,
 * P0-P15, FFR (sve.S) and ZCR_EL1, whose low 128 bits of Z are its V
 * registers, plus FPSR and FPCR; a vCPU without SVE keeps V0-V31, FPSR and
 * FPCR (struct fpsimd_regs). ZCR_EL2.LEN is the domain's longest vector
 * length while its state is loaded, so the guest cannot exceed it, and
 * the state is saved and restored at that length. */
#include <string.h>
#include "cpu_view.h"
#include "domain.h"
#include "el2_regs.h"
#include "fpsimd.h"
#include "hyp.h"
#include "page_alloc.h"
#include "vcpu.h"

#define ZCR_EL1 S3_0_C1_C2_0
#define ZCR_EL2 S3_4_C1_C2_0

/* CPTR_EL2 apart from TFP and TZ (include/el2_regs.h): SME trapped
 * (hidden), trace and the activity monitors trapped. */
static uint64_t cptr_always(void)
{
	return CPTR_EL2_RES1 | CPTR_TSM | CPTR_EL2_TRAP_BITS;
}

static size_t sve_bytes(unsigned vq)
{
	return (size_t)vq * 16 * 32 + (size_t)vq * 2 * 17;   /* Z, then P and FFR */
}

static uint8_t *sve_p(const struct vcpu *v)
{
	return v->sve + (size_t)v->dom->cpu.sve_vq * 16 * 32;
}

void fpsimd_domain_init(struct domain *d, unsigned max_vq)
{
	size_t pages = (sve_bytes(max_vq) + 4095) / 4096;

	d->sve_alloc_vq = 0;
	if (!max_vq)
		return;
	for (unsigned i = 0; i < d->cfg.nvcpus; i++) {
		d->vcpu[i].sve = page_alloc(pages);
		if (!d->vcpu[i].sve)
			panic("domain %s: no memory for its SVE registers", d->cfg.name);
	}
	d->sve_alloc_vq = max_vq;
}

/* All zero, read by the first restore after a reset (so that a CPU_ON
 * does not clear up to 8.7 KiB of SVE state it may never use). */
static uint8_t sve_zero[SVE_VQ_MAX * 16 * 32 + SVE_VQ_MAX * 2 * 17] __attribute__((aligned(16)));

void fpsimd_vcpu_reset(struct vcpu *v)
{
	memset(&v->fp, 0, sizeof(v->fp));
	v->sve_zeroed = true;
	v->zcr_el1 = 0xf;   /* reset value UNKNOWN; the longest length allowed */
	v->fp_live = false;
}

unsigned fpsimd_sve_probe_vq(void)
{
	uint64_t cptr = read_sysreg(cptr_el2);
	unsigned vq;

	write_sysreg(cptr & ~(CPTR_TZ | CPTR_TFP), cptr_el2);
	isb();
	vq = sve_probe_vq();
	write_sysreg(cptr, cptr_el2);
	isb();
	return vq;
}

void fpsimd_load(struct vcpu *v)
{
	v->fp_live = false;
	write_sysreg(cptr_always() | CPTR_TZ | CPTR_TFP, cptr_el2);
}

bool fpsimd_trap(struct vcpu *v, unsigned ec)
{
	unsigned vq = v->dom->cpu.sve_vq;

	if (v->fp_live || (ec == 0x19 && !vq))
		return false;          /* SVE without SVE: UNDEF */
	v->fp_traps++;
	write_sysreg(cptr_always() | (vq ? 0 : CPTR_TZ), cptr_el2);
	isb();
	if (vq) {
		write_sysreg(vq - 1, ZCR_EL2);
		isb();
		if (v->sve_zeroed)   /* reset: zero registers, no copy to clear */
			sve_load(sve_zero, sve_zero + (size_t)vq * 16 * 32);
		else
			sve_load(v->sve, sve_p(v));
		write_sysreg(v->zcr_el1, ZCR_EL1);
		write_sysreg(v->fp.fpsr, fpsr);
		write_sysreg(v->fp.fpcr, fpcr);
	} else {
		fpsimd_restore(&v->fp);
	}
	v->fp_live = true;
	return true;                   /* the instruction runs again */
}

void fpsimd_put(struct vcpu *v)
{
	if (v->fp_live) {
		if (v->dom->cpu.sve_vq) {
			sve_save(v->sve, sve_p(v));
			v->sve_zeroed = false;
			v->zcr_el1 = read_sysreg(ZCR_EL1);
			v->fp.fpsr = read_sysreg(fpsr);
			v->fp.fpcr = read_sysreg(fpcr);
		} else {
			fpsimd_save(&v->fp);
		}
		v->fp_live = false;
	}
	write_sysreg(cptr_always() | CPTR_TZ | CPTR_TFP, cptr_el2);
}
