/* Host unit tests for lib/psci_lib.c: PSCI argument decoding, affinity
 * matching (DEN0022 PSCI 1.1, 5.1.5), AFFINITY_INFO aggregation, CPU_ON
 * admission and the name helpers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <lull/psci.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Compose an MPIDR / target_affinity value. */
#define MPIDR(a3, a2, a1, a0) \
	(((uint64_t)(a3) << 32) | ((uint64_t)(a2) << 16) | \
	 ((uint64_t)(a1) << 8) | (uint64_t)(a0))

/* ------------------------------------------------------------------ */
/* Constants sanity (guards against accidental edits of psci.h)        */

static void test_function_ids(void **state)
{
	(void)state;
	assert_int_equal(PSCI_VERSION, 0x84000000U);
	assert_int_equal(PSCI_CPU_SUSPEND, 0x84000001U);
	assert_int_equal(PSCI_CPU_SUSPEND64, 0xc4000001U);
	assert_int_equal(PSCI_CPU_OFF, 0x84000002U);
	assert_int_equal(PSCI_CPU_ON, 0x84000003U);
	assert_int_equal(PSCI_CPU_ON64, 0xc4000003U);
	assert_int_equal(PSCI_AFFINITY_INFO, 0x84000004U);
	assert_int_equal(PSCI_AFFINITY_INFO64, 0xc4000004U);
	assert_int_equal(PSCI_SYSTEM_OFF, 0x84000008U);
	assert_int_equal(PSCI_SYSTEM_RESET, 0x84000009U);
	assert_int_equal(PSCI_FEATURES, 0x8400000aU);
	assert_int_equal(PSCI_SYSTEM_SUSPEND64, 0xc400000eU);
	assert_int_equal(PSCI_SYSTEM_RESET2, 0x84000012U);
	assert_int_equal(PSCI_PS_RESERVED_MASK, 0xb0000000U);
	assert_int_equal(PSCI_PS_TYPE_POWERDOWN, 0x40000000U);
	assert_int_equal(PSCI_PS_STATEID_MASK, 0x0fffffffU);
	/* The three fields partition the 32-bit power_state. */
	assert_int_equal(PSCI_PS_RESERVED_MASK | PSCI_PS_TYPE_POWERDOWN |
			 PSCI_PS_STATEID_MASK, 0xffffffffU);
	assert_int_equal(PSCI_PS_RESERVED_MASK & PSCI_PS_TYPE_POWERDOWN, 0);
	assert_int_equal(PSCI_PS_RESERVED_MASK & PSCI_PS_STATEID_MASK, 0);
	assert_int_equal(PSCI_PS_TYPE_POWERDOWN & PSCI_PS_STATEID_MASK, 0);
}

/* ------------------------------------------------------------------ */
/* psci_is_smc64 / psci_arg                                             */

static void test_is_smc64(void **state)
{
	static const uint32_t smc32[] = {
		PSCI_VERSION, PSCI_CPU_SUSPEND, PSCI_CPU_OFF, PSCI_CPU_ON,
		PSCI_AFFINITY_INFO, PSCI_MIGRATE, PSCI_SYSTEM_OFF,
		PSCI_SYSTEM_RESET, PSCI_FEATURES, PSCI_SYSTEM_SUSPEND,
		PSCI_SYSTEM_RESET2, SMCCC_VERSION, SMCCC_ARCH_FEATURES,
		0x00000000U, 0xbfffffffU,
	};
	static const uint32_t smc64[] = {
		PSCI_CPU_SUSPEND64, PSCI_CPU_ON64, PSCI_AFFINITY_INFO64,
		PSCI_MIGRATE64, PSCI_MIGRATE_INFO_UP_CPU64,
		PSCI_SYSTEM_SUSPEND64, PSCI_SYSTEM_RESET2_64,
		0x40000000U, 0xffffffffU,
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(smc32); i++)
		assert_false(psci_is_smc64(smc32[i]));
	for (size_t i = 0; i < ARRAY_SIZE(smc64); i++)
		assert_true(psci_is_smc64(smc64[i]));
}

static void test_strip_sve_hint(void **state)
{
	(void)state;
	/* Fast calls, SMC32 and SMC64: bit 16 goes, nothing else. */
	assert_int_equal(smccc_strip_sve_hint(PSCI_VERSION | SMCCC_SVE_HINT), PSCI_VERSION);
	assert_int_equal(smccc_strip_sve_hint(PSCI_CPU_ON64 | SMCCC_SVE_HINT), PSCI_CPU_ON64);
	assert_int_equal(smccc_strip_sve_hint(SMCCC_VERSION | SMCCC_SVE_HINT), SMCCC_VERSION);
	assert_int_equal(smccc_strip_sve_hint(PSCI_FEATURES), PSCI_FEATURES);
	assert_int_equal(smccc_strip_sve_hint(0xffffffffU), 0xfffeffffU);
	/* Bits 23:17 stay: they must be zero, so such an ID stays unknown. */
	assert_int_equal(smccc_strip_sve_hint(PSCI_VERSION | 0x00020000U),
			 PSCI_VERSION | 0x00020000U);
	/* Yielding calls (bit 31 clear) have no hint bit. */
	assert_int_equal(smccc_strip_sve_hint(0x04010000U), 0x04010000U);
	assert_int_equal(smccc_strip_sve_hint(0x00010000U), 0x00010000U);
}

