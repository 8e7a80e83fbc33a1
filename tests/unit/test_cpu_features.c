/* The sanitised ID registers a domain sees (hypervisor/core/cpu_features.c). */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "cpu_features.h"

static uint64_t f(unsigned shift, unsigned v)
{
	return (uint64_t)v << shift;
}

/* Roughly QEMU's max: every feature there is. */
static void max_cpu(uint64_t raw[IDREG_NR])
{
	memset(raw, 0, IDREG_NR * sizeof(raw[0]));
	raw[IDREG_INDEX(1, 0)] = 0x131;                         /* ID_PFR0 (AArch32) */
	raw[ID_AA64PFR0] = f(0, 2) | f(4, 2) | f(8, 1) | f(12, 1) | f(16, 1) | f(20, 1) |
			   f(24, 1) | f(28, 1) | f(32, 1) | f(40, 1) | f(44, 1) | f(48, 1) |
			   f(56, 1) | f(60, 1);
	raw[ID_AA64PFR1] = f(0, 1) | f(4, 2) | f(8, 3) | f(12, 1) | f(24, 1) | f(32, 1);
	raw[ID_AA64ZFR0] = f(0, 1) | f(4, 2) | f(20, 1);
	raw[ID_AA64SMFR0] = ~0ULL;
	raw[ID_AA64DFR0] = f(0, 9) | f(4, 1) | f(8, 7) | f(12, 5) | f(20, 3) | f(28, 1) |
			   f(32, 3) | f(40, 1) | f(44, 1) | f(52, 1);
	raw[ID_AA64ISAR0] = f(4, 2) | f(8, 1) | f(24, 1) | f(60, 1);
	raw[ID_AA64ISAR1] = f(4, 0) | f(8, 1) | f(28, 1) | f(60, 1);
	raw[ID_AA64MMFR0] = f(0, 5) | f(28, 0) | f(40, 2) | f(56, 1) | f(60, 2);
	raw[ID_AA64MMFR1] = f(0, 2) | f(8, 2) | f(16, 1) | f(20, 3);
	raw[IDREG_INDEX(4, 3)] = 0x1234;                         /* unallocated */
}

static void sanitise_hides_what_lull_does_not_virtualise(void **state)
{
	uint64_t raw[IDREG_NR];
	struct cpu_view v;
	(void)state;
	max_cpu(raw);
	cpu_view_from_cpu(&v, raw, 16);
	assert_int_equal(v.id[IDREG_INDEX(1, 0)], 0);           /* AArch32 */
	assert_int_equal(v.id[IDREG_INDEX(4, 3)], 0);           /* unallocated */
	assert_int_equal(v.id[ID_AA64SMFR0], 0);                /* SME */
	assert_int_equal(idfield(v.id[ID_AA64PFR0], 0), 1);     /* EL0 AArch64 only */
	assert_int_equal(idfield(v.id[ID_AA64PFR0], 8), 0);     /* no EL2 */
	assert_int_equal(idfield(v.id[ID_AA64PFR0], 28), 0);    /* RAS */
	assert_int_equal(idfield(v.id[ID_AA64PFR0], 40), 0);    /* MPAM */
	assert_int_equal(idfield(v.id[ID_AA64PFR0], 44), 0);    /* AMU */
	assert_int_equal(idfield(v.id[ID_AA64PFR0], 32), 1);    /* SVE kept */
	assert_int_equal(idfield(v.id[ID_AA64PFR1], 8), 0);     /* MTE */
	assert_int_equal(idfield(v.id[ID_AA64PFR1], 24), 0);    /* SME */
	assert_int_equal(idfield(v.id[ID_AA64PFR1], 4), 2);     /* SSBS kept */
	assert_int_equal(idfield(v.id[ID_AA64DFR0], 0), 9);     /* debug kept */
	assert_int_equal(idfield(v.id[ID_AA64DFR0], 8), 0);     /* PMU */
	assert_int_equal(idfield(v.id[ID_AA64DFR0], 4), 0);     /* trace */
	assert_int_equal(idfield(v.id[ID_AA64DFR0], 32), 0);    /* SPE */
	assert_int_equal(idfield(v.id[ID_AA64DFR0], 52), 0);    /* BRBE */
	assert_int_equal(idfield(v.id[ID_AA64ISAR0], 24), 0);   /* TME */
	assert_int_equal(idfield(v.id[ID_AA64ISAR1], 60), 0);   /* LS64 */
	assert_int_equal(idfield(v.id[ID_AA64MMFR0], 0), 2);    /* PARange capped at 40 bits */
	assert_int_equal(idfield(v.id[ID_AA64MMFR0], 40), 0);   /* TGran4_2 */
	assert_int_equal(idfield(v.id[ID_AA64MMFR0], 60), 1);   /* ECV at most 1 */
	assert_int_equal(idfield(v.id[ID_AA64MMFR1], 8), 0);    /* VH */
	assert_int_equal(idfield(v.id[ID_AA64MMFR1], 16), 0);   /* LORegions */
	assert_int_equal(idfield(v.id[ID_AA64MMFR1], 20), 3);   /* PAN kept */
	assert_int_equal(v.sve_vq, 16);
	assert_true(v.pauth);
}

