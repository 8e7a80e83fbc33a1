/* Assembly helpers for the register frames every exception path keeps:
 * general registers in pairs at [base, #8 * n]. One copy for the rig
 * firmware, the hypervisor and its guest entry. */
#ifndef LULL_ASM_REGS_H
#define LULL_ASM_REGS_H

/* x2..x29 <-> [\base + 16 .. \base + 239] */
.macro stp_x2_x29 base
	stp	x2, x3, [\base, #16]
	stp	x4, x5, [\base, #32]
	stp	x6, x7, [\base, #48]
	stp	x8, x9, [\base, #64]
	stp	x10, x11, [\base, #80]
	stp	x12, x13, [\base, #96]
	stp	x14, x15, [\base, #112]
	stp	x16, x17, [\base, #128]
	stp	x18, x19, [\base, #144]
	stp	x20, x21, [\base, #160]
	stp	x22, x23, [\base, #176]
	stp	x24, x25, [\base, #192]
	stp	x26, x27, [\base, #208]
	stp	x28, x29, [\base, #224]
.endm

.macro ldp_x2_x29 base
	ldp	x2, x3, [\base, #16]
	ldp	x4, x5, [\base, #32]
	ldp	x6, x7, [\base, #48]
	ldp	x8, x9, [\base, #64]
	ldp	x10, x11, [\base, #80]
	ldp	x12, x13, [\base, #96]
	ldp	x14, x15, [\base, #112]
	ldp	x16, x17, [\base, #128]
	ldp	x18, x19, [\base, #144]
	ldp	x20, x21, [\base, #160]
	ldp	x22, x23, [\base, #176]
	ldp	x24, x25, [\base, #192]
	ldp	x26, x27, [\base, #208]
	ldp	x28, x29, [\base, #224]
.endm

/* x0..x29 <-> [\base + 0 .. \base + 239] */
.macro stp_x0_x29 base
	stp	x0, x1, [\base, #0]
	stp_x2_x29 \base
.endm

.macro ldp_x0_x29 base
	ldp_x2_x29 \base
	ldp	x0, x1, [\base, #0]
.endm
#endif
