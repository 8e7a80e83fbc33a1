/* SVE register state of a guest (Z0-Z31, P0-P15, FFR), saved and loaded
 * at EL2 with the vector length ZCR_EL2.LEN gives (set by the caller to
 * the domain's length), and the longest vector length of this CPU. Only
 * core/fpsimd.c calls these; the hypervisor itself never uses SVE. */
	.arch	armv8.2-a+sve

#define ZCR_EL2  S3_4_C1_C2_0

#include <lull/sve_regs.h>

	.text
/* sve_save(z, p): Z0-Z31 at z, P0-P15 at p, FFR after them (p + 16 PL). */
	.global sve_save
sve_save:
	sve_z_regs str, x0
	sve_p_regs str, x1
	rdffr	p0.b
	str	p0, [x1, #16, MUL VL]
	ret

/* sve_load(z, p): the reverse (FFR first, through P0). */
	.global sve_load
sve_load:
	ldr	p0, [x1, #16, MUL VL]
	wrffr	p0.b
	sve_p_regs ldr, x1
	sve_z_regs ldr, x0
	ret

/* sve_probe_vq(): the longest vector length of this CPU in quadwords
 * (ZCR_EL2.LEN at its maximum, then RDVL; Arm ARM: LEN is constrained to
 * the longest implemented length at or below it). CPTR_EL2.TZ must be 0;
 * the caller checked ID_AA64PFR0_EL1.SVE. */
	.global sve_probe_vq
sve_probe_vq:
	mov	x0, #0x1ff
	msr	ZCR_EL2, x0
	isb
	rdvl	x0, #1
	lsr	x0, x0, #4
	ret
