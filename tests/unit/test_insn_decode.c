/* The decoder of load/store instructions that reach an emulated device
 * without a syndrome (hypervisor/arch/aarch64/insn_decode.c). Encodings
 * assembled with aarch64-linux-gnu-as (-march=armv8.5-a+memtag+pauth),
 * the source line beside each. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "insn_decode.h"

struct want {
	uint32_t insn;
	const char *text;
	bool load, pair, sext, dst64;
	unsigned size, rt, rt2, rn;
	int64_t offset;
	enum insn_addr_mode mode;
};

#define L true
#define S false
static const struct want accepted[] = {
	{ 0xb84044ac, "ldr w12, [x5], #4", L, 0, 0, 0, 4, 12, 0, 5, 4, INSN_POST_INDEX },
	{ 0xb8404c41, "ldr w1, [x2, #4]!", L, 0, 0, 0, 4, 1, 0, 2, 4, INSN_PRE_INDEX },
	{ 0xf85f0fe3, "ldr x3, [sp, #-16]!", L, 0, 0, 1, 8, 3, 0, 31, -16, INSN_PRE_INDEX },
	{ 0xf84107e3, "ldr x3, [sp], #16", L, 0, 0, 1, 8, 3, 0, 31, 16, INSN_POST_INDEX },
	{ 0x38401441, "ldrb w1, [x2], #1", L, 0, 0, 0, 1, 1, 0, 2, 1, INSN_POST_INDEX },
	{ 0x785fec41, "ldrh w1, [x2, #-2]!", L, 0, 0, 0, 2, 1, 0, 2, -2, INSN_PRE_INDEX },
	{ 0x38c01441, "ldrsb w1, [x2], #1", L, 0, 1, 0, 1, 1, 0, 2, 1, INSN_POST_INDEX },
	{ 0x38801441, "ldrsb x1, [x2], #1", L, 0, 1, 1, 1, 1, 0, 2, 1, INSN_POST_INDEX },
	{ 0x78c02441, "ldrsh w1, [x2], #2", L, 0, 1, 0, 2, 1, 0, 2, 2, INSN_POST_INDEX },
	{ 0x78802c41, "ldrsh x1, [x2, #2]!", L, 0, 1, 1, 2, 1, 0, 2, 2, INSN_PRE_INDEX },
	{ 0xb8804441, "ldrsw x1, [x2], #4", L, 0, 1, 1, 4, 1, 0, 2, 4, INSN_POST_INDEX },
	{ 0xb8004441, "str w1, [x2], #4", S, 0, 0, 0, 4, 1, 0, 2, 4, INSN_POST_INDEX },
	{ 0xb800445f, "str wzr, [x2], #4", S, 0, 0, 0, 4, 31, 0, 2, 4, INSN_POST_INDEX },
	{ 0xf8008c5f, "str xzr, [x2, #8]!", S, 0, 0, 0, 8, 31, 0, 2, 8, INSN_PRE_INDEX },
	{ 0x38100c41, "strb w1, [x2, #-256]!", S, 0, 0, 0, 1, 1, 0, 2, -256, INSN_PRE_INDEX },
	{ 0x780ff441, "strh w1, [x2], #255", S, 0, 0, 0, 2, 1, 0, 2, 255, INSN_POST_INDEX },
	{ 0x29400861, "ldp w1, w2, [x3]", L, 1, 0, 0, 4, 1, 2, 3, 0, INSN_OFFSET },
	{ 0x29c10861, "ldp w1, w2, [x3, #8]!", L, 1, 0, 0, 4, 1, 2, 3, 8, INSN_PRE_INDEX },
	{ 0xa8c10861, "ldp x1, x2, [x3], #16", L, 1, 0, 1, 8, 1, 2, 3, 16, INSN_POST_INDEX },
	{ 0xa9600861, "ldp x1, x2, [x3, #-512]", L, 1, 0, 1, 8, 1, 2, 3, -512, INSN_OFFSET },
	{ 0x68c10861, "ldpsw x1, x2, [x3], #8", L, 1, 1, 1, 4, 1, 2, 3, 8, INSN_POST_INDEX },
	{ 0x29bf0861, "stp w1, w2, [x3, #-8]!", S, 1, 0, 0, 4, 1, 2, 3, -8, INSN_PRE_INDEX },
	{ 0xa88107ff, "stp xzr, x1, [sp], #16", S, 1, 0, 1, 8, 31, 1, 31, 16, INSN_POST_INDEX },
	{ 0x28408861, "ldnp w1, w2, [x3, #4]", L, 1, 0, 0, 4, 1, 2, 3, 4, INSN_OFFSET },
	{ 0xa8000861, "stnp x1, x2, [x3]", S, 1, 0, 1, 8, 1, 2, 3, 0, INSN_OFFSET },
	{ 0xb9400441, "ldr w1, [x2, #4]", L, 0, 0, 0, 4, 1, 0, 2, 4, INSN_OFFSET },
	{ 0xb85fd041, "ldur w1, [x2, #-3]", L, 0, 0, 0, 4, 1, 0, 2, -3, INSN_OFFSET },
	{ 0xb8404841, "ldtr w1, [x2, #4]", L, 0, 0, 0, 4, 1, 0, 2, 4, INSN_OFFSET },
	{ 0xb8004421, "str w1, [x1], #4", S, 0, 0, 0, 4, 1, 0, 1, 4, INSN_POST_INDEX },
};

static void decodes_emulated_forms(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++) {
		const struct want *w = &accepted[i];
		struct insn_ldst l;
		const char *why = insn_decode_ldst(w->insn, &l);

		if (why)
			fail_msg("%s: refused: %s", w->text, why);
		if (l.load != w->load || l.pair != w->pair || l.sign_extend != w->sext ||
		    l.size != w->size || l.rt != w->rt || l.rn != w->rn || l.offset != w->offset ||
		    l.mode != w->mode || (w->pair && l.rt2 != w->rt2) ||
		    (w->load && l.dst64 != w->dst64))
			fail_msg("%s: decoded load %d pair %d sext %d dst64 %d size %u rt %u rt2 %u"
				 " rn %u offset %lld mode %d", w->text, l.load, l.pair,
				 l.sign_extend, l.dst64, l.size, l.rt, l.rt2, l.rn,
				 (long long)l.offset, l.mode);
	}
}

static const struct {
	uint32_t insn;
	const char *text, *why;
} refused[] = {
	{ 0xbd400460, "ldr s0, [x3, #4]", "SIMD&FP" },
	{ 0x3cc10460, "ldr q0, [x3], #16", "SIMD&FP" },
	{ 0x2d400460, "ldp s0, s1, [x3]", "SIMD&FP" },
	{ 0x4c407860, "ld1 {v0.4s}, [x3]", "SIMD&FP" },
	{ 0x885f7c61, "ldxr w1, [x3]", "exclusive" },
	{ 0x88047c61, "stxr w4, w1, [x3]", "exclusive" },
	{ 0x88dffc61, "ldar w1, [x3]", "ordered" },
	{ 0x88a17c62, "cas w1, w2, [x3]", "compare-and-swap" },
	{ 0xb8210062, "ldadd w1, w2, [x3]", "atomic" },
	{ 0xb8218062, "swp w1, w2, [x3]", "atomic" },
	{ 0xb8646841, "ldr w1, [x2, x4]", "register-offset" },
	{ 0xf8200441, "ldraa x1, [x2]", "pointer-authenticated" },
	{ 0xf9800040, "prfm pldl1keep, [x2]", "prefetch" },
	{ 0x18000041, "ldr w1, <literal>", "literal" },
	{ 0x69000861, "stgp x1, x2, [x3]", "STGP" },
	{ 0xb8404421, "ldr w1, [x1], #4", "UNPREDICTABLE" },
	{ 0x29400461, "ldp w1, w1, [x3]", "UNPREDICTABLE" },
	{ 0x28c10821, "ldp w1, w2, [x1], #8", "UNPREDICTABLE" },
	{ 0xd503201f, "nop", "not a load or store" },
	{ 0x00000000, "udf #0", "not a load or store" },
	{ 0xf8c00441, "size 3 opc 3 post-index (unallocated)", "unallocated" },
	{ 0xe9400861, "pair opc 3 (unallocated)", "unallocated" },
};

static void refuses_other_forms(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct insn_ldst l;
		const char *why = insn_decode_ldst(refused[i].insn, &l);

		if (!why)
			fail_msg("%s: accepted", refused[i].text);
		if (!strstr(why, refused[i].why))
			fail_msg("%s: reason '%s' does not say '%s'", refused[i].text, why,
				 refused[i].why);
	}
}

static struct insn_ldst decode(uint32_t insn)
{
	struct insn_ldst l;
	assert_null(insn_decode_ldst(insn, &l));
	return l;
}

static void addresses_and_writeback(void **state)
{
	struct insn_ldst post = decode(0xb84044ac);          /* ldr w12, [x5], #4 */
	struct insn_ldst pre = decode(0xf85f0fe3);           /* ldr x3, [sp, #-16]! */
	struct insn_ldst off = decode(0xa9600861);           /* ldp x1, x2, [x3, #-512] */
	(void)state;
	assert_int_equal(insn_ldst_address(&post, 0x8000004), 0x8000004);
	assert_int_equal(insn_ldst_writeback(&post, 0x8000004), 0x8000008);
	assert_int_equal(insn_ldst_address(&pre, 0x1000), 0xff0);
	assert_int_equal(insn_ldst_writeback(&pre, 0x1000), 0xff0);
	assert_int_equal(insn_ldst_address(&off, 0x1000), 0xe00);
	assert_int_equal(insn_ldst_writeback(&off, 0x1000), 0x1000);
}