static void test_arg_smc32_masks_upper_half(void **state)
{
	(void)state;
	assert_int_equal(psci_arg(PSCI_CPU_ON, 0xdeadbeef12345678ULL), 0x12345678ULL);
	assert_int_equal(psci_arg(PSCI_CPU_ON, 0xffffffff00000000ULL), 0);
	assert_int_equal(psci_arg(PSCI_CPU_ON, 0x00000000ffffffffULL), 0xffffffffULL);
	assert_int_equal(psci_arg(PSCI_AFFINITY_INFO, 0x100000003ULL), 3);
	assert_int_equal(psci_arg(PSCI_CPU_SUSPEND, 0xffffffff40000002ULL),
			 PSCI_STATE_CORE_POWERDOWN);
	assert_int_equal(psci_arg(SMCCC_ARCH_FEATURES, 0x8000000080000000ULL),
			 0x80000000ULL);
	assert_int_equal(psci_arg(PSCI_VERSION, 0), 0);
	assert_int_equal(psci_arg(PSCI_VERSION, UINT64_MAX), 0xffffffffULL);
}

static void test_arg_smc64_passthrough(void **state)
{
	(void)state;
	assert_true(psci_arg(PSCI_CPU_ON64, 0xdeadbeef12345678ULL) ==
		    0xdeadbeef12345678ULL);
	assert_true(psci_arg(PSCI_AFFINITY_INFO64, 0x100000003ULL) == 0x100000003ULL);
	assert_true(psci_arg(PSCI_CPU_SUSPEND64, UINT64_MAX) == UINT64_MAX);
	assert_true(psci_arg(PSCI_SYSTEM_RESET2_64, 0x8000000000000000ULL) ==
		    0x8000000000000000ULL);
	assert_true(psci_arg(PSCI_CPU_ON64, 0) == 0);
}

/* ------------------------------------------------------------------ */
/* psci_decode_power_state                                              */

static void test_power_state_valid(void **state)
{
	struct psci_power_state ps;
	(void)state;

	ps.type = PSCI_POWERDOWN;
	ps.state_id = 0xdead;
	assert_int_equal(psci_decode_power_state(PSCI_STATE_CORE_STANDBY, &ps),
			 PSCI_SUCCESS);
	assert_int_equal(ps.type, PSCI_STANDBY);
	assert_int_equal(ps.state_id, 1);

	assert_int_equal(psci_decode_power_state(PSCI_STATE_CORE_POWERDOWN, &ps),
			 PSCI_SUCCESS);
	assert_int_equal(ps.type, PSCI_POWERDOWN);
	assert_int_equal(ps.state_id, 2);

	assert_int_equal(psci_decode_power_state(0, &ps), PSCI_SUCCESS);
	assert_int_equal(ps.type, PSCI_STANDBY);
	assert_int_equal(ps.state_id, 0);

	/* StateID is the full bits 27:0. */
	assert_int_equal(psci_decode_power_state(0x0fffffffU, &ps), PSCI_SUCCESS);
	assert_int_equal(ps.type, PSCI_STANDBY);
	assert_int_equal(ps.state_id, 0x0fffffffU);

	assert_int_equal(psci_decode_power_state(0x4fffffffU, &ps), PSCI_SUCCESS);
	assert_int_equal(ps.type, PSCI_POWERDOWN);
	assert_int_equal(ps.state_id, 0x0fffffffU);

	assert_int_equal(psci_decode_power_state(0x40000000U, &ps), PSCI_SUCCESS);
	assert_int_equal(ps.type, PSCI_POWERDOWN);
	assert_int_equal(ps.state_id, 0);

	assert_int_equal(psci_decode_power_state(0x08000000U, &ps), PSCI_SUCCESS);
	assert_int_equal(ps.type, PSCI_STANDBY);
	assert_int_equal(ps.state_id, 0x08000000U);
}

