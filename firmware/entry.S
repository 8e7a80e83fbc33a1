/* Rig firmware entry: every CPU starts here at EL3 from secure flash. */
#include <lull/asm_regs.h>
#include "platform.h"

	.section .text.entry, "ax"
	.global _start
_start:
	mrs	x0, mpidr_el1
	and	x1, x0, #0xff
	ubfx	x2, x0, #8, #8
	add	x19, x1, x2, lsl #3		/* core index = Aff1 * 8 + Aff0 */
	cmp	x19, #FW_MAX_CPUS
	b.hs	park_forever
	msr	tpidr_el3, x19
	msr	cptr_el3, xzr			/* libfdt uses FP/SIMD */
	ldr	x0, =el3_vectors
	msr	vbar_el3, x0
	isb
	ldr	x0, =__stacks_end
	mov	x1, #FW_STACK_SIZE
	msub	x0, x19, x1, x0
	mov	sp, x0
	cbnz	x19, 2f
	/* Boot core: copy .data from flash, clear .bss. */
	ldr	x0, =__data_start
	ldr	x1, =__data_load
	ldr	x2, =__data_end
1:	cmp	x0, x2
	b.hs	1f
	ldr	x3, [x1], #8
	str	x3, [x0], #8
	b	1b
1:	ldr	x0, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x0, x2
	b.hs	1f
	str	xzr, [x0], #8
	b	1b
1:	bl	fw_primary_main
	b	park_forever
2:	/* Other cores wait (WFE, never a busy spin) for the boot core. */
	ldr	x1, =fw_cold_boot_done
3:	wfe
	ldr	w2, [x1]
	cbz	w2, 3b
	mov	x0, x19
	bl	fw_secondary_main
park_forever:
	wfi
	b	park_forever

/* fw_reset_stack_and_call(fn): drop everything on this core's EL3 stack and
 * call fn(), which must not return. Used when a core powers down. */
	.global fw_reset_stack_and_call
fw_reset_stack_and_call:
	mrs	x1, tpidr_el3
	ldr	x2, =__stacks_end
	mov	x3, #FW_STACK_SIZE
	msub	x2, x1, x3, x2
	mov	sp, x2
	blr	x0
	b	park_forever

/* fw_enter_ns_el2(entry, context_id): enter the Non-secure EL2 payload with
 * the MMU off, all exceptions masked, x0 = context_id and every other
 * general register poisoned (Power-loss simulation: nothing survives).
 * Every such entry is a power-up (cold boot, CPU_ON, the end of a
 * power-down or system suspend): whatever is on this core's EL3 stack
 * (the frames of the SMC that suspended it) is dead, so SP_EL3 goes back
 * to the top. Without this each suspend/resume cycle leaked one SMC's
 * frames, and after a dozen cycles core 0's stack ran into core 1's. */
	.global fw_enter_ns_el2
fw_enter_ns_el2:
	mrs	x2, tpidr_el3
	ldr	x3, =__stacks_end
	mov	x4, #FW_STACK_SIZE
	msub	x3, x2, x4, x3
	mov	sp, x3
	msr	elr_el3, x0
	mov	x2, #0x3c9			/* EL2h, DAIF masked */
	msr	spsr_el3, x2
	mov	x0, x1
	ldr	x1, =0xdead00000000dead
	mov	x2, x1; mov x3, x1; mov x4, x1; mov x5, x1; mov x6, x1
	mov	x7, x1; mov x8, x1; mov x9, x1; mov x10, x1; mov x11, x1
	mov	x12, x1; mov x13, x1; mov x14, x1; mov x15, x1; mov x16, x1
	mov	x17, x1; mov x18, x1; mov x19, x1; mov x20, x1; mov x21, x1
	mov	x22, x1; mov x23, x1; mov x24, x1; mov x25, x1; mov x26, x1
	mov	x27, x1; mov x28, x1; mov x29, x1; mov x30, x1
	isb
	eret

/* Poison the FP/SIMD register file: its contents are lost with power. */
	.global fw_poison_fpsimd
fw_poison_fpsimd:
	ldr	x0, =0xdead00000000dead
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	dup	v\n\().2d, x0
	.endr
	msr	fpcr, xzr
	msr	fpsr, xzr
	ret

/* Exception vectors. Only SMCs from lower ELs are expected. */
.macro save_frame
	sub	sp, sp, #272
	stp_x0_x29 sp
	mrs	x0, elr_el3
	stp	x30, x0, [sp, #240]
	mrs	x0, spsr_el3
	str	x0, [sp, #256]
.endm

.macro vector kind
	.balign 0x80
	save_frame
	mov	x0, sp
	mov	x1, #\kind
	b	el3_trap
.endm

	.balign 0x800
el3_vectors:
	.irp k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	vector \k
	.endr

el3_trap:
	bl	fw_trap
	ldp	x30, x0, [sp, #240]
	msr	elr_el3, x0
	ldr	x0, [sp, #256]
	msr	spsr_el3, x0
	ldp_x0_x29 sp
	add	sp, sp, #272
	eret
