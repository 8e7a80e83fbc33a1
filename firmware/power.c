/* Core power: EL3 set-up, the power-loss simulation of core state, and the
 * parked (powered-off) state of a core. */
#include <lull/arch.h>
#include "fw.h"

#define POISON 0xdead00000000dead
#define POISON_VBAR 0xdead000000000000   /* 2 KiB aligned, unmapped */

/* SCR_EL3 (Arm ARM D17.2.117): NS, no IRQ/FIQ/EA to EL3, HCE, RW; and the
 * enables that -cpu max features need so that EL2/EL1 do not trap: APK,
 * API (pointer auth), EnSCXT, FGTEn, ECVEn, HXEn. QEMU ignores the bits of
 * features it does not implement. */
#define SCR_NS      BIT(0)
#define SCR_HCE     BIT(8)
#define SCR_RW      BIT(10)
#define SCR_APK     BIT(16)
#define SCR_API     BIT(17)
#define SCR_ENSCXT  BIT(25)
#define SCR_FGTEN   BIT(27)
#define SCR_ECVEN   BIT(28)
#define SCR_HXEN    BIT(38)
#define SCR_ENTP2   BIT(41)   /* TPIDR2_EL0 (FEAT_SME): else EL1/EL0 accesses trap to EL3 */

void fw_cpu_el3_init(void)
{
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1);
	uint64_t pfr1 = read_sysreg(id_aa64pfr1_el1);
	uint64_t cptr = 0;

	/* EnTP2 only with SME: the bit is RES0 without it. Without EnTP2 a
	 * guest's TPIDR2_EL0 access would come here, where nothing can
	 * handle it (the hypervisor switches the register per vCPU). */
	write_sysreg(SCR_NS | SCR_HCE | SCR_RW | SCR_APK | SCR_API | SCR_ENSCXT |
		     SCR_FGTEN | SCR_ECVEN | SCR_HXEN | (((pfr1 >> 24) & 0xf) ? SCR_ENTP2 : 0),
		     scr_el3);
	if ((pfr0 >> 32) & 0xf)
		cptr |= BIT(8);                 /* CPTR_EL3.EZ: SVE */
	if ((pfr1 >> 24) & 0xf)
		cptr |= BIT(12);                /* CPTR_EL3.ESM: SME */
	write_sysreg(cptr, cptr_el3);
	isb();
	if ((pfr0 >> 32) & 0xf)
		write_sysreg(0xf, S3_6_C1_C2_0); /* ZCR_EL3: longest vector length */
	if ((pfr1 >> 24) & 0xf)
		write_sysreg(0xf, S3_6_C1_C2_6); /* SMCR_EL3 */
	write_sysreg(0, mdcr_el3);
	isb();
}

/* What a core loses when it is powered down: every EL2 and EL1 register
 * (reset or poisoned), TLBs, FP/SIMD registers, its timers' control, and
 * its GIC CPU interface and private interrupt state. A hypervisor that
 * relies on any of them surviving fails visibly. */