static void test_power_state_reserved_bits(void **state)
{
	/* Bits 31 and 29:28 are reserved: each alone, combined with valid
	 * fields, and all together must be rejected, leaving *out alone. */
	static const uint32_t bad[] = {
		0x80000000U, 0x20000000U, 0x10000000U, 0xb0000000U,
		0x80000001U, 0xc0000002U, 0x20000001U, 0x50000002U,
		0x3fffffffU, 0xffffffffU, 0x90000000U,
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct psci_power_state ps = { PSCI_POWERDOWN, 0x1234 };
		assert_int_equal(psci_decode_power_state(bad[i], &ps),
				 PSCI_INVALID_PARAMETERS);
		assert_int_equal(ps.type, PSCI_POWERDOWN);
		assert_int_equal(ps.state_id, 0x1234);
	}
}

static void test_power_state_each_bit(void **state)
{
	/* Walk every single bit: only bits 31, 29, 28 are rejected, bit 30
	 * selects power-down, the rest land in the StateID. */
	(void)state;
	for (unsigned b = 0; b < 32; b++) {
		uint32_t v = 1U << b;
		struct psci_power_state ps = { PSCI_STANDBY, 0xffffffffU };
		int rc = psci_decode_power_state(v, &ps);
		if (b == 31 || b == 29 || b == 28) {
			assert_int_equal(rc, PSCI_INVALID_PARAMETERS);
		} else if (b == 30) {
			assert_int_equal(rc, PSCI_SUCCESS);
			assert_int_equal(ps.type, PSCI_POWERDOWN);
			assert_int_equal(ps.state_id, 0);
		} else {
			assert_int_equal(rc, PSCI_SUCCESS);
			assert_int_equal(ps.type, PSCI_STANDBY);
			assert_int_equal(ps.state_id, v);
		}
	}
}

/* ------------------------------------------------------------------ */
/* psci_mpidr_invalid                                                   */

static void test_mpidr_invalid(void **state)
{
	(void)state;
	/* Valid: any value in the Aff0..Aff3 fields. */
	assert_false(psci_mpidr_invalid(0));
	assert_false(psci_mpidr_invalid(MPIDR(0, 0, 0, 1)));
	assert_false(psci_mpidr_invalid(MPIDR(0xff, 0xff, 0xff, 0xff)));
	assert_false(psci_mpidr_invalid(0xff00ffffffULL));
	assert_false(psci_mpidr_invalid(MPIDR(1, 0, 0, 0)));
	assert_false(psci_mpidr_invalid(MPIDR(0, 2, 3, 4)));

	/* Every bit individually: 63:40 and 31:24 are reserved. */
	for (unsigned b = 0; b < 64; b++) {
		uint64_t v = 1ULL << b;
		bool reserved = b >= 40 || (b >= 24 && b <= 31);
		assert_int_equal(psci_mpidr_invalid(v), reserved);
		/* Reserved bits poison an otherwise valid value too. */
		assert_int_equal(psci_mpidr_invalid(v | MPIDR(1, 2, 3, 4)), reserved);
	}

	/* Bits a raw MPIDR_EL1 read carries (bit 31 RES1, U, MT) are not
	 * valid in a PSCI target_cpu. */
	assert_true(psci_mpidr_invalid(0x80000000ULL));
	assert_true(psci_mpidr_invalid(0x81000001ULL));
	assert_true(psci_mpidr_invalid(0x40000000ULL));
	assert_true(psci_mpidr_invalid(UINT64_MAX));
	assert_true(psci_mpidr_invalid(0xffffff0000000000ULL));
	assert_true(psci_mpidr_invalid(0x00000000ff000000ULL));
}

/* ------------------------------------------------------------------ */
/* psci_affinity_match                                                  */

static void test_affinity_match_level0(void **state)
{
	(void)state;
	assert_true(psci_affinity_match(MPIDR(0, 0, 0, 0), MPIDR(0, 0, 0, 0), 0));
	assert_true(psci_affinity_match(MPIDR(1, 2, 3, 4), MPIDR(1, 2, 3, 4), 0));
	assert_true(psci_affinity_match(MPIDR(0xff, 0xff, 0xff, 0xff),
					MPIDR(0xff, 0xff, 0xff, 0xff), 0));
	/* Any field differing -> no match. */
	assert_false(psci_affinity_match(MPIDR(1, 2, 3, 4), MPIDR(1, 2, 3, 5), 0));
	assert_false(psci_affinity_match(MPIDR(1, 2, 3, 4), MPIDR(1, 2, 4, 4), 0));
	assert_false(psci_affinity_match(MPIDR(1, 2, 3, 4), MPIDR(1, 3, 3, 4), 0));
	assert_false(psci_affinity_match(MPIDR(1, 2, 3, 4), MPIDR(2, 2, 3, 4), 0));
	assert_false(psci_affinity_match(MPIDR(0, 0, 0, 0), MPIDR(0, 0, 0, 1), 0));
}

