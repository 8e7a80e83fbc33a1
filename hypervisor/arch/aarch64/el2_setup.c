/* Every EL2 control register of a CPU, written whole at each arrival:
 * cold boot (core/main.c), every CPU brought online (core/hotplug.c) and
 * the boot CPU's host resume (pm/host_suspend.c). Nothing is assumed of
 * what the firmware handed over: real hardware resets these registers to
 * UNKNOWN values, and the rig firmware poisons them. The values are in
 * include/el2_regs.h. SCTLR_EL2, TCR/MAIR/TTBR0_EL2, VBAR_EL2 and the
 * first HCR_EL2/CPTR_EL2 are written by the entry code (head.S,
 * suspend.S) before any C runs; ICC_SRE_EL2 and ICH_* by the GIC code. */
#include <lull/format.h>
#include "debug_regs.h"
#include "domain.h"
#include "el2_regs.h"
#include "percpu.h"
#include "hyp.h"
#include "vm.h"

/* ID_AA64DFR0_EL1 fields (D17.2.59). */
#define DFR0_PMUVER(d)     (((d) >> 8) & 0xf)
#define DFR0_PMSVER(d)     (((d) >> 32) & 0xf)
#define DFR0_TRACEFILT(d)  (((d) >> 40) & 0xf)
#define PMUVER_NONE        0x0
#define PMUVER_IMPDEF      0xf
#define PMUVER_V3P1        0x4
/* ID_AA64PFR0_EL1.RAS [31:28], ID_AA64MMFR1_EL1.LO [19:16], HCX [43:40]. */
#define PFR0_RAS(p)        (((p) >> 28) & 0xf)
#define MMFR1_LO(m)        (((m) >> 16) & 0xf)
#define MMFR1_HCX(m)       (((m) >> 40) & 0xf)

uint64_t el2_hcr_guest = HCR_EL2_GUEST_BASE;

static bool has_pmu(uint64_t dfr0)
{
	return DFR0_PMUVER(dfr0) != PMUVER_NONE && DFR0_PMUVER(dfr0) != PMUVER_IMPDEF;
}

uint64_t el2_mdcr(void)
{
	uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1);
	/* Debug registers trapped and emulated per vCPU (debug_regs.c). */
	uint64_t mdcr = MDCR_TDA | MDCR_TDOSA | MDCR_TDRA;

	if (has_pmu(dfr0)) {
		/* Every PMU register traps (the guest gets UNDEF). HPMN must
		 * be a number of counters that exists: 0 is CONSTRAINED
		 * UNPREDICTABLE before FEAT_HPMN0 (D17.2.91), so all of them
		 * (PMCR_EL0.N) stay in the EL1 range, which EL1 cannot reach
		 * anyway; HPME clear. */
		mdcr |= MDCR_TPM | MDCR_TPMCR | ((read_sysreg(pmcr_el0) >> 11) & MDCR_HPMN_MASK);
		if (DFR0_PMUVER(dfr0) >= PMUVER_V3P1)
			mdcr |= MDCR_HPMD;
	}
	if (DFR0_PMSVER(dfr0))
		mdcr |= MDCR_TPMS;
	if (DFR0_TRACEFILT(dfr0))
		mdcr |= MDCR_TTRF;
	return mdcr;
}

/* The PMU belongs to nobody: counters stopped, overflow interrupts
 * (the PMU's PPI) off, overflow flags clear. */
static void pmu_quiesce(void)
{
	if (!has_pmu(read_sysreg(id_aa64dfr0_el1)))
		return;
	write_sysreg(0, pmcr_el0);
	write_sysreg(~0ULL & 0xffffffffULL, pmcntenclr_el0);
	write_sysreg(~0ULL & 0xffffffffULL, pmintenclr_el1);
	write_sysreg(~0ULL & 0xffffffffULL, pmovsclr_el0);
	write_sysreg(0, pmuserenr_el0);
}

