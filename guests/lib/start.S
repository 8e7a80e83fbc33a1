/* Bare-metal guest entry, with an arm64 Image header (Linux boot protocol,
 * Documentation/arch/arm64/booting.rst) so the hypervisor loads it like a
 * kernel: EL1, MMU off, x0 = device tree. Secondary vCPUs enter at
 * guest_secondary_entry with x0 = context_id (their vCPU index). */
#define STACK_SIZE 0x4000

	.section .text.head, "ax"
	.global _start
_start:
	b	primary			/* code0 */
	.long	0			/* code1 */
	.quad	0x80000			/* text_offset */
	.quad	__image_end - _start	/* image_size */
	.quad	0xa			/* flags: LE, 4K pages, anywhere */
	.quad	0, 0, 0			/* res2-4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

primary:
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	mov	x19, x0
	mov	x0, #0
	bl	set_stack
	ldr	x1, =guest_vectors
	msr	vbar_el1, x1
	isb
	mov	x0, x19
	bl	guest_main
	b	.

	.global guest_secondary_entry
guest_secondary_entry:
	mov	x19, x0
	bl	set_stack
	ldr	x1, =guest_vectors
	msr	vbar_el1, x1
	isb
	mov	x0, x19
	bl	guest_secondary_main
	b	.

/* Re-entry after a context loss (PSCI CPU_SUSPEND power-down, SYSTEM_SUSPEND)
 * or a CPU_ON with any context: x0 = context_id. Before anything changes
 * them it records what the vCPU found (guest_entry_state[vCPU], from
 * MPIDR_EL1.Aff0): x0, the OR of x1-x30 (zero if all were zero), and EL1
 * registers. Then it takes this vCPU's resume stack (apart from the boot
 * stack, whose frames a saved guest_context may still need), sets VBAR_EL1
 * and calls guest_resume_c(context), which resumes a waiting
 * guest_psci_may_resume; if none waits, guest_resume_unawaited(context)
 * runs on the boot stack, as after guest_secondary_entry. */
#define RESUME_STACK_SIZE 0x2000
	.global guest_resume_entry
	.balign 4