static void test_affinity_match_level1(void **state)
{
	(void)state;
	/* Aff0 ignored. */
	assert_true(psci_affinity_match(MPIDR(1, 2, 3, 4), MPIDR(1, 2, 3, 0), 1));
	assert_true(psci_affinity_match(MPIDR(1, 2, 3, 4), MPIDR(1, 2, 3, 0xff), 1));
	assert_true(psci_affinity_match(MPIDR(0, 0, 0, 0), MPIDR(0, 0, 0, 7), 1));
	/* Aff1..Aff3 still compared. */
	assert_false(psci_affinity_match(MPIDR(1, 2, 3, 4), MPIDR(1, 2, 2, 4), 1));
	assert_false(psci_affinity_match(MPIDR(1, 2, 3, 4), MPIDR(1, 0, 3, 4), 1));
	assert_false(psci_affinity_match(MPIDR(1, 2, 3, 4), MPIDR(0, 2, 3, 4), 1));
}

static void test_affinity_match_level2(void **state)
{
	(void)state;
	/* Aff0 and Aff1 ignored. */
	assert_true(psci_affinity_match(MPIDR(1, 2, 3, 4), MPIDR(1, 2, 0, 0), 2));
	assert_true(psci_affinity_match(MPIDR(1, 2, 3, 4), MPIDR(1, 2, 0xff, 0xff), 2));
	assert_true(psci_affinity_match(MPIDR(1, 2, 0, 0), MPIDR(1, 2, 9, 9), 2));
	/* Aff2 and Aff3 still compared. */
	assert_false(psci_affinity_match(MPIDR(1, 2, 3, 4), MPIDR(1, 3, 3, 4), 2));
	assert_false(psci_affinity_match(MPIDR(1, 2, 3, 4), MPIDR(0, 2, 3, 4), 2));
}

static void test_affinity_match_level3(void **state)
{
	(void)state;
	/* Only Aff3 (bits 39:32) compared. */
	assert_true(psci_affinity_match(MPIDR(1, 2, 3, 4), MPIDR(1, 0, 0, 0), 3));
	assert_true(psci_affinity_match(MPIDR(1, 2, 3, 4), MPIDR(1, 0xff, 0xff, 0xff), 3));
	assert_true(psci_affinity_match(MPIDR(0, 2, 3, 4), MPIDR(0, 0, 0, 0), 3));
	assert_true(psci_affinity_match(MPIDR(0xff, 0, 0, 0), MPIDR(0xff, 1, 1, 1), 3));
	assert_false(psci_affinity_match(MPIDR(1, 2, 3, 4), MPIDR(2, 2, 3, 4), 3));
	assert_false(psci_affinity_match(MPIDR(0, 2, 3, 4), MPIDR(1, 2, 3, 4), 3));
	/* Aff3 really is bits 39:32: a difference only in bit 39 or 32
	 * matters, one in bit 40 or above does not. */
	assert_false(psci_affinity_match(0x8000000000ULL, 0, 3));
	assert_false(psci_affinity_match(0x0100000000ULL, 0, 3));
	assert_true(psci_affinity_match(0x10000000000ULL, 0, 3));
}

static void test_affinity_match_ignores_non_affinity_bits(void **state)
{
	(void)state;
	/* A raw MPIDR_EL1 value (bit 31 RES1, U bit 30, MT bit 24, bits
	 * 63:40) must still match its own affinity at every level. */
	uint64_t raw = 0xffffff0000000000ULL | 0x80000000ULL | 0x40000000ULL |
		       0x01000000ULL | MPIDR(1, 2, 3, 4);
	for (unsigned level = 0; level <= 3; level++) {
		assert_true(psci_affinity_match(raw, MPIDR(1, 2, 3, 4), level));
		assert_true(psci_affinity_match(MPIDR(1, 2, 3, 4), raw, level));
	}
	assert_false(psci_affinity_match(raw, MPIDR(1, 2, 3, 5), 0));
}

static void test_affinity_match_exhaustive_fields(void **state)
{
	/* For each field f (0..3) and level L: a difference in field f is
	 * ignored exactly when f < L. */
	static const unsigned shift[4] = { 0, 8, 16, 32 };
	(void)state;
	for (unsigned level = 0; level <= 3; level++) {
		for (unsigned f = 0; f < 4; f++) {
			uint64_t a = MPIDR(0x11, 0x22, 0x33, 0x44);
			uint64_t b = a ^ (0x80ULL << shift[f]);
			assert_int_equal(psci_affinity_match(a, b, level), f < level);
			b = a ^ (0x01ULL << shift[f]);
			assert_int_equal(psci_affinity_match(a, b, level), f < level);
		}
		assert_true(psci_affinity_match(MPIDR(5, 6, 7, 8), MPIDR(5, 6, 7, 8),
						level));
	}
}