void fw_destroy_core_state(unsigned cpu)
{
	/* EL2 */
	write_sysreg(0x30c50830, sctlr_el2);   /* RES1 bits only: MMU and caches off */
	write_sysreg(0, hcr_el2);
	write_sysreg(POISON_VBAR, vbar_el2);
	write_sysreg(POISON, tpidr_el2);
	write_sysreg(POISON, ttbr0_el2);
	write_sysreg(POISON, tcr_el2);
	write_sysreg(POISON, mair_el2);
	write_sysreg(POISON, elr_el2);
	write_sysreg(0x3c9, spsr_el2);
	write_sysreg(POISON, far_el2);
	write_sysreg(0, esr_el2);
	write_sysreg(POISON & ~0xffffULL, vttbr_el2);
	write_sysreg(0x80000000, vtcr_el2);
	write_sysreg(0x33ff | BIT(10), cptr_el2); /* TFP: FP/SIMD traps until set up */
	write_sysreg(0, cnthctl_el2);            /* EL1 counter/timer access traps */
	write_sysreg(POISON, cntvoff_el2);
	write_sysreg(0, cnthp_ctl_el2);
	write_sysreg(POISON, cnthp_cval_el2);
	write_sysreg(POISON & 0xffffffffULL, vpidr_el2);
	write_sysreg(POISON & 0xff00ffffffULL, vmpidr_el2);
	write_sysreg(0, mdcr_el2);
	write_sysreg(0, hstr_el2);
	write_sysreg(POISON, sp_el2);
	/* EL1 and EL0 */
	write_sysreg(0x30d00800, sctlr_el1);
	write_sysreg(POISON_VBAR, vbar_el1);
	write_sysreg(POISON, ttbr0_el1);
	write_sysreg(POISON, ttbr1_el1);
	write_sysreg(0, tcr_el1);
	write_sysreg(POISON, mair_el1);
	write_sysreg(POISON, tpidr_el1);
	write_sysreg(POISON, tpidr_el0);
	write_sysreg(POISON, tpidrro_el0);
	write_sysreg(POISON, sp_el1);
	write_sysreg(POISON, sp_el0);
	write_sysreg(POISON, elr_el1);
	write_sysreg(0, spsr_el1);
	write_sysreg(0, cpacr_el1);
	write_sysreg(0, cntkctl_el1);
	write_sysreg(0, cntv_ctl_el0);
	write_sysreg(POISON, cntv_cval_el0);
	write_sysreg(0, cntp_ctl_el0);
	write_sysreg(POISON, cntp_cval_el0);
	write_sysreg(0, contextidr_el1);
	write_sysreg(POISON, far_el1);
	write_sysreg(0, esr_el1);
	write_sysreg(POISON, par_el1);
	fw_poison_fpsimd();
	isb();
	__asm__ volatile("tlbi alle2\n tlbi alle1\n dsb sy\n isb" ::: "memory");
	fw_gic_destroy_cpu(cpu);
}

/* A powered-off core: wait (WFI, woken by the firmware SGI) until a CPU_ON
 * makes it ON_PENDING, then power on and enter the Non-secure payload.
 * Runs on a fresh EL3 stack. */
void fw_cpu_parked(void)
{
	unsigned cpu = fw_this_cpu();
	struct fw_cpu *c = &fw_cpus[cpu];
	uint64_t entry, context;

	fw_gic_cpu_init(cpu);
	for (;;) {
		bool go;

		spin_lock(&fw_psci_lock);
		go = c->state == PSCI_CPU_ON_PENDING_STATE && !c->lost;
		if (go) {
			entry = c->entry;
			context = c->context;
			c->state = PSCI_CPU_ON_STATE;
			c->times_on++;
		}
		spin_unlock(&fw_psci_lock);
		if (go)
			break;
		fw_work_end();
		wfi();
		fw_work_begin();
		fw_gic_ack_firmware_sgis();
	}
	fw_gic_ack_firmware_sgis();
	if (fw_faults.late_cpu == (int)cpu && c->times_on > 1) {
		/* Once: the power-up takes longer than the caller waits. */
		uint64_t until = read_sysreg(cntpct_el0) + read_sysreg(cntfrq_el0) * 5 / 2;

		fw_faults.late_cpu = -1;
		fw_log("fault injection: core %u powers up 2.5 s late", cpu);
		while (read_sysreg(cntpct_el0) < until)
			__asm__ volatile("yield");   /* no interrupt is armed to end a WFI */
	}
	fw_log("core %u on at 0x%lx", cpu, entry);
	fw_gic_handover(cpu);
	fw_enter_payload(entry, context);
}

/* Hostile EL2 hand-over (docs/rig-firmware.md, "Poisoned EL2 control
 * registers"): real hardware resets these registers to UNKNOWN values and
 * real firmware need not touch them, so at every entry into the payload
 * they hold values that break a payload relying on any of them, each
 * chosen to fail loudly: */
