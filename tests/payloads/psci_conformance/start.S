/* Entry points of the PSCI conformance payload (EL2, MMU off).
 * Every entry records x0-x30 and key EL2 registers as found, before
 * touching anything, so the C code can prove what the firmware destroyed. */
#define STACK_SIZE 0x2000

	.section .text.entry, "ax"
	.global _start
_start:
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	mov	x1, #0
	b	common_entry

/* Entry for CPU_ON, CPU_SUSPEND and SYSTEM_SUSPEND: x0 = context_id, whose
 * low byte is the core index. */
	.global test_entry
test_entry:
	and	x1, x0, #0xff
	cmp	x1, #8
	b.hs	.
	/* entry_regs[core]: x0..x30 then SCTLR, VBAR, TPIDR, HCR of EL2.
	 * x1-x3 are needed for the address, so only x0 and x4-x30 are
	 * recorded as found. */
	ldr	x2, =entry_regs
	mov	x3, #(35 * 8)
	madd	x2, x1, x3, x2
	str	x0, [x2]
	.irp n, 4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	str	x\n, [x2, #(\n * 8)]
	.endr
	mrs	x3, sctlr_el2
	str	x3, [x2, #(31 * 8)]
	mrs	x3, vbar_el2
	str	x3, [x2, #(32 * 8)]
	mrs	x3, tpidr_el2
	str	x3, [x2, #(33 * 8)]
	mrs	x3, hcr_el2
	str	x3, [x2, #(34 * 8)]
	mov	x1, #1
common_entry:
	/* x0 = dtb or context_id, x1 = 0 cold boot / 1 re-entry. The
	 * firmware hands over poisoned EL2 control registers: HCR_EL2
	 * (E2H, TGE ...) and CPTR_EL2 (TFP) first. */
	mov	x2, #0x80000000			/* HCR_EL2: RW only */
	msr	hcr_el2, x2
	isb
	ldr	x2, =0x33ff			/* CPTR_EL2: RES1, no FP trap */
	msr	cptr_el2, x2
	msr	mdcr_el2, xzr
	mov	x2, #3				/* CNTHCTL_EL2: EL1PCTEN, EL1PCEN */
	msr	cnthctl_el2, x2
	isb
	mrs	x2, mpidr_el1
	and	x2, x2, #0xff
	ldr	x3, =__stacks_end
	mov	x4, #STACK_SIZE
	msub	x3, x2, x4, x3
	mov	sp, x3
	ldr	x3, =vectors
	msr	vbar_el2, x3
	isb
	bl	payload_entry
	b	.

	.balign 0x800
vectors:
	.irp k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	.balign 0x80
	mov	x0, #\k
	mrs	x1, esr_el2
	mrs	x2, elr_el2
	mrs	x3, far_el2
	b	payload_exception
	.endr
