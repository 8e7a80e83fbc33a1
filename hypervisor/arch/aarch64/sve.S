/* SVE register state of a guest (Z0-Z31, P0-P15, FFR), saved and loaded
 * at EL2 with the vector length ZCR_EL2.LEN gives (set by the caller to
 * the domain's length), and the longest vector length of this CPU. Only
 * core/fpsimd.c calls these; the hypervisor itself never uses SVE. */
	.arch	armv8.2-a+sve

#define ZCR_EL2  S3_4_C1_C2_0

	.text
/* sve_save(z, p): Z0-Z31 at z, P0-P15 at p, FFR after them (p + 16 PL). */
	.global sve_save
sve_save:
	str	z0, [x0, #0, MUL VL]
	str	z1, [x0, #1, MUL VL]
	str	z2, [x0, #2, MUL VL]
	str	z3, [x0, #3, MUL VL]
	str	z4, [x0, #4, MUL VL]
	str	z5, [x0, #5, MUL VL]
	str	z6, [x0, #6, MUL VL]
	str	z7, [x0, #7, MUL VL]
	str	z8, [x0, #8, MUL VL]
	str	z9, [x0, #9, MUL VL]
	str	z10, [x0, #10, MUL VL]
	str	z11, [x0, #11, MUL VL]
	str	z12, [x0, #12, MUL VL]
	str	z13, [x0, #13, MUL VL]
	str	z14, [x0, #14, MUL VL]
	str	z15, [x0, #15, MUL VL]
	str	z16, [x0, #16, MUL VL]
	str	z17, [x0, #17, MUL VL]
	str	z18, [x0, #18, MUL VL]
	str	z19, [x0, #19, MUL VL]
	str	z20, [x0, #20, MUL VL]
	str	z21, [x0, #21, MUL VL]
	str	z22, [x0, #22, MUL VL]
	str	z23, [x0, #23, MUL VL]
	str	z24, [x0, #24, MUL VL]
	str	z25, [x0, #25, MUL VL]
	str	z26, [x0, #26, MUL VL]
	str	z27, [x0, #27, MUL VL]
	str	z28, [x0, #28, MUL VL]
	str	z29, [x0, #29, MUL VL]
	str	z30, [x0, #30, MUL VL]
	str	z31, [x0, #31, MUL VL]
	str	p0, [x1, #0, MUL VL]
	str	p1, [x1, #1, MUL VL]
	str	p2, [x1, #2, MUL VL]
	str	p3, [x1, #3, MUL VL]
	str	p4, [x1, #4, MUL VL]
	str	p5, [x1, #5, MUL VL]
	str	p6, [x1, #6, MUL VL]
	str	p7, [x1, #7, MUL VL]
	str	p8, [x1, #8, MUL VL]
	str	p9, [x1, #9, MUL VL]
	str	p10, [x1, #10, MUL VL]
	str	p11, [x1, #11, MUL VL]
	str	p12, [x1, #12, MUL VL]
	str	p13, [x1, #13, MUL VL]
	str	p14, [x1, #14, MUL VL]
	str	p15, [x1, #15, MUL VL]
	rdffr	p0.b
	str	p0, [x1, #16, MUL VL]
	ret

/* sve_load(z, p): the reverse (FFR first, through P0). */
	.global sve_load
sve_load:
	ldr	p0, [x1, #16, MUL VL]
	wrffr	p0.b
	ldr	p0, [x1, #0, MUL VL]
	ldr	p1, [x1, #1, MUL VL]
	ldr	p2, [x1, #2, MUL VL]
	ldr	p3, [x1, #3, MUL VL]
	ldr	p4, [x1, #4, MUL VL]
	ldr	p5, [x1, #5, MUL VL]
	ldr	p6, [x1, #6, MUL VL]
	ldr	p7, [x1, #7, MUL VL]
	ldr	p8, [x1, #8, MUL VL]
	ldr	p9, [x1, #9, MUL VL]
	ldr	p10, [x1, #10, MUL VL]
	ldr	p11, [x1, #11, MUL VL]
	ldr	p12, [x1, #12, MUL VL]
	ldr	p13, [x1, #13, MUL VL]
	ldr	p14, [x1, #14, MUL VL]
	ldr	p15, [x1, #15, MUL VL]
	ldr	z0, [x0, #0, MUL VL]
	ldr	z1, [x0, #1, MUL VL]
	ldr	z2, [x0, #2, MUL VL]
	ldr	z3, [x0, #3, MUL VL]
	ldr	z4, [x0, #4, MUL VL]
	ldr	z5, [x0, #5, MUL VL]
	ldr	z6, [x0, #6, MUL VL]
	ldr	z7, [x0, #7, MUL VL]
	ldr	z8, [x0, #8, MUL VL]
	ldr	z9, [x0, #9, MUL VL]
	ldr	z10, [x0, #10, MUL VL]
	ldr	z11, [x0, #11, MUL VL]
	ldr	z12, [x0, #12, MUL VL]
	ldr	z13, [x0, #13, MUL VL]
	ldr	z14, [x0, #14, MUL VL]
	ldr	z15, [x0, #15, MUL VL]
	ldr	z16, [x0, #16, MUL VL]
	ldr	z17, [x0, #17, MUL VL]
	ldr	z18, [x0, #18, MUL VL]
	ldr	z19, [x0, #19, MUL VL]
	ldr	z20, [x0, #20, MUL VL]
	ldr	z21, [x0, #21, MUL VL]
	ldr	z22, [x0, #22, MUL VL]
	ldr	z23, [x0, #23, MUL VL]
	ldr	z24, [x0, #24, MUL VL]
	ldr	z25, [x0, #25, MUL VL]
	ldr	z26, [x0, #26, MUL VL]
	ldr	z27, [x0, #27, MUL VL]
	ldr	z28, [x0, #28, MUL VL]
	ldr	z29, [x0, #29, MUL VL]
	ldr	z30, [x0, #30, MUL VL]
	ldr	z31, [x0, #31, MUL VL]
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
