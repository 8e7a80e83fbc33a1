/* World switch between the hypervisor and a guest at EL1.
 *
 * guest_enter(regs, host_ctx) saves the hypervisor's callee-saved registers
 * and stack pointer in host_ctx (this CPU's percpu area, whose first words
 * are host_ctx), loads the guest's general registers and erets. Any
 * exception from the guest arrives at guest_exit (through the lower-EL
 * vectors in head.S) with the guest's x0/x1 on the stack and the vector
 * index in x1: the guest's registers go back to regs and guest_enter
 * "returns" that index. EL1 system registers are not touched here. */
#include <lull/asm_regs.h>

#define HOST_SP    96
#define HOST_REGS  104

	.text
	.global guest_enter
guest_enter:
	stp	x19, x20, [x1, #0]
	stp	x21, x22, [x1, #16]
	stp	x23, x24, [x1, #32]
	stp	x25, x26, [x1, #48]
	stp	x27, x28, [x1, #64]
	stp	x29, x30, [x1, #80]
	mov	x2, sp
	stp	x2, x0, [x1, #HOST_SP]		/* sp, guest regs pointer */
	ldp	x2, x3, [x0, #248]		/* pc, pstate */
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp_x2_x29 x0
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0, #0]
	eret

	.global guest_exit
guest_exit:
	mrs	x0, tpidr_el2			/* percpu: host_ctx first */
	ldr	x0, [x0, #HOST_REGS]
	stp_x2_x29 x0
	str	x30, [x0, #240]
	mov	x4, x1				/* vector index */
	ldp	x2, x3, [sp], #16		/* the guest's x0, x1 */
	stp	x2, x3, [x0, #0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #248]
	mov	x0, x4
	mrs	x1, tpidr_el2
	ldp	x19, x20, [x1, #0]
	ldp	x21, x22, [x1, #16]
	ldp	x23, x24, [x1, #32]
	ldp	x25, x26, [x1, #48]
	ldp	x27, x28, [x1, #64]
	ldp	x29, x30, [x1, #80]
	ldr	x2, [x1, #HOST_SP]
	mov	sp, x2
	ret

/* FP/SIMD state: the hypervisor itself never uses these registers while a
 * guest's state is live (it is built with -mgeneral-regs-only). */
	.global fpsimd_save
fpsimd_save:
	stp	q0, q1, [x0, #0]
	stp	q2, q3, [x0, #32]
	stp	q4, q5, [x0, #64]
	stp	q6, q7, [x0, #96]
	stp	q8, q9, [x0, #128]
	stp	q10, q11, [x0, #160]
	stp	q12, q13, [x0, #192]
	stp	q14, q15, [x0, #224]
	stp	q16, q17, [x0, #256]
	stp	q18, q19, [x0, #288]
	stp	q20, q21, [x0, #320]
	stp	q22, q23, [x0, #352]
	stp	q24, q25, [x0, #384]
	stp	q26, q27, [x0, #416]
	stp	q28, q29, [x0, #448]
	stp	q30, q31, [x0, #480]
	mrs	x1, fpsr
	mrs	x2, fpcr
	add	x0, x0, #512
	stp	x1, x2, [x0]
	ret

	.global fpsimd_restore
fpsimd_restore:
	ldp	q0, q1, [x0, #0]
	ldp	q2, q3, [x0, #32]
	ldp	q4, q5, [x0, #64]
	ldp	q6, q7, [x0, #96]
	ldp	q8, q9, [x0, #128]
	ldp	q10, q11, [x0, #160]
	ldp	q12, q13, [x0, #192]
	ldp	q14, q15, [x0, #224]
	ldp	q16, q17, [x0, #256]
	ldp	q18, q19, [x0, #288]
	ldp	q20, q21, [x0, #320]
	ldp	q22, q23, [x0, #352]
	ldp	q24, q25, [x0, #384]
	ldp	q26, q27, [x0, #416]
	ldp	q28, q29, [x0, #448]
	ldp	q30, q31, [x0, #480]
	add	x0, x0, #512
	ldp	x1, x2, [x0]
	msr	fpsr, x1
	msr	fpcr, x2
	ret