static void load_and_store_values(void **state)
{
	struct insn_ldst ldrsb_w = decode(0x38c01441), ldrsb_x = decode(0x38801441);
	struct insn_ldst ldrsh_x = decode(0x78802c41), ldrsw = decode(0xb8804441);
	struct insn_ldst ldrb = decode(0x38401441), ldr_w = decode(0xb84044ac);
	struct insn_ldst ldpsw = decode(0x68c10861), ldp_x = decode(0xa8c10861);
	struct insn_ldst strb = decode(0x38100c41), strh = decode(0x780ff441);
	struct insn_ldst str_w = decode(0xb8004441), stp_x = decode(0xa88107ff);
	(void)state;
	assert_int_equal(insn_ldst_load_value(&ldrsb_w, 0xf8), 0xfffffff8);
	assert_int_equal(insn_ldst_load_value(&ldrsb_x, 0xf8), 0xfffffffffffffff8ULL);
	assert_int_equal(insn_ldst_load_value(&ldrsb_x, 0x78), 0x78);
	assert_int_equal(insn_ldst_load_value(&ldrsh_x, 0x8001), 0xffffffffffff8001ULL);
	assert_int_equal(insn_ldst_load_value(&ldrsw, 0x80000000), 0xffffffff80000000ULL);
	assert_int_equal(insn_ldst_load_value(&ldpsw, 0xfffffffe), 0xfffffffffffffffeULL);
	assert_int_equal(insn_ldst_load_value(&ldrb, 0xf8), 0xf8);
	assert_int_equal(insn_ldst_load_value(&ldr_w, 0x89abcdef), 0x89abcdef);
	assert_int_equal(insn_ldst_load_value(&ldp_x, 0x8000000000000001ULL),
			 0x8000000000000001ULL);
	assert_int_equal(insn_ldst_store_value(&strb, 0x1234), 0x34);
	assert_int_equal(insn_ldst_store_value(&strh, 0x12345678), 0x5678);
	assert_int_equal(insn_ldst_store_value(&str_w, 0xffffffff12345678ULL), 0x12345678);
	assert_int_equal(insn_ldst_store_value(&stp_x, 0xffffffff12345678ULL),
			 0xffffffff12345678ULL);
	assert_string_equal(insn_ldst_mnemonic(&ldrsb_w), "LDRSB");
	assert_string_equal(insn_ldst_mnemonic(&ldpsw), "LDPSW");
	assert_string_equal(insn_ldst_mnemonic(&stp_x), "STP");
	assert_string_equal(insn_ldst_mnemonic(&strh), "STRH");
	assert_string_equal(insn_ldst_mode_name(ldr_w.mode), "post-index");
}

/* Every 32-bit value decodes without crashing, and what is accepted is
 * self-consistent (a sample of the space, every bit pattern of the
 * load/store group's fixed bits). */
static void any_word_is_safe(void **state)
{
	uint32_t x = 0x12345678;
	(void)state;
	for (unsigned i = 0; i < 2000000; i++) {
		struct insn_ldst l;

		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		if (insn_decode_ldst(x | 0x08000000, &l))
			continue;
		assert_true(l.size == 1 || l.size == 2 || l.size == 4 || l.size == 8);
		assert_true(l.rt < 32 && l.rn < 32 && l.rt2 < 32);
		assert_true(!l.pair || l.size >= 4);
		assert_true(l.load || !l.sign_extend);
		if (l.load && l.pair)
			assert_true(l.rt != l.rt2);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decodes_emulated_forms),
		cmocka_unit_test(refuses_other_forms),
		cmocka_unit_test(addresses_and_writeback),
		cmocka_unit_test(load_and_store_values),
		cmocka_unit_test(any_word_is_safe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
