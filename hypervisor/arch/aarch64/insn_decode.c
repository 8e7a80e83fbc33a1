/* A64 load/store decoding for MMIO accesses without an instruction
 * syndrome (insn_decode.h). Encodings: Arm ARM (DDI 0487) C4.1, "Loads
 * and Stores": the group is op0 = x1x0 (bit 27 set, bit 25 clear); bit 26
 * (V) selects SIMD&FP registers; bits 29:28 then give exclusive/ordered
 * (00), literal and RCpc/tag forms (01), register pairs (10), single
 * registers (11). The CONSTRAINED UNPREDICTABLE cases (C6.2, the
 * instruction pages' "Operation" and K1.2) are resolved as noted. */
#include "insn_decode.h"

static unsigned bits(uint32_t insn, unsigned hi, unsigned lo)
{
	return (insn >> lo) & ((1U << (hi - lo + 1)) - 1);
}

static int64_t sext(uint64_t v, unsigned width)
{
	uint64_t m = 1ULL << (width - 1);
	return (int64_t)((v ^ m) - m);
}

/* LDR/STR (immediate and unscaled/unprivileged), general-purpose
 * registers: size (31:30), opc (23:22), Rn (9:5), Rt (4:0). */
static const char *single(uint32_t insn, struct insn_ldst *l)
{
	unsigned size = bits(insn, 31, 30), opc = bits(insn, 23, 22);
	bool wback;

	if (bits(insn, 24, 24)) {                       /* unsigned offset, imm12 */
		l->mode = INSN_OFFSET;
		l->offset = (int64_t)bits(insn, 21, 10) << size;
	} else if (bits(insn, 21, 21)) {
		switch (bits(insn, 11, 10)) {
		case 0: return "atomic memory operation (LD<op>/SWP)";
		case 2: return "register-offset addressing";
		default: return "pointer-authenticated load (LDRAA/LDRAB)";
		}
	} else {                                        /* imm9 forms */
		static const enum insn_addr_mode modes[4] = { INSN_OFFSET, INSN_POST_INDEX,
							      INSN_OFFSET, INSN_PRE_INDEX };
		l->mode = modes[bits(insn, 11, 10)];       /* 00 LDUR, 10 LDTR: offset */
		l->offset = sext(bits(insn, 20, 12), 9);
	}
	l->size = 1U << size;
	l->rt = bits(insn, 4, 0);
	l->rn = bits(insn, 9, 5);
	l->load = opc != 0;
	l->sign_extend = opc >= 2;
	/* opc 01: zero-extending load, W for sizes up to 32 bits;
	 * 10: sign-extend to X; 11: sign-extend to W (bytes, halfwords). */
	l->dst64 = (opc == 1 && size == 3) || opc == 2;
	if (opc == 2 && size == 3)
		return "prefetch (PRFM) or unallocated encoding";
	if (opc == 3 && size >= 2)
		return "unallocated load/store encoding";
	wback = l->mode != INSN_OFFSET;
	/* Load with writeback into its own base: CONSTRAINED UNPREDICTABLE
	 * (WBOVERLAPLD); refused. A store of its own base stores the value
	 * before the writeback, one of the permitted behaviours (WBOVERLAPST). */
	if (wback && l->load && l->rt == l->rn && l->rn != 31)
		return "load with writeback into its base register (CONSTRAINED UNPREDICTABLE)";
	return 0;
}

/* LDP/STP/LDPSW/LDNP/STNP: opc (31:30), idx (24:23), L (22), imm7
 * (21:15), Rt2 (14:10), Rn (9:5), Rt (4:0). */
