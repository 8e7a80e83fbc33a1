/* The per-CPU resources that guests do not get, and ACTLR_EL1. The traps
 * are set by el2_cpu_init (include/el2_regs.h); each access arrives here
 * through the sysreg_trap decoder. Reasons: docs/guest-cpu.md.
 *
 *   PMU (MDCR_EL2.TPM, TPMCR): the PMU is hidden: ID_AA64DFR0_EL1.PMUVer
 *     reads 0 in the guest's ID view, and then every PMU register is
 *     UNDEF, as on a CPU without one. While a guest's ID view still
 *     shows a PMU (the hardware's ID registers, before the ID view
 *     traps them), refusing the registers would break it (Linux writes
 *     PMUSERENR_EL0 at every CPU boot when PMUVer says PMUv3), so they
 *     are RAZ/WI then: a PMU with no event counters whose cycle counter
 *     never counts. Either way the hardware PMU is never reached, its
 *     counters and overflow interrupt stay off (el2_setup.c).
 *   Statistical profiling and the trace buffer (MDCR_EL2.TPMS, E2PB = 0,
 *     E2TB = 0): UNDEF.
 *   Trace (CPTR_EL2.TTA: trace unit registers, op0 2 op1 1;
 *     MDCR_EL2.TTRF: TRFCR_EL1): UNDEF.
 *   Activity monitors (CPTR_EL2.TAM: op0 3 op1 3 CRn 13 CRm 2-7): UNDEF.
 *   RAS error records (HCR_EL2.TERR: ERRIDR_EL1, ERRSELR_EL1, ERX*): the
 *     guest's ID view hides FEAT_RAS, so they are UNDEF as on a CPU
 *     without it. Were it shown, they would be RAZ/WI: ERRIDR_EL1
 *     reads NUM = 0, no error records, and with none the other registers
 *     have nothing to select (Arm RAS supplement, ERRIDR_EL1, ERRSELR_EL1).
 *     Without FEAT_RAS they do not exist: UNDEF.
 *   LORegions (HCR_EL2.TLOR: LORSA/LOREA/LORN/LORC/LORID_EL1): UNDEF; the
 *     guest's ID view must say ID_AA64MMFR1_EL1.LO = 0.
 *   IMPLEMENTATION DEFINED registers (HCR_EL2.TIDCP: op0 3, CRn 11 and 15,
 *     Arm ARM D18.3.x "Reserved encodings for IMPLEMENTATION DEFINED
 *     registers"): UNDEF, with a log line (the first few per vCPU).
 *   ACTLR_EL1 (HCR_EL2.TACR): emulated, a per-vCPU value that reads back
 *     what was written and has no effect on the hardware. */
#include "cpu_features.h"
#include "domain.h"
#include "hyp.h"
#include "sysreg_hidden.h"
#include "vcpu.h"

#define K_ACTLR_EL1 SYSREG_KEY(3, 0, 1, 0, 1)
#define K_TRFCR_EL1 SYSREG_KEY(3, 0, 1, 2, 1)
#define IMPDEF_LOG_MAX 4

static bool pmu_spe_trbe(unsigned op0, unsigned op1, unsigned crn, unsigned crm)
{
	if (op0 != 3)
		return false;
	/* CRn 9: CRm 9-10 profiling (PMS*), 11 trace buffer (TRB*), 12-14
	 * PMU (PMCR_EL0 ... PMUSERENR_EL0, PMINTEN*_EL1, PMMIR_EL1). */
	if (crn == 9 && crm >= 9 && crm <= 14 && (op1 == 0 || op1 == 3))
		return true;
	/* CRn 14, op1 3, CRm 8-15: PMEVCNTR<n>_EL0, PMEVTYPER<n>_EL0. */
	return crn == 14 && op1 == 3 && crm >= 8;
}

static bool ras(unsigned op0, unsigned op1, unsigned crn, unsigned crm)
{
	/* ERRIDR_EL1, ERRSELR_EL1 (CRm 3), ERX* (CRm 4, 5). */
	return op0 == 3 && op1 == 0 && crn == 5 && crm >= 3 && crm <= 5;
}

/* The PMU version the guest's ID view shows (core/cpu_view.c: 0, the
 * PMU is hidden; IMPLEMENTATION DEFINED counts as none). */
static unsigned guest_pmuver(const struct vcpu *v)
{
	unsigned pmuver = (unsigned)((v->dom->cpu.id[ID_AA64DFR0] >> 8) & 0xf);

	return pmuver == 0xf ? 0 : pmuver;
}

/* RAS error records exist for the guest only if the CPU has them and the
 * guest's ID view shows FEAT_RAS (it hides it: then they are UNDEF, as
 * on a CPU without RAS). */
static bool guest_has_ras(const struct vcpu *v)
{
	return ((read_sysreg(id_aa64pfr0_el1) >> 28) & 0xf) != 0 &&
	       ((v->dom->cpu.id[ID_AA64PFR0] >> 28) & 0xf) != 0;
}

enum sysreg_result hidden_sysreg_access(struct vcpu *v, const struct sysreg_access *a)
{
	unsigned op0 = SYSREG_OP0(a->key), op1 = SYSREG_OP1(a->key);
	unsigned crn = SYSREG_CRN(a->key), crm = SYSREG_CRM(a->key);

	if (a->key == K_ACTLR_EL1) {
		if (a->read)
			sysreg_set_result(v, a, v->actlr);
		else
			v->actlr = sysreg_write_value(v, a);
		return SYSREG_DONE;
	}
	if (pmu_spe_trbe(op0, op1, crn, crm)) {
		if (crn == 9 && crm <= 11)
			return SYSREG_UNDEF;                 /* profiling, trace buffer */
		if (!guest_pmuver(v))
			return SYSREG_UNDEF;
		if (a->read)
			sysreg_set_result(v, a, 0);          /* RAZ/WI: see the top */
		return SYSREG_DONE;
	}
	if (op0 == 2 && op1 == 1)                       /* trace unit */
		return SYSREG_UNDEF;
	if (a->key == K_TRFCR_EL1)
		return SYSREG_UNDEF;
	if (op0 == 3 && op1 == 3 && crn == 13 && crm >= 2 && crm <= 7)   /* AMU */
		return SYSREG_UNDEF;
	if (op0 == 3 && op1 == 0 && crn == 10 && crm == 4)               /* LOR */
		return SYSREG_UNDEF;
	if (ras(op0, op1, crn, crm)) {
		if (!guest_has_ras(v))
			return SYSREG_UNDEF;
		if (a->read)
			sysreg_set_result(v, a, 0);
		return SYSREG_DONE;
	}
	if (op0 == 3 && (crn == 11 || crn == 15)) {
		if (v->impdef_logged < IMPDEF_LOG_MAX) {
			v->impdef_logged++;
			printk("domain %s: vCPU %u: IMPLEMENTATION DEFINED register S3_%u_C%u_C%u_%u %s"
			       " at 0x%lx: undefined%s", v->dom->cfg.name, v->id, op1, crn, crm,
			       SYSREG_OP2(a->key), a->read ? "read" : "write", v->regs.pc,
			       v->impdef_logged == IMPDEF_LOG_MAX ? " (no more such lines for this vCPU)"
								  : "");
		}
		return SYSREG_UNDEF;
	}
	return SYSREG_NOT_MINE;
}