void el2_cpu_init(void)
{
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1);
	uint64_t mmfr1 = read_sysreg(id_aa64mmfr1_el1);
	uint64_t hcr_guest = HCR_EL2_GUEST_BASE;

	if (PFR0_RAS(pfr0))
		hcr_guest |= HCR_TERR;
	if (MMFR1_LO(mmfr1))
		hcr_guest |= HCR_TLOR;
	el2_hcr_guest = hcr_guest;   /* the same on every CPU of one machine */

	write_sysreg(HCR_EL2_HOST, hcr_el2);
	isb();
	write_sysreg(CPTR_EL2_VALUE, cptr_el2);
	write_sysreg(el2_mdcr(), mdcr_el2);
	write_sysreg(HSTR_EL2_VALUE, hstr_el2);
	write_sysreg(CNTHCTL_EL2_VALUE, cnthctl_el2);
	write_sysreg(0, cntvoff_el2);
	write_sysreg(read_sysreg(midr_el1), vpidr_el2);
	write_sysreg(read_sysreg(mpidr_el1), vmpidr_el2);
	write_sysreg(0, vttbr_el2);
	write_sysreg(0, hacr_el2);
	if (MMFR1_HCX(mmfr1))
		write_sysreg(0, S3_4_C1_C2_2);   /* HCRX_EL2: no extra controls */
	/* The EL1 physical timer is emulated: the hardware one stays off. */
	write_sysreg(0, cntp_ctl_el0);
	write_sysreg(0, cntv_ctl_el0);
	vm_cpu_init();                   /* VTCR_EL2 */
	pmu_quiesce();
	debug_cpu_init();
	isb();
}

/* Compare this CPU's live EL2 control registers with what el2_cpu_init
 * wrote (HCR_EL2: the host value, or the guest value with a vCPU
 * loaded). Writes "ok" or the registers that differ into buf. */
void el2_cpu_check(char *buf, size_t size)
{
	struct { const char *name; uint64_t have, want, mask; } regs[] = {
		{ "hcr", read_sysreg(hcr_el2), 0, ~0ULL },
		{ "mdcr", read_sysreg(mdcr_el2), el2_mdcr(), ~0ULL },
		/* FP/SVE/SME bits may change at run time (lazy switching). */
		{ "cptr", read_sysreg(cptr_el2), CPTR_EL2_VALUE, ~(uint64_t)(CPTR_EL2_FP_BITS | CPTR_TFP) },
		{ "hstr", read_sysreg(hstr_el2), HSTR_EL2_VALUE, ~0ULL },
		{ "cnthctl", read_sysreg(cnthctl_el2), CNTHCTL_EL2_VALUE, ~0ULL },
		{ "cntvoff", read_sysreg(cntvoff_el2), 0, ~0ULL },
		{ "vtcr", read_sysreg(vtcr_el2), vm_vtcr(), ~0ULL },
	};
	size_t len = 0;

	/* The host value, the loaded vCPU's domain's, or (a vCPU was put:
	 * vcpu_put leaves HCR_EL2 as it was) some domain's. */
	regs[0].want = HCR_EL2_HOST;
	if (this_cpu()->loaded)
		regs[0].want = this_cpu()->loaded->dom->hcr;
	for (unsigned i = 0; i < nr_domains && regs[0].have != regs[0].want; i++)
		if (!this_cpu()->loaded && regs[0].have == domains[i].hcr)
			regs[0].want = domains[i].hcr;
	buf[0] = '\0';
	for (unsigned i = 0; i < ARRAY_SIZE(regs); i++)
		if ((regs[i].have ^ regs[i].want) & regs[i].mask)
			len += (size_t)snprintf(buf + len, len < size ? size - len : 0,
						" %s 0x%lx (want 0x%lx)", regs[i].name, regs[i].have,
						regs[i].want);
	if (!len)
		snprintf(buf, size, "ok");
}
