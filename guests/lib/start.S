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