/* ------------------------------------------------------------------ */
/* psci_affinity_info                                                   */

/* Two clusters of two cores, plus one core in Aff3 = 1. */
static const uint64_t topo[] = {
	MPIDR(0, 0, 0, 0), MPIDR(0, 0, 0, 1),
	MPIDR(0, 0, 1, 0), MPIDR(0, 0, 1, 1),
	MPIDR(1, 0, 0, 0),
};

static void test_affinity_info_level0(void **state)
{
	enum psci_cpu_state st[] = {
		PSCI_CPU_ON_STATE, PSCI_CPU_OFF_STATE,
		PSCI_CPU_ON_PENDING_STATE, PSCI_CPU_SUSPENDED_STATE,
		PSCI_CPU_OFF_STATE,
	};
	(void)state;
	assert_int_equal(psci_affinity_info(topo, st, 5, MPIDR(0, 0, 0, 0), 0),
			 PSCI_AFF_ON);
	assert_int_equal(psci_affinity_info(topo, st, 5, MPIDR(0, 0, 0, 1), 0),
			 PSCI_AFF_OFF);
	assert_int_equal(psci_affinity_info(topo, st, 5, MPIDR(0, 0, 1, 0), 0),
			 PSCI_AFF_ON_PENDING);
	/* Suspended counts as ON. */
	assert_int_equal(psci_affinity_info(topo, st, 5, MPIDR(0, 0, 1, 1), 0),
			 PSCI_AFF_ON);
	assert_int_equal(psci_affinity_info(topo, st, 5, MPIDR(1, 0, 0, 0), 0),
			 PSCI_AFF_OFF);
	/* No such core. */
	assert_int_equal(psci_affinity_info(topo, st, 5, MPIDR(0, 0, 0, 2), 0),
			 PSCI_INVALID_PARAMETERS);
	assert_int_equal(psci_affinity_info(topo, st, 5, MPIDR(0, 0, 2, 0), 0),
			 PSCI_INVALID_PARAMETERS);
	assert_int_equal(psci_affinity_info(topo, st, 5, MPIDR(2, 0, 0, 0), 0),
			 PSCI_INVALID_PARAMETERS);
	/* Only the first n entries are considered. */
	assert_int_equal(psci_affinity_info(topo, st, 4, MPIDR(1, 0, 0, 0), 0),
			 PSCI_INVALID_PARAMETERS);
}

static void test_affinity_info_aggregation(void **state)
{
	/* Precedence within one cluster (0.0.1.x): ON > ON_PENDING > OFF,
	 * independent of order. */
	static const struct {
		enum psci_cpu_state a, b;
		int expect;
	} cases[] = {
		{ PSCI_CPU_OFF_STATE, PSCI_CPU_OFF_STATE, PSCI_AFF_OFF },
		{ PSCI_CPU_OFF_STATE, PSCI_CPU_ON_PENDING_STATE, PSCI_AFF_ON_PENDING },
		{ PSCI_CPU_ON_PENDING_STATE, PSCI_CPU_OFF_STATE, PSCI_AFF_ON_PENDING },
		{ PSCI_CPU_ON_PENDING_STATE, PSCI_CPU_ON_PENDING_STATE, PSCI_AFF_ON_PENDING },
		{ PSCI_CPU_OFF_STATE, PSCI_CPU_ON_STATE, PSCI_AFF_ON },
		{ PSCI_CPU_ON_STATE, PSCI_CPU_OFF_STATE, PSCI_AFF_ON },
		{ PSCI_CPU_ON_PENDING_STATE, PSCI_CPU_ON_STATE, PSCI_AFF_ON },
		{ PSCI_CPU_ON_STATE, PSCI_CPU_ON_PENDING_STATE, PSCI_AFF_ON },
		{ PSCI_CPU_ON_PENDING_STATE, PSCI_CPU_SUSPENDED_STATE, PSCI_AFF_ON },
		{ PSCI_CPU_SUSPENDED_STATE, PSCI_CPU_ON_PENDING_STATE, PSCI_AFF_ON },
		{ PSCI_CPU_OFF_STATE, PSCI_CPU_SUSPENDED_STATE, PSCI_AFF_ON },
		{ PSCI_CPU_SUSPENDED_STATE, PSCI_CPU_SUSPENDED_STATE, PSCI_AFF_ON },
		{ PSCI_CPU_ON_STATE, PSCI_CPU_ON_STATE, PSCI_AFF_ON },
	};
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		/* Everything outside the cluster is ON, to prove that
		 * non-matching cores do not leak into the result. */
		enum psci_cpu_state st[5] = {
			PSCI_CPU_ON_STATE, PSCI_CPU_ON_STATE,
			cases[i].a, cases[i].b, PSCI_CPU_ON_STATE,
		};
		assert_int_equal(psci_affinity_info(topo, st, 5, MPIDR(0, 0, 1, 0), 1),
				 cases[i].expect);
		/* Aff0 of the target is ignored at level 1. */
		assert_int_equal(psci_affinity_info(topo, st, 5, MPIDR(0, 0, 1, 0xab), 1),
				 cases[i].expect);
	}
}