guest_resume_entry:
	.irp r, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29
	orr	x30, x30, x\r
	.endr
	mrs	x1, mpidr_el1
	and	x1, x1, #7
	ldr	x2, =guest_entry_state
	add	x2, x2, x1, lsl #7		/* 128 bytes each */
	str	x0, [x2, #0]
	str	x30, [x2, #8]
	mrs	x3, sctlr_el1
	str	x3, [x2, #16]
	mrs	x3, vbar_el1
	str	x3, [x2, #24]
	mrs	x3, tpidr_el1
	str	x3, [x2, #32]
	mrs	x3, tpidr_el0
	str	x3, [x2, #40]
	mrs	x3, ttbr0_el1
	str	x3, [x2, #48]
	mrs	x3, ttbr1_el1
	str	x3, [x2, #56]
	mrs	x3, mair_el1
	str	x3, [x2, #64]
	mrs	x3, contextidr_el1
	str	x3, [x2, #72]
	mrs	x3, daif
	str	x3, [x2, #80]
	mrs	x3, CurrentEL
	str	x3, [x2, #88]
	mrs	x3, spsel
	str	x3, [x2, #96]
	ldr	x3, [x2, #104]
	add	x3, x3, #1
	str	x3, [x2, #104]			/* entries */
	mov	x19, x0
	ldr	x2, =resume_stacks_end
	mov	x3, #RESUME_STACK_SIZE
	msub	x2, x1, x3, x2
	mov	sp, x2
	ldr	x1, =guest_vectors
	msr	vbar_el1, x1
	isb
	mov	x0, x19
	bl	guest_resume_c			/* returns if nothing waits for it */
	mrs	x0, mpidr_el1
	and	x0, x0, #7
	bl	set_stack			/* the boot stack: may suspend again */
	mov	x0, x19
	bl	guest_resume_unawaited
	b	.

/* int guest_context_save(struct guest_context *c): 0 now, the value given
 * to guest_context_restore when that resumes it (setjmp/longjmp). */
	.global guest_context_save
guest_context_save:
	stp	x19, x20, [x0, #0]
	stp	x21, x22, [x0, #16]
	stp	x23, x24, [x0, #32]
	stp	x25, x26, [x0, #48]
	stp	x27, x28, [x0, #64]
	stp	x29, x30, [x0, #80]
	mov	x1, sp
	str	x1, [x0, #96]
	mov	x0, #0
	ret

	.global guest_context_restore
guest_context_restore:
	ldp	x19, x20, [x0, #0]
	ldp	x21, x22, [x0, #16]
	ldp	x23, x24, [x0, #32]
	ldp	x25, x26, [x0, #48]
	ldp	x27, x28, [x0, #64]
	ldp	x29, x30, [x0, #80]
	ldr	x2, [x0, #96]
	mov	sp, x2
	cmp	x1, #0
	csinc	x0, x1, xzr, ne			/* never 0 */
	ret

/* guest_call_regs(uint64_t regs[19], unsigned conduit): an SMCCC call with
 * x0-x18 loaded from regs and stored back after it. conduit: 0 HVC #0,
 * 1 SMC #0, 2 HVC #1, 3 SMC #1, 4 HVC #0xffff, 5 SMC #0xffff. */
	.global guest_call_regs
guest_call_regs:
	stp	x19, x20, [sp, #-32]!
	str	x18, [sp, #16]
	mov	x19, x0
	mov	x20, x1
	ldp	x0, x1, [x19, #0]
	ldp	x2, x3, [x19, #16]
	ldp	x4, x5, [x19, #32]
	ldp	x6, x7, [x19, #48]
	ldp	x8, x9, [x19, #64]
	ldp	x10, x11, [x19, #80]
	ldp	x12, x13, [x19, #96]
	ldp	x14, x15, [x19, #112]
	ldp	x16, x17, [x19, #128]
	ldr	x18, [x19, #144]
	cmp	x20, #1
	b.eq	1f
	cmp	x20, #2
	b.eq	2f
	cmp	x20, #3
	b.eq	3f
	cmp	x20, #4
	b.eq	4f
	cmp	x20, #5
	b.eq	5f
	hvc	#0
	b	9f
1:	smc	#0
	b	9f
2:	hvc	#1
	b	9f
3:	smc	#1
	b	9f
4:	hvc	#0xffff
	b	9f
5:	smc	#0xffff
9:	stp	x0, x1, [x19, #0]
	stp	x2, x3, [x19, #16]
	stp	x4, x5, [x19, #32]
	stp	x6, x7, [x19, #48]
	stp	x8, x9, [x19, #64]
	stp	x10, x11, [x19, #80]
	stp	x12, x13, [x19, #96]
	stp	x14, x15, [x19, #112]
	stp	x16, x17, [x19, #128]
	str	x18, [x19, #144]
	ldr	x18, [sp, #16]
	ldp	x19, x20, [sp], #32
	ret

	.bss
	.balign 16
resume_stacks:
	.space	RESUME_STACK_SIZE * 8
resume_stacks_end:

	.section .text.head, "ax"
/* set_stack(x0 = vCPU index): keeps x19. */
set_stack:
	and	x0, x0, #7
	ldr	x1, =__stacks_end
	mov	x2, #STACK_SIZE
	msub	x1, x0, x2, x1
	mov	sp, x1
	ret

/* EL1 exception vectors: synchronous exceptions go to guest_sync(frame),
 * which may change the return address; everything else reports and stops. */
	.text
	.balign 0x800
	.global guest_vectors
guest_vectors:
	.irp k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	.balign 0x80
	sub	sp, sp, #256
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	mov	x1, #\k
	b	vector_common
	.endr

vector_common:
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x30, [sp, #144]
	mrs	x2, elr_el1
	str	x2, [sp, #160]
	mov	x0, sp
	bl	guest_exception
	ldr	x2, [sp, #160]
	msr	elr_el1, x2
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x30, [sp, #144]
	add	sp, sp, #256
	eret
