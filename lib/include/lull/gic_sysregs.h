/* GICv3 system registers that come in numbered sets: the list registers
 * ICH_LR<n>_EL2 and the active-priority registers ICH_AP0R<n>_EL2,
 * ICH_AP1R<n>_EL2, ICC_AP0R<n>_EL1 and ICC_AP1R<n>_EL1 (Arm IHI 0069,
 * chapter 12). MRS and MSR name their register in the instruction, so an
 * index becomes a switch. Used by the rig firmware (to destroy them) and by
 * its conformance payload (to prove they were destroyed). */
#ifndef LULL_GIC_SYSREGS_H
#define LULL_GIC_SYSREGS_H
#include <stdint.h>
#include <lull/arch.h>

#define ICH_VTR_EL2   S3_4_C12_C11_1
#define ICH_HCR_EL2   S3_4_C12_C11_0
#define ICH_VMCR_EL2  S3_4_C12_C11_7
#define ICC_BPR0_EL1  S3_0_C12_C8_3
#define ICC_CTLR_EL3  S3_6_C12_C12_4

#define GIC_LR_CASES(X) \
	X(0, S3_4_C12_C12_0) X(1, S3_4_C12_C12_1) X(2, S3_4_C12_C12_2) X(3, S3_4_C12_C12_3) \
	X(4, S3_4_C12_C12_4) X(5, S3_4_C12_C12_5) X(6, S3_4_C12_C12_6) X(7, S3_4_C12_C12_7) \
	X(8, S3_4_C12_C13_0) X(9, S3_4_C12_C13_1) X(10, S3_4_C12_C13_2) X(11, S3_4_C12_C13_3) \
	X(12, S3_4_C12_C13_4) X(13, S3_4_C12_C13_5) X(14, S3_4_C12_C13_6) X(15, S3_4_C12_C13_7)
#define GIC_ICH_AP0R_CASES(X) \
	X(0, S3_4_C12_C8_0) X(1, S3_4_C12_C8_1) X(2, S3_4_C12_C8_2) X(3, S3_4_C12_C8_3)
#define GIC_ICH_AP1R_CASES(X) \
	X(0, S3_4_C12_C9_0) X(1, S3_4_C12_C9_1) X(2, S3_4_C12_C9_2) X(3, S3_4_C12_C9_3)
#define GIC_ICC_AP0R_CASES(X) \
	X(0, S3_0_C12_C8_4) X(1, S3_0_C12_C8_5) X(2, S3_0_C12_C8_6) X(3, S3_0_C12_C8_7)
#define GIC_ICC_AP1R_CASES(X) \
	X(0, S3_0_C12_C9_0) X(1, S3_0_C12_C9_1) X(2, S3_0_C12_C9_2) X(3, S3_0_C12_C9_3)

#define GIC_SYSREG_READ_CASE(n, reg) case n: return read_sysreg(reg);
#define GIC_SYSREG_WRITE_CASE(n, reg) case n: write_sysreg(v, reg); break;

/* One reader and one writer per set; an index past the set reads 0 and
 * writes nothing. */
#define GIC_SYSREG_SET(name, cases) \
	static inline uint64_t name##_read(unsigned n) \
	{ switch (n) { cases(GIC_SYSREG_READ_CASE) default: return 0; } } \
	static inline void name##_write(unsigned n, uint64_t v) \
	{ switch (n) { cases(GIC_SYSREG_WRITE_CASE) default: break; } }

GIC_SYSREG_SET(ich_lr, GIC_LR_CASES)
GIC_SYSREG_SET(ich_ap0r, GIC_ICH_AP0R_CASES)
GIC_SYSREG_SET(ich_ap1r, GIC_ICH_AP1R_CASES)
GIC_SYSREG_SET(icc_ap0r, GIC_ICC_AP0R_CASES)
GIC_SYSREG_SET(icc_ap1r, GIC_ICC_AP1R_CASES)

/* ICH_VTR_EL2.ListRegs (bits 4:0) is the number of list registers - 1. */
static inline unsigned ich_num_lrs(void)
{
	return (unsigned)(read_sysreg(ICH_VTR_EL2) & 0x1f) + 1;
}

/* Active-priority registers per group for `bits` preemption bits: one
 * register of 32 bits holds 5 bits' worth of groups, 6 bits need two and
 * 7 bits four (IHI 0069, ICH_AP0R<n>_EL2 and ICC_AP0R<n>_EL1: registers
 * 1-3 exist only with 6 or 7 bits). */
static inline unsigned gic_num_aprs(unsigned bits)
{
	return bits >= 7 ? 4 : bits == 6 ? 2 : 1;
}

/* Virtual interface: ICH_VTR_EL2.PREbits (bits 28:26) + 1 preemption bits. */
static inline unsigned ich_num_aprs(void)
{
	return gic_num_aprs((unsigned)((read_sysreg(ICH_VTR_EL2) >> 26) & 7) + 1);
}

/* Physical CPU interface: PRIbits (bits 10:8) + 1 priority bits, given a
 * value of ICC_CTLR_EL1 or ICC_CTLR_EL3 (same field). With 8 priority
 * bits at most 7 are preemption bits. */
static inline unsigned icc_num_aprs(uint64_t icc_ctlr)
{
	return gic_num_aprs((unsigned)((icc_ctlr >> 8) & 7) + 1);
}
#endif
