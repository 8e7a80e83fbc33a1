/* Hypervisor entry points, both entered at EL2 with the MMU off:
 *  _start:      cold boot on the boot CPU, x0 = device tree address.
 *  cpu_reentry: every later arrival of a CPU (first start of a secondary,
 *               return after CPU_OFF), x0 = CPU index (PSCI context_id).
 *               It runs no boot-only code and trusts no register: the
 *               firmware has destroyed them (power-loss simulation). */
#include <lull/asm_regs.h>
#include "el2_regs.h"

#define HYP_STACK_SIZE 0x4000
#define MAX_CPUS 8
#define SCTLR_EL2_RES1 0x30c50830

/* HCR_EL2 first, before any other EL2 register: what the firmware left
 * there is UNKNOWN, and with E2H set, CPTR_EL2, TCR_EL2 and CNTHCTL_EL2
 * would have other layouts (VHE). Only x1 is used. */
.macro hcr_known
	ldr	x1, =HCR_EL2_HOST
	msr	hcr_el2, x1
	isb
.endm

	.section .text.entry, "ax"
	.global _start
_start:
	hcr_known
	mov	x19, x0
	ldr	x1, =SCTLR_EL2_RES1		/* known state: MMU and caches off */
	msr	sctlr_el2, x1
	isb
	ldr	x0, =__bss_start		/* clear .bss */
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	mov	x0, #0
	bl	cpu_early_setup		/* stack, vectors, FP for libfdt */
	mov	x0, x19
	bl	boot_main			/* builds page tables, enables MMU */
3:	wfi
	b	3b

	.global cpu_reentry
cpu_reentry:
	hcr_known
	cmp	x0, #MAX_CPUS
	b.hs	3b
	mov	x19, x0
	ldr	x1, =SCTLR_EL2_RES1
	msr	sctlr_el2, x1
	isb
	bl	cpu_early_setup
	bl	mmu_enable			/* from the boot CPU's saved values */
	mov	x0, x19
	bl	cpu_secondary_main
	b	3b

/* cpu_early_setup(x0 = cpu index): set SP to that CPU's stack, VBAR_EL2,
 * and allow FP/SIMD at EL2 (libfdt is built with SIMD). Preserves x19. */
	.global cpu_early_setup
cpu_early_setup:
	ldr	x1, =__stacks_end
	mov	x2, #HYP_STACK_SIZE
	msub	x1, x0, x2, x1
	mov	sp, x1
	mov	x29, #0				/* terminate backtraces */
	ldr	x1, =hyp_vectors
	msr	vbar_el2, x1
	ldr	x1, =CPTR_EL2_VALUE		/* FP/SIMD allowed (el2_regs.h) */
	msr	cptr_el2, x1
	isb
	ret

/* mmu_enable(): load MAIR/TCR/TTBR0 for EL2 from mmu_regs (filled in by
 * the boot CPU) and turn the MMU and caches on. */
	.global mmu_enable
mmu_enable:
	ldr	x1, =mmu_regs
	ldp	x2, x3, [x1]			/* mair, tcr */
	ldp	x4, x5, [x1, #16]		/* ttbr0, sctlr */
	msr	mair_el2, x2
	msr	tcr_el2, x3
	msr	ttbr0_el2, x4
	isb
	tlbi	alle2
	dsb	sy
	isb
	msr	sctlr_el2, x5
	isb
	ret

/* Exception vectors (Arm ARM D1.10.2). Every entry saves the full general
 * register context in a struct trap_frame on the current stack. */
.macro save_frame
	sub	sp, sp, #288
	stp_x0_x29 sp
	add	x0, sp, #288
	stp	x30, x0, [sp, #240]		/* lr, sp before the exception */
	mrs	x0, elr_el2
	mrs	x1, spsr_el2
	stp	x0, x1, [sp, #256]
	mrs	x0, esr_el2
	mrs	x1, far_el2
	stp	x0, x1, [sp, #272]
.endm

.macro vector kind
	.balign 0x80
	save_frame
	mov	x0, sp
	mov	x1, #\kind
	b	trap_common
.endm

	.text
	.balign 0x800
	.global hyp_vectors
hyp_vectors:
	.irp k, 0,1,2,3,4,5,6,7
	vector \k
	.endr
	/* From a guest: back into guest_enter's caller (guest_entry.S). */
	.irp k, 8,9,10,11,12,13,14,15
	.balign 0x80
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\k
	b	guest_exit
	.endr

trap_common:
	bl	trap_entry
	ldp	x0, x1, [sp, #256]
	msr	elr_el2, x0
	msr	spsr_el2, x1
	ldp_x0_x29 sp
	ldr	x30, [sp, #240]
	add	sp, sp, #288
	eret