static void no_sve_field_means_no_vector_length(void **state)
{
	uint64_t raw[IDREG_NR];
	struct cpu_view v;
	(void)state;
	max_cpu(raw);
	raw[ID_AA64PFR0] &= ~f(32, 0xf);
	cpu_view_from_cpu(&v, raw, 4);
	assert_int_equal(v.sve_vq, 0);
	assert_int_equal(v.id[ID_AA64ZFR0], 0);
}

static void intersect_takes_the_lower_and_signed_fields_as_signed(void **state)
{
	uint64_t a[IDREG_NR], b[IDREG_NR];
	struct cpu_view va, vb;
	(void)state;
	max_cpu(a);
	max_cpu(b);
	b[ID_AA64PFR0] = (b[ID_AA64PFR0] & ~f(16, 0xf)) | f(16, 0xf);   /* no FP */
	b[ID_AA64ISAR0] &= ~f(4, 0xf);                                 /* no AES */
	b[ID_AA64ISAR1] &= ~f(8, 0xf);                                 /* no PAuth */
	cpu_view_from_cpu(&va, a, 16);
	cpu_view_from_cpu(&vb, b, 2);
	cpu_view_intersect(&va, &vb);
	assert_int_equal(idfield(va.id[ID_AA64PFR0], 16), 0xf);
	assert_int_equal(idfield(va.id[ID_AA64ISAR0], 4), 0);
	assert_int_equal(idfield(va.id[ID_AA64ISAR0], 8), 1);
	assert_int_equal(va.sve_vq, 2);
	assert_false(va.pauth);
}

static void hide_clears_features_and_caps_the_vector_length(void **state)
{
	uint64_t raw[IDREG_NR];
	struct cpu_view v;
	(void)state;
	max_cpu(raw);
	cpu_view_from_cpu(&v, raw, 16);
	cpu_view_hide(&v, 0, 4);
	assert_int_equal(v.sve_vq, 4);
	cpu_view_hide(&v, 1ULL << cpu_feature_bit("pauth") | 1ULL << cpu_feature_bit("aes"), 16);
	assert_false(v.pauth);
	assert_int_equal(idfield(v.id[ID_AA64ISAR1], 8), 0);
	assert_int_equal(idfield(v.id[ID_AA64ISAR1], 28), 0);
	assert_int_equal(idfield(v.id[ID_AA64ISAR0], 4), 0);
	assert_int_equal(v.sve_vq, 4);
	cpu_view_hide(&v, 1ULL << cpu_feature_bit("sve"), 16);
	assert_int_equal(v.sve_vq, 0);
	assert_int_equal(idfield(v.id[ID_AA64PFR0], 32), 0);
	assert_int_equal(v.id[ID_AA64ZFR0], 0);
	/* fp16 on a CPU without FP: it stays "absent" (0xf), not 0. */
	raw[ID_AA64PFR0] |= f(16, 0xf);
	cpu_view_from_cpu(&v, raw, 0);
	cpu_view_hide(&v, 1ULL << cpu_feature_bit("fp16"), 0);
	assert_int_equal(idfield(v.id[ID_AA64PFR0], 16), 0xf);
}

static void supported_by_names_the_shortfall(void **state)
{
	uint64_t raw[IDREG_NR];
	struct cpu_view need, cpu;
	char why[96];
	(void)state;
	max_cpu(raw);
	cpu_view_from_cpu(&need, raw, 8);
	cpu_view_from_cpu(&cpu, raw, 16);
	assert_true(cpu_view_supported_by(&need, &cpu, why, sizeof(why)));
	cpu_view_from_cpu(&cpu, raw, 4);
	assert_false(cpu_view_supported_by(&need, &cpu, why, sizeof(why)));
	assert_non_null(strstr(why, "SVE vector length 512 bits < 1024"));
	raw[ID_AA64ISAR0] &= ~f(4, 0xf);
	cpu_view_from_cpu(&cpu, raw, 16);
	assert_false(cpu_view_supported_by(&need, &cpu, why, sizeof(why)));
	assert_non_null(strstr(why, "6.0 field [7:4] is 0, domains need 2"));
}

static void feature_names(void **state)
{
	(void)state;
	assert_int_equal(cpu_feature_bit("sve"), 0);
	assert_true(cpu_feature_bit("pauth") > 0);
	assert_int_equal(cpu_feature_bit("warp-drive"), -1);
	for (unsigned b = 0; cpu_feature_name(b); b++) {
		assert_true(b < 64);
		assert_int_equal(cpu_feature_bit(cpu_feature_name(b)), (int)b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sanitise_hides_what_lull_does_not_virtualise),
		cmocka_unit_test(no_sve_field_means_no_vector_length),
		cmocka_unit_test(intersect_takes_the_lower_and_signed_fields_as_signed),
		cmocka_unit_test(hide_clears_features_and_caps_the_vector_length),
		cmocka_unit_test(supported_by_names_the_shortfall),
		cmocka_unit_test(feature_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