static void test_affinity_info_higher_levels(void **state)
{
	enum psci_cpu_state st[5] = {
		PSCI_CPU_OFF_STATE, PSCI_CPU_OFF_STATE,
		PSCI_CPU_OFF_STATE, PSCI_CPU_ON_PENDING_STATE,
		PSCI_CPU_ON_STATE,
	};
	(void)state;
	/* Cluster 0.0.0: both off. Cluster 0.0.1: one pending. */
	assert_int_equal(psci_affinity_info(topo, st, 5, MPIDR(0, 0, 0, 0), 1),
			 PSCI_AFF_OFF);
	assert_int_equal(psci_affinity_info(topo, st, 5, MPIDR(0, 0, 1, 0), 1),
			 PSCI_AFF_ON_PENDING);
	/* Level 2 (Aff2 = 0, Aff3 = 0): the 4 cores of Aff3 0 -> pending. */
	assert_int_equal(psci_affinity_info(topo, st, 5, MPIDR(0, 0, 0, 0), 2),
			 PSCI_AFF_ON_PENDING);
	assert_int_equal(psci_affinity_info(topo, st, 5, MPIDR(0, 0, 0xff, 0xff), 2),
			 PSCI_AFF_ON_PENDING);
	/* Level 3: Aff3 = 0 -> pending, Aff3 = 1 -> on, Aff3 = 2 -> none. */
	assert_int_equal(psci_affinity_info(topo, st, 5, MPIDR(0, 0xff, 0xff, 0xff), 3),
			 PSCI_AFF_ON_PENDING);
	assert_int_equal(psci_affinity_info(topo, st, 5, MPIDR(1, 0, 0, 0), 3),
			 PSCI_AFF_ON);
	assert_int_equal(psci_affinity_info(topo, st, 5, MPIDR(1, 0, 0, 0), 2),
			 PSCI_AFF_ON);
	assert_int_equal(psci_affinity_info(topo, st, 5, MPIDR(2, 0, 0, 0), 3),
			 PSCI_INVALID_PARAMETERS);
	/* Level 2 with an Aff2 no core has. */
	assert_int_equal(psci_affinity_info(topo, st, 5, MPIDR(0, 1, 0, 0), 2),
			 PSCI_INVALID_PARAMETERS);
	/* But at level 0 the same Aff2 mismatch is still a mismatch. */
	assert_int_equal(psci_affinity_info(topo, st, 5, MPIDR(0, 0, 1, 2), 1),
			 PSCI_AFF_ON_PENDING);
	assert_int_equal(psci_affinity_info(topo, st, 5, MPIDR(0, 0, 1, 2), 0),
			 PSCI_INVALID_PARAMETERS);
}

static void test_affinity_info_invalid(void **state)
{
	enum psci_cpu_state st[5] = {
		PSCI_CPU_ON_STATE, PSCI_CPU_ON_STATE, PSCI_CPU_ON_STATE,
		PSCI_CPU_ON_STATE, PSCI_CPU_ON_STATE,
	};
	(void)state;
	/* Level above 3. */
	assert_int_equal(psci_affinity_info(topo, st, 5, 0, 4), PSCI_INVALID_PARAMETERS);
	assert_int_equal(psci_affinity_info(topo, st, 5, 0, 0xff),
			 PSCI_INVALID_PARAMETERS);
	/* A 64-bit level that would alias 0..3 if truncated to unsigned. */
	assert_int_equal(psci_affinity_info(topo, st, 5, 0, 0x100000000ULL),
			 PSCI_INVALID_PARAMETERS);
	assert_int_equal(psci_affinity_info(topo, st, 5, 0, 0x100000003ULL),
			 PSCI_INVALID_PARAMETERS);
	assert_int_equal(psci_affinity_info(topo, st, 5, 0, UINT64_MAX),
			 PSCI_INVALID_PARAMETERS);
	/* Reserved bits in target_affinity, even at coarse levels where
	 * the field would otherwise be ignored. */
	assert_int_equal(psci_affinity_info(topo, st, 5, 0x80000000ULL, 0),
			 PSCI_INVALID_PARAMETERS);
	assert_int_equal(psci_affinity_info(topo, st, 5, 0x01000000ULL, 3),
			 PSCI_INVALID_PARAMETERS);
	assert_int_equal(psci_affinity_info(topo, st, 5, 0x10000000000ULL, 3),
			 PSCI_INVALID_PARAMETERS);
	/* Empty core list. */
	assert_int_equal(psci_affinity_info(topo, st, 0, 0, 0), PSCI_INVALID_PARAMETERS);
	assert_int_equal(psci_affinity_info(NULL, NULL, 0, 0, 3), PSCI_INVALID_PARAMETERS);
	/* Sanity: the same arrays give ON with a valid query. */
	assert_int_equal(psci_affinity_info(topo, st, 5, 0, 3), PSCI_AFF_ON);
}