static const char *pair(uint32_t insn, struct insn_ldst *l)
{
	static const enum insn_addr_mode modes[4] = { INSN_OFFSET, INSN_POST_INDEX,
						      INSN_OFFSET, INSN_PRE_INDEX };
	unsigned opc = bits(insn, 31, 30), idx = bits(insn, 24, 23);

	l->pair = true;
	l->load = bits(insn, 22, 22);
	l->rt = bits(insn, 4, 0);
	l->rt2 = bits(insn, 14, 10);
	l->rn = bits(insn, 9, 5);
	l->mode = modes[idx];                 /* idx 00: LDNP/STNP, 10: signed offset */
	if (opc == 3)
		return "unallocated load/store pair encoding";
	if (opc == 1 && !l->load)
		return "STGP (memory tagging)";
	if (opc == 1 && idx == 0)
		return "unallocated load/store pair encoding";
	l->size = opc == 2 ? 8 : 4;
	l->sign_extend = opc == 1;            /* LDPSW */
	l->dst64 = opc != 0;
	l->offset = sext(bits(insn, 21, 15), 7) * (int64_t)l->size;
	/* LDP into one register twice (LDPOVERLAP), or with writeback into
	 * its base (WBOVERLAPLD): CONSTRAINED UNPREDICTABLE, refused. Stores
	 * store the values before the writeback (WBOVERLAPST). */
	if (l->load && l->rt == l->rt2)
		return "load pair into one register twice (CONSTRAINED UNPREDICTABLE)";
	if (l->load && l->mode != INSN_OFFSET && l->rn != 31 &&
	    (l->rt == l->rn || l->rt2 == l->rn))
		return "load pair with writeback into its base register (CONSTRAINED UNPREDICTABLE)";
	return 0;
}

const char *insn_decode_ldst(uint32_t insn, struct insn_ldst *out)
{
	*out = (struct insn_ldst){ 0 };
	if (bits(insn, 27, 27) != 1 || bits(insn, 25, 25) != 0)
		return "not a load or store";
	if (bits(insn, 26, 26))
		return "SIMD&FP load/store";
	switch (bits(insn, 29, 28)) {
	case 0:
		return "load/store exclusive, ordered or compare-and-swap";
	case 1:
		return bits(insn, 24, 24) ? "load/store of another kind (RCpc, memory tags, copy)"
					  : "PC-relative load (literal)";
	case 2:
		return pair(insn, out);
	default:
		return single(insn, out);
	}
}

uint64_t insn_ldst_address(const struct insn_ldst *l, uint64_t rn_val)
{
	return l->mode == INSN_POST_INDEX ? rn_val : rn_val + (uint64_t)l->offset;
}

uint64_t insn_ldst_writeback(const struct insn_ldst *l, uint64_t rn_val)
{
	return l->mode == INSN_OFFSET ? rn_val : rn_val + (uint64_t)l->offset;
}

uint64_t insn_ldst_load_value(const struct insn_ldst *l, uint64_t raw)
{
	uint64_t v = l->size < 8 ? raw & ((1ULL << (8 * l->size)) - 1) : raw;

	if (l->sign_extend)
		v = (uint64_t)sext(v, 8 * l->size);
	return l->dst64 ? v : v & 0xffffffffULL;
}

uint64_t insn_ldst_store_value(const struct insn_ldst *l, uint64_t reg)
{
	return l->size < 8 ? reg & ((1ULL << (8 * l->size)) - 1) : reg;
}

const char *insn_ldst_mnemonic(const struct insn_ldst *l)
{
	static const char *const single_names[2][2][4] = {
		{ { "STRB", "STRH", "STR", "STR" }, { "STRB", "STRH", "STR", "STR" } },
		{ { "LDRB", "LDRH", "LDR", "LDR" }, { "LDRSB", "LDRSH", "LDRSW", "LDR" } },
	};
	unsigned lg = l->size == 8 ? 3 : l->size == 4 ? 2 : l->size == 2 ? 1 : 0;

	if (l->pair)
		return l->sign_extend ? "LDPSW" : l->load ? "LDP" : "STP";
	return single_names[l->load][l->sign_extend][lg];
}

const char *insn_ldst_mode_name(enum insn_addr_mode m)
{
	return m == INSN_PRE_INDEX ? "pre-index" : m == INSN_POST_INDEX ? "post-index" : "offset";
}
