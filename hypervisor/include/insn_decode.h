/* Decoding of the A64 load/store instructions an emulated device may see
 * without an instruction syndrome (ESR_EL2.ISS.ISV = 0: writeback
 * addressing, pairs; Arm ARM D17.2.37 lists when ISV is 0). Pure logic,
 * no hardware access: arch/aarch64/insn_decode.c, unit-tested on the host
 * (tests/unit/test_insn_decode.c). core/mmio.c fetches the instruction
 * and performs the accesses. */
#ifndef HYP_INSN_DECODE_H
#define HYP_INSN_DECODE_H
#include <stdbool.h>
#include <stdint.h>

enum insn_addr_mode {
	INSN_OFFSET,        /* [Rn, #imm]: no writeback */
	INSN_PRE_INDEX,     /* [Rn, #imm]!: address Rn + imm, Rn = address */
	INSN_POST_INDEX,    /* [Rn], #imm: address Rn, then Rn += imm */
};

struct insn_ldst {
	bool load;
	bool pair;          /* LDP/STP/LDPSW/LDNP/STNP: elements Rt, then Rt2 */
	unsigned size;      /* bytes per element: 1, 2, 4 or 8 */
	bool sign_extend;   /* LDRSB, LDRSH, LDRSW, LDPSW */
	bool dst64;         /* loads: the destination is an X register (else W) */
	unsigned rt, rt2;   /* 31: the zero register */
	unsigned rn;        /* 31: the stack pointer of the current EL */
	int64_t offset;     /* in bytes, already scaled */
	enum insn_addr_mode mode;
};

/* Decode `insn`. Returns NULL and fills `out` for a form Lull emulates
 * (general-purpose LDR/STR (immediate) of every size and addressing mode,
 * LDUR/STUR, LDTR/STTR, LDP/STP/LDPSW/LDNP/STNP of 32 and 64 bits);
 * otherwise a short reason for the log ("SIMD&FP load/store", ...). */
const char *insn_decode_ldst(uint32_t insn, struct insn_ldst *out);

/* Rn's value -> the address of the first element, and Rn after the
 * instruction (unchanged for INSN_OFFSET). */
uint64_t insn_ldst_address(const struct insn_ldst *l, uint64_t rn_val);
uint64_t insn_ldst_writeback(const struct insn_ldst *l, uint64_t rn_val);
/* A loaded element (its `size` bytes, zero-extended) -> the value its
 * register gets (sign or zero extension; a W register's upper half 0). */
uint64_t insn_ldst_load_value(const struct insn_ldst *l, uint64_t raw);
/* A register's value -> the element stored (its low `size` bytes). */
uint64_t insn_ldst_store_value(const struct insn_ldst *l, uint64_t reg);
/* "LDR", "STP", "LDRSH", ... and "post-index" etc., for log lines. */
const char *insn_ldst_mnemonic(const struct insn_ldst *l);
const char *insn_ldst_mode_name(enum insn_addr_mode m);
#endif