static void test_affinity_info_raw_mpidrs(void **state)
{
	/* Core list taken from raw MPIDR_EL1 reads (bit 31 RES1, MT bit). */
	const uint64_t raw[] = {
		0x80000000ULL | MPIDR(0, 0, 0, 0),
		0x81000000ULL | MPIDR(0, 0, 0, 1),
	};
	enum psci_cpu_state st[] = { PSCI_CPU_OFF_STATE, PSCI_CPU_ON_PENDING_STATE };
	(void)state;
	assert_int_equal(psci_affinity_info(raw, st, 2, MPIDR(0, 0, 0, 0), 0),
			 PSCI_AFF_OFF);
	assert_int_equal(psci_affinity_info(raw, st, 2, MPIDR(0, 0, 0, 1), 0),
			 PSCI_AFF_ON_PENDING);
	assert_int_equal(psci_affinity_info(raw, st, 2, MPIDR(0, 0, 0, 0), 1),
			 PSCI_AFF_ON_PENDING);
}

static void test_affinity_info_all_single_states(void **state)
{
	static const struct {
		enum psci_cpu_state s;
		int expect;
	} map[] = {
		{ PSCI_CPU_OFF_STATE, PSCI_AFF_OFF },
		{ PSCI_CPU_ON_PENDING_STATE, PSCI_AFF_ON_PENDING },
		{ PSCI_CPU_ON_STATE, PSCI_AFF_ON },
		{ PSCI_CPU_SUSPENDED_STATE, PSCI_AFF_ON },
	};
	const uint64_t one[] = { MPIDR(0, 0, 0, 3) };
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		for (uint64_t level = 0; level <= 3; level++)
			assert_int_equal(psci_affinity_info(one, &map[i].s, 1,
							    MPIDR(0, 0, 0, 3), level),
					 map[i].expect);
}

/* ------------------------------------------------------------------ */
/* psci_cpu_on_check                                                    */

static void test_cpu_on_check(void **state)
{
	(void)state;
	assert_int_equal(psci_cpu_on_check(PSCI_CPU_OFF_STATE), PSCI_SUCCESS);
	assert_int_equal(psci_cpu_on_check(PSCI_CPU_ON_PENDING_STATE), PSCI_ON_PENDING);
	assert_int_equal(psci_cpu_on_check(PSCI_CPU_ON_STATE), PSCI_ALREADY_ON);
	assert_int_equal(psci_cpu_on_check(PSCI_CPU_SUSPENDED_STATE), PSCI_ALREADY_ON);
}

/* ------------------------------------------------------------------ */
/* Name helpers                                                         */

static void test_error_name(void **state)
{
	(void)state;
	assert_string_equal(psci_error_name(PSCI_SUCCESS), "SUCCESS");
	assert_string_equal(psci_error_name(PSCI_NOT_SUPPORTED), "NOT_SUPPORTED");
	assert_string_equal(psci_error_name(PSCI_INVALID_PARAMETERS), "INVALID_PARAMETERS");
	assert_string_equal(psci_error_name(PSCI_DENIED), "DENIED");
	assert_string_equal(psci_error_name(PSCI_ALREADY_ON), "ALREADY_ON");
	assert_string_equal(psci_error_name(PSCI_ON_PENDING), "ON_PENDING");
	assert_string_equal(psci_error_name(PSCI_INTERNAL_FAILURE), "INTERNAL_FAILURE");
	assert_string_equal(psci_error_name(PSCI_NOT_PRESENT), "NOT_PRESENT");
	assert_string_equal(psci_error_name(PSCI_DISABLED), "DISABLED");
	assert_string_equal(psci_error_name(PSCI_INVALID_ADDRESS), "INVALID_ADDRESS");
	assert_string_equal(psci_error_name(-10), "?");
	assert_string_equal(psci_error_name(1), "?");
	assert_string_equal(psci_error_name(INT64_MIN), "?");
	assert_string_equal(psci_error_name(INT64_MAX), "?");
	/* A 32-bit -2 seen zero-extended in a 64-bit register is not -2. */
	assert_string_equal(psci_error_name(0xfffffffeLL), "?");
}

