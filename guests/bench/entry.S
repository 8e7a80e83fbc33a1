/* The benchmark's entry point for a vCPU that starts with no context: the
 * target of PSCI CPU_ON, and a vCPU re-entering after CPU_SUSPEND
 * power-down or SYSTEM_SUSPEND (x0 = context_id, MMU off, EL1 registers
 * reset). Its first instruction reads the virtual counter: that is the
 * end of the measured interval. It stores the reading in
 * bench_entry_stamp[vCPU] (vCPU = MPIDR_EL1.Aff0), takes this vCPU's own
 * entry stack (not its boot stack: a context saved before a power-down
 * still has frames there), sets VBAR_EL1 and calls bench_entry_c(x0). */
#define ENTRY_STACK_SIZE 0x1000

	.text
	.global bench_entry
	.balign 4
bench_entry:
	mrs	x1, cntvct_el0
	mrs	x2, mpidr_el1
	and	x2, x2, #7
	ldr	x3, =bench_entry_stamp
	str	x1, [x3, x2, lsl #3]
	ldr	x3, =bench_entry_stacks_end
	mov	x4, #ENTRY_STACK_SIZE
	msub	x3, x2, x4, x3
	mov	sp, x3
	ldr	x3, =guest_vectors
	msr	vbar_el1, x3
	isb
	bl	bench_entry_c
	b	.

	.bss
	.balign 16
	.global bench_entry_stamp
bench_entry_stamp:
	.space	8 * 8
	.balign 16
bench_entry_stacks:
	.space	ENTRY_STACK_SIZE * 8
bench_entry_stacks_end:
