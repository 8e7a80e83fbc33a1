/* Host suspend: the boot CPU's context across PSCI SYSTEM_SUSPEND.
 *
 * suspend_context_save(c) stores the callee-saved registers and sp (like
 * setjmp) and returns 0. host_resume_entry is where the firmware re-enters
 * after the power-down: it trusts no register (x0, the context id, is
 * ignored: the one context is at a fixed symbol), puts the CPU in a known
 * state, takes CPU 0's stack, vectors and FP access (cpu_early_setup),
 * turns the MMU on with the saved tables (mmu_enable), and returns a second
 * time from suspend_context_save, with 1. No boot-only code runs here.
 * The C side (pm/host_suspend.c) restores the rest of EL2. */

#include "el2_regs.h"

#define SCTLR_EL2_RES1 0x30c50830

	.text
	.global suspend_context_save
suspend_context_save:
	stp	x19, x20, [x0, #0]
	stp	x21, x22, [x0, #16]
	stp	x23, x24, [x0, #32]
	stp	x25, x26, [x0, #48]
	stp	x27, x28, [x0, #64]
	stp	x29, x30, [x0, #80]
	mov	x1, sp
	str	x1, [x0, #96]
	ldr	x1, =saved_context
	str	x0, [x1]
	mov	x0, #0
	ret

	.global host_resume_entry
	.balign 4
host_resume_entry:
	mrs	x1, cntpct_el0			/* first: when the firmware let us in */
	msr	daifset, #0xf
	ldr	x2, =HCR_EL2_HOST		/* first: E2H may be anything */
	msr	hcr_el2, x2
	isb
	ldr	x2, =SCTLR_EL2_RES1		/* MMU and caches off, known state */
	msr	sctlr_el2, x2
	isb
	ldr	x2, =host_resume_stamp
	str	x1, [x2]
	mov	x0, #0				/* CPU 0: its stack, vectors, FP */
	bl	cpu_early_setup
	bl	mmu_enable
	ldr	x0, =saved_context
	ldr	x0, [x0]
	ldp	x19, x20, [x0, #0]
	ldp	x21, x22, [x0, #16]
	ldp	x23, x24, [x0, #32]
	ldp	x25, x26, [x0, #48]
	ldp	x27, x28, [x0, #64]
	ldp	x29, x30, [x0, #80]
	ldr	x1, [x0, #96]
	mov	sp, x1
	mov	x0, #1
	ret

	.data
	.balign 8
	.global saved_context
saved_context:
	.quad	0
	.global host_resume_stamp
host_resume_stamp:
	.quad	0
