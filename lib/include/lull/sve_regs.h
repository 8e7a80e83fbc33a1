/* The SVE register file's save and load sequences (assembler macros), for
 * the hypervisor's switch of a guest's state (hypervisor/arch/aarch64/
 * sve.S) and the cpu test guest (guests/cpu/sve.S): Z0-Z31 at `zbase`,
 * P0-P15 at `pbase`, each at the current vector length (MUL VL). FFR goes
 * through P0, so each file places it around these itself. */
#ifndef LULL_SVE_REGS_H
#define LULL_SVE_REGS_H
#ifdef __ASSEMBLY__
	.macro	sve_z_regs op, zbase
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	\op	z\n, [\zbase, #\n, MUL VL]
	.endr
	.endm

	.macro	sve_p_regs op, pbase
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	\op	p\n, [\pbase, #\n, MUL VL]
	.endr
	.endm
#endif
#endif
