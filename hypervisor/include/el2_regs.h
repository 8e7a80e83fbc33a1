/* The values Lull gives the EL2 control registers: one place for every
 * bit it relies on (docs/guest-cpu.md, "EL2 control registers"). Real
 * hardware resets them to UNKNOWN values and the rig firmware poisons
 * them at every entry (docs/rig-firmware.md), so each is written whole,
 * on every CPU arrival: el2_cpu_init() (arch/aarch64/el2_setup.c), called
 * at cold boot, on every CPU brought online and on host resume.
 * Usable from assembly (head.S writes HCR_EL2 and CPTR_EL2 before
 * anything else). Field positions: Arm ARM DDI 0487, chapter D17 (the
 * AArch64 System register descriptions), non-VHE layouts (E2H = 0). */
#ifndef HYP_EL2_REGS_H
#define HYP_EL2_REGS_H

#ifdef __ASSEMBLY__
#define EL2_BIT(n) (1 << (n))
#define EL2_BIT64(n) (1 << (n))
#else
#define EL2_BIT(n) (1U << (n))
#define EL2_BIT64(n) (1ULL << (n))
#endif

/* ---- HCR_EL2 (D17.2.48) ---- */
#define HCR_VM      EL2_BIT64(0)    /* stage 2 */
#define HCR_SWIO    EL2_BIT64(1)    /* set/way invalidate as clean+invalidate */
#define HCR_FMO     EL2_BIT64(3)    /* physical FIQ to EL2 */
#define HCR_IMO     EL2_BIT64(4)    /* physical IRQ to EL2 */
#define HCR_AMO     EL2_BIT64(5)    /* physical SError to EL2 */
#define HCR_FB      EL2_BIT64(9)    /* broadcast TLB/cache maintenance */
#define HCR_BSU_IS  EL2_BIT64(10)   /* barriers: inner shareable */
#define HCR_TWI     EL2_BIT64(13)
#define HCR_TWE     EL2_BIT64(14)
#define HCR_TID1    EL2_BIT64(16)   /* ID group 1 (REVIDR, AIDR) */
#define HCR_TID3    EL2_BIT64(18)   /* ID group 3 (the ID_* registers) */
#define HCR_TSC     EL2_BIT64(19)   /* SMC to EL2 */
#define HCR_TIDCP   EL2_BIT64(20)   /* IMPLEMENTATION DEFINED registers (op0 3, CRn 11/15) */
#define HCR_TACR    EL2_BIT64(21)   /* ACTLR_EL1 */
#define HCR_TSW     EL2_BIT64(22)   /* set/way cache maintenance */
#define HCR_RW      EL2_BIT64(31)   /* EL1 is AArch64 */
#define HCR_TLOR    EL2_BIT64(35)   /* LORegion registers (FEAT_LOR, else RES0) */
#define HCR_TERR    EL2_BIT64(36)   /* RAS error records (FEAT_RAS, else RES0) */
#define HCR_APK     EL2_BIT64(40)   /* pointer authentication keys: not trapped */
#define HCR_API     EL2_BIT64(41)   /* pointer authentication instructions: not trapped */
#define HCR_TID5    EL2_BIT64(58)   /* ID group 5 (GMID_EL1, FEAT_MTE2) */
/* Deliberately clear in every value below: E2H (34, Lull is not a VHE
 * host), TGE (27), DC (12), and the VSE/VI/VF injection bits (8:6). */

/* No vCPU loaded yet: physical interrupts to EL2, EL1 AArch64. */
#define HCR_EL2_HOST  (HCR_RW | HCR_AMO | HCR_IMO | HCR_FMO)
/* A vCPU loaded. The feature-dependent trap bits (TERR, TLOR) are added
 * at run time: el2_hcr_guest (they are RES0 without their feature); each
 * domain adds its own (struct domain: hcr, core/cpu_view.c): the ID
 * register traps (TID1, TID3, TID5), pointer authentication (APK, API). */
#define HCR_EL2_GUEST_BASE \
	(HCR_VM | HCR_SWIO | HCR_IMO | HCR_FMO | HCR_AMO | HCR_FB | HCR_BSU_IS | HCR_TWI | \
	 HCR_TWE | HCR_TSC | HCR_TIDCP | HCR_TACR | HCR_TSW | HCR_RW)

/* ---- CPTR_EL2 (D17.2.30), E2H = 0 ---- */
#define CPTR_EL2_RES1   0x22ff      /* bits 7:0, 9, 13 */
#define CPTR_TZ         EL2_BIT(8)  /* SVE (RES1 without SVE) */
#define CPTR_TFP        EL2_BIT(10) /* FP/SIMD */
#define CPTR_TSM        EL2_BIT(12) /* SME (RES1 without SME) */
#define CPTR_TTA        EL2_BIT(20) /* trace unit System registers */
#define CPTR_TAM        EL2_BIT(30) /* activity monitors (AMU) */
#define CPTR_TCPAC      EL2_BIT(31) /* CPACR_EL1: left clear, the guest owns it */
/* FP/SIMD/SVE/SME: FP allowed, SVE and SME trapped (the lazy-switching
 * work changes these bits: keep them apart from the others). */
#define CPTR_EL2_FP_BITS (CPTR_TZ | CPTR_TSM)
/* Trace and the activity monitors always trapped (the guest gets UNDEF). */
#define CPTR_EL2_TRAP_BITS (CPTR_TTA | CPTR_TAM)
#define CPTR_EL2_VALUE  (CPTR_EL2_RES1 | CPTR_EL2_FP_BITS | CPTR_EL2_TRAP_BITS)

/* ---- MDCR_EL2 (D17.2.91): computed by el2_mdcr() from the ID registers ---- */
#define MDCR_HPMN_MASK  0x1f
#define MDCR_TPMCR      EL2_BIT(5)  /* PMCR_EL0 */
#define MDCR_TPM        EL2_BIT(6)  /* every PMU register */
#define MDCR_HPME       EL2_BIT(7)  /* EL2's counters: left clear */
#define MDCR_TDE        EL2_BIT(8)  /* debug exceptions to EL2: left clear */
#define MDCR_TDA        EL2_BIT(9)  /* debug registers */
#define MDCR_TDOSA      EL2_BIT(10) /* OS lock, OS double lock, DBGPRCR */
#define MDCR_TDRA       EL2_BIT(11) /* MDRAR_EL1 */
#define MDCR_TPMS       EL2_BIT(14) /* statistical profiling (FEAT_SPE) */
#define MDCR_HPMD       EL2_BIT(17) /* no event counting at EL2 (FEAT_PMUv3p1) */
#define MDCR_TTRF       EL2_BIT(19) /* TRFCR_EL1 (FEAT_TRF) */
/* E2PB (13:12) and E2TB (25:24) are 0: the profiling and trace buffers
 * belong to EL2, EL1 accesses to them trap. */

/* ---- HSTR_EL2 (D17.2.53): AArch32 EL1 only; nothing trapped ---- */
#define HSTR_EL2_VALUE  0

/* ---- CNTHCTL_EL2 (D17.2.25), E2H = 0 ---- */
#define CNTHCTL_EL1PCTEN  EL2_BIT(0)   /* EL1/EL0 read CNTPCT_EL0 */
#define CNTHCTL_EL1PCEN   EL2_BIT(1)   /* EL1 physical timer: clear, emulated (vdev/vptimer.c) */
#define CNTHCTL_EVNTEN    EL2_BIT(2)
#define CNTHCTL_EVNTI(n)  ((n) << 4)
/* The event stream every 2^(4+1) ticks bounds every WFE of the
 * hypervisor. The FEAT_ECV bits (ECV, EL1TVT, EL1TVCT, EL1NVPCT,
 * EL1NVVCT, EVNTIS) are all 0: no offset, no extra traps. */
#define CNTHCTL_EL2_VALUE (CNTHCTL_EL1PCTEN | CNTHCTL_EVNTEN | CNTHCTL_EVNTI(4))

#ifndef __ASSEMBLY__
#include <stdint.h>
/* Every EL2 control register of this CPU, and the hardware state that the
 * guests' trapped resources leave in it (PMU counters off, debug
 * registers disarmed, the EL1 physical timer off). */
void el2_cpu_init(void);
/* HCR_EL2 with a vCPU loaded (HCR_EL2_GUEST_BASE and the feature traps). */
extern uint64_t el2_hcr_guest;
/* The MDCR_EL2 value this CPU got. */
uint64_t el2_mdcr(void);
/* This CPU's live registers against those values: "ok" or what differs
 * (the `el2` console command). */
#include <stddef.h>
void el2_cpu_check(char *buf, size_t size);
#endif
#endif
