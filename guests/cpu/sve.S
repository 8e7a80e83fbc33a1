/* SVE and pointer authentication register access for the cpu guest. */
	.arch	armv8.3-a+sve

#include <lull/sve_regs.h>

	.text
/* cpu_sve_load(z, p, ffr): Z0-Z31 from z, P0-P15 from p, FFR from ffr,
 * each at the current vector length. */
	.global cpu_sve_load
cpu_sve_load:
	ldr	p0, [x2]
	wrffr	p0.b
	sve_p_regs ldr, x1
	sve_z_regs ldr, x0
	ret

/* cpu_sve_store(z, p, ffr): the reverse (FFR through P0, P0 last). */
	.global cpu_sve_store
cpu_sve_store:
	sve_z_regs str, x0
	sve_p_regs str, x1
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
