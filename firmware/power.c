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

void fw_cpu_el3_init(void)
{
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1);
	uint64_t pfr1 = read_sysreg(id_aa64pfr1_el1);
	uint64_t cptr = 0;

	write_sysreg(SCR_NS | SCR_HCE | SCR_RW | SCR_APK | SCR_API | SCR_ENSCXT |
		     SCR_FGTEN | SCR_ECVEN | SCR_HXEN, scr_el3);
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