static void test_fn_name(void **state)
{
	(void)state;
	assert_string_equal(psci_fn_name(PSCI_VERSION), "PSCI_VERSION");
	assert_string_equal(psci_fn_name(PSCI_CPU_SUSPEND), "CPU_SUSPEND");
	assert_string_equal(psci_fn_name(PSCI_CPU_SUSPEND64), "CPU_SUSPEND");
	assert_string_equal(psci_fn_name(PSCI_CPU_OFF), "CPU_OFF");
	assert_string_equal(psci_fn_name(PSCI_CPU_ON), "CPU_ON");
	assert_string_equal(psci_fn_name(PSCI_CPU_ON64), "CPU_ON");
	assert_string_equal(psci_fn_name(PSCI_AFFINITY_INFO), "AFFINITY_INFO");
	assert_string_equal(psci_fn_name(PSCI_AFFINITY_INFO64), "AFFINITY_INFO");
	assert_string_equal(psci_fn_name(PSCI_MIGRATE), "MIGRATE");
	assert_string_equal(psci_fn_name(PSCI_MIGRATE64), "MIGRATE");
	assert_string_equal(psci_fn_name(PSCI_MIGRATE_INFO_TYPE), "MIGRATE_INFO_TYPE");
	assert_string_equal(psci_fn_name(PSCI_MIGRATE_INFO_UP_CPU), "MIGRATE_INFO_UP_CPU");
	assert_string_equal(psci_fn_name(PSCI_MIGRATE_INFO_UP_CPU64), "MIGRATE_INFO_UP_CPU");
	assert_string_equal(psci_fn_name(PSCI_SYSTEM_OFF), "SYSTEM_OFF");
	assert_string_equal(psci_fn_name(PSCI_SYSTEM_RESET), "SYSTEM_RESET");
	assert_string_equal(psci_fn_name(PSCI_FEATURES), "PSCI_FEATURES");
	assert_string_equal(psci_fn_name(PSCI_SYSTEM_SUSPEND), "SYSTEM_SUSPEND");
	assert_string_equal(psci_fn_name(PSCI_SYSTEM_SUSPEND64), "SYSTEM_SUSPEND");
	assert_string_equal(psci_fn_name(PSCI_SYSTEM_RESET2), "SYSTEM_RESET2");
	assert_string_equal(psci_fn_name(PSCI_SYSTEM_RESET2_64), "SYSTEM_RESET2");
	assert_string_equal(psci_fn_name(SMCCC_VERSION), "SMCCC_VERSION");
	assert_string_equal(psci_fn_name(SMCCC_ARCH_FEATURES), "SMCCC_ARCH_FEATURES");
	assert_string_equal(psci_fn_name(0), "unknown");
	assert_string_equal(psci_fn_name(PSCI_FN32(0xb)), "unknown");
	assert_string_equal(psci_fn_name(PSCI_FN32(0x13)), "unknown");
	assert_string_equal(psci_fn_name(PSCI_FN32(0x1f)), "unknown");
	assert_string_equal(psci_fn_name(0x80000002U), "unknown");
	assert_string_equal(psci_fn_name(0xffffffffU), "unknown");
	assert_string_equal(psci_fn_name(0x04000000U), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_function_ids),
		cmocka_unit_test(test_is_smc64),
		cmocka_unit_test(test_strip_sve_hint),
		cmocka_unit_test(test_arg_smc32_masks_upper_half),
		cmocka_unit_test(test_arg_smc64_passthrough),
		cmocka_unit_test(test_power_state_valid),
		cmocka_unit_test(test_power_state_reserved_bits),
		cmocka_unit_test(test_power_state_each_bit),
		cmocka_unit_test(test_mpidr_invalid),
		cmocka_unit_test(test_affinity_match_level0),
		cmocka_unit_test(test_affinity_match_level1),
		cmocka_unit_test(test_affinity_match_level2),
		cmocka_unit_test(test_affinity_match_level3),
		cmocka_unit_test(test_affinity_match_ignores_non_affinity_bits),
		cmocka_unit_test(test_affinity_match_exhaustive_fields),
		cmocka_unit_test(test_affinity_info_level0),
		cmocka_unit_test(test_affinity_info_aggregation),
		cmocka_unit_test(test_affinity_info_higher_levels),
		cmocka_unit_test(test_affinity_info_invalid),
		cmocka_unit_test(test_affinity_info_raw_mpidrs),
		cmocka_unit_test(test_affinity_info_all_single_states),
		cmocka_unit_test(test_cpu_on_check),
		cmocka_unit_test(test_error_name),
		cmocka_unit_test(test_fn_name),
	};
	return cmocka_run_group_tests_name("psci_lib", tests, NULL, NULL);
}