#define HCR_POISON   (BIT(34) | BIT(27) | BIT(12) | BIT(13) | BIT(14) | BIT(18) | BIT(19) | \
		      BIT(26) | BIT(30) | BIT(28) | BIT(23) | BIT(24) | BIT(25) | BIT(3) | BIT(4) | \
		      BIT(5))
		     /* E2H + TGE (a VHE host: other layouts of CPTR, TCR,
		      * CNTHCTL), DC, TWI/TWE, TID3, TSC, TVM/TRVM, TDZ,
		      * TPCP/TPU/TTLB, FMO/IMO/AMO */
#define MDCR_POISON  (1 | BIT(5) | BIT(6) | BIT(7) | BIT(8) | BIT(9) | BIT(10) | BIT(11))
		     /* HPMN = 1, TPMCR, TPM, HPME, TDE (a guest's BRK and
		      * breakpoints go to EL2), TDA, TDOSA, TDRA */
#define CPTR_POISON  (0x22ffULL | BIT(8) | BIT(10) | BIT(12) | BIT(20) | BIT(30) | BIT(31))
		     /* TFP, TZ, TSM, TTA, TAM and TCPAC: a guest's CPACR_EL1
		      * access traps */
#define HSTR_POISON  0xbfefULL   /* T0-T15 but the RES0 T4 and T14 */
#define CNTHCTL_POISON (BIT(3) | (15ULL << 4))
		     /* EL1PCTEN, EL1PCEN, EVNTEN clear: the counter traps
		      * for EL1, no event stream; EVNTDIR, EVNTI = 15 */
#define VTCR_POISON  (0x80000000ULL | BIT(19) | (1ULL << 14) | (2ULL << 6) | 20)
		     /* VS (16-bit VMID), TG0 = 64 KiB, SL0 = 2, T0SZ = 20 */

void fw_poison_el2(void)
{
	uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1);
	uint64_t mmfr1 = read_sysreg(id_aa64mmfr1_el1);

	write_sysreg(HCR_POISON, hcr_el2);
	isb();
	write_sysreg(MDCR_POISON, mdcr_el2);
	write_sysreg(CPTR_POISON, cptr_el2);
	write_sysreg(HSTR_POISON, hstr_el2);
	write_sysreg(CNTHCTL_POISON, cnthctl_el2);
	write_sysreg(POISON, cntvoff_el2);
	write_sysreg(VTCR_POISON, vtcr_el2);
	write_sysreg(POISON & ~0xffffULL, vttbr_el2);
	write_sysreg(POISON & 0xffffffffULL, vpidr_el2);
	write_sysreg(POISON & 0xff00ffffffULL, vmpidr_el2);
	write_sysreg(~0ULL, hacr_el2);
	if ((mmfr1 >> 40) & 0xf)
		write_sysreg(~0ULL, S3_4_C1_C2_2);       /* HCRX_EL2 */
	/* EL1 state a hypervisor must not trust either: self-hosted debug
	 * armed (MDSCR_EL1 MDE, KDE, SS), the OS lock set, breakpoint 0
	 * enabled for EL1 and EL0 on any address, the EL1 physical timer
	 * firing. */
	write_sysreg(BIT(15) | BIT(13) | BIT(0), mdscr_el1);
	write_sysreg(1, oslar_el1);
	write_sysreg(0, dbgbvr0_el1);
	write_sysreg(0x1e7, dbgbcr0_el1);
	write_sysreg(0, cntp_cval_el0);
	write_sysreg(1, cntp_ctl_el0);
	/* The PMU counting, its cycle counter's overflow interrupt enabled. */
	if (((dfr0 >> 8) & 0xf) != 0 && ((dfr0 >> 8) & 0xf) != 0xf) {
		write_sysreg(BIT(31), pmcntenset_el0);
		write_sysreg(BIT(31), pmintenset_el1);
		write_sysreg(1, pmcr_el0);
	}
	isb();
}
