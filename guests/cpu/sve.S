/* SVE and pointer authentication register access for the cpu guest. */
	.arch	armv8.3-a+sve

	.text
/* cpu_sve_load(z, p, ffr): Z0-Z31 from z, P0-P15 from p, FFR from ffr,
 * each at the current vector length. */
	.global cpu_sve_load
cpu_sve_load:
	ldr	p0, [x2]
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

/* cpu_sve_store(z, p, ffr): the reverse (FFR through P0, P0 last). */
	.global cpu_sve_store
cpu_sve_store:
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
	str	p0, [x2]
	ret

/* cpu_sve_vl(): the current vector length in bytes. */
	.global cpu_sve_vl
cpu_sve_vl:
	rdvl	x0, #1
	ret

/* cpu_pauth_set(keys[10]) / cpu_pauth_get(keys[10]): APIA, APIB, APDA,
 * APDB, APGA, Lo then Hi each. */
	.global cpu_pauth_set
cpu_pauth_set:
	ldp	x1, x2, [x0, #0]
	msr	S3_0_C2_C1_0, x1
	msr	S3_0_C2_C1_1, x2
	ldp	x1, x2, [x0, #16]
	msr	S3_0_C2_C1_2, x1
	msr	S3_0_C2_C1_3, x2
	ldp	x1, x2, [x0, #32]
	msr	S3_0_C2_C2_0, x1
	msr	S3_0_C2_C2_1, x2
	ldp	x1, x2, [x0, #48]
	msr	S3_0_C2_C2_2, x1
	msr	S3_0_C2_C2_3, x2
	ldp	x1, x2, [x0, #64]
	msr	S3_0_C2_C3_0, x1
	msr	S3_0_C2_C3_1, x2
	isb
	ret

	.global cpu_pauth_get
cpu_pauth_get:
	mrs	x1, S3_0_C2_C1_0
	mrs	x2, S3_0_C2_C1_1
	stp	x1, x2, [x0, #0]
	mrs	x1, S3_0_C2_C1_2
	mrs	x2, S3_0_C2_C1_3
	stp	x1, x2, [x0, #16]
	mrs	x1, S3_0_C2_C2_0
	mrs	x2, S3_0_C2_C2_1
	stp	x1, x2, [x0, #32]
	mrs	x1, S3_0_C2_C2_2
	mrs	x2, S3_0_C2_C2_3
	stp	x1, x2, [x0, #48]
	mrs	x1, S3_0_C2_C3_0
	mrs	x2, S3_0_C2_C3_1
	stp	x1, x2, [x0, #64]
	ret

/* cpu_pacga(a, b): PACGA with the APGA key. */
	.global cpu_pacga
cpu_pacga:
	pacga	x0, x0, x1
	ret

/* Instructions that must be UNDEF in a domain (each returns normally when
 * the guest's handler skips it). */
	.global cpu_try_smstart
cpu_try_smstart:
	.inst	0xd503477f		/* SMSTART */
	ret
	.global cpu_try_smidr
cpu_try_smidr:
	mrs	x0, S3_1_C0_C0_6	/* SMIDR_EL1 */
	ret
	.global cpu_try_smcr
cpu_try_smcr:
	mrs	x0, S3_0_C1_C2_6	/* SMCR_EL1 */
	ret
	.global cpu_try_gcr
cpu_try_gcr:
	mrs	x0, S3_0_C1_C0_6	/* GCR_EL1 (MTE) */
	ret
	.global cpu_try_rgsr
cpu_try_rgsr:
	msr	S3_0_C1_C0_5, xzr	/* RGSR_EL1 (MTE) */
	ret
	.global cpu_try_tfsr
cpu_try_tfsr:
	mrs	x0, S3_0_C5_C6_0	/* TFSR_EL1 (MTE) */
	ret
	.global cpu_try_gmid
cpu_try_gmid:
	mrs	x0, S3_1_C0_C0_4	/* GMID_EL1 (MTE) */
	ret
	.global cpu_try_rdvl
cpu_try_rdvl:
	rdvl	x0, #1
	ret
	.global cpu_try_zcr
cpu_try_zcr:
	mrs	x0, S3_0_C1_C2_0	/* ZCR_EL1 */
	ret
	.global cpu_try_apiakey
cpu_try_apiakey:
	mrs	x0, S3_0_C2_C1_0	/* APIAKeyLo_EL1 */
	ret
	.global cpu_try_idwrite
cpu_try_idwrite:
	msr	S3_0_C0_C4_0, xzr	/* ID_AA64PFR0_EL1: read-only */
	ret
