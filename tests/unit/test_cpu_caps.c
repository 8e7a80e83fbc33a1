/* The check that decides whether a returning CPU may be trusted. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "cpu_caps.h"

/* ID_AA64MMFR0_EL1 with PARange = pa, TGran4 = t4, TGran4_2 = t4_2. */
static uint64_t mmfr0(unsigned pa, unsigned t4, unsigned t4_2)
{
	return (uint64_t)pa | ((uint64_t)t4 << 28) | ((uint64_t)t4_2 << 40);
}

static void decode_pa_ranges(void **state)
{
	static const unsigned bits[] = { 32, 36, 40, 42, 44, 48, 52 };
	struct cpu_caps c;
	(void)state;
	for (unsigned i = 0; i < 7; i++) {
		cpu_caps_decode(mmfr0(i, 0, 2), 0, 0, &c);
		assert_int_equal(c.pa_bits, bits[i]);
		assert_int_equal(cpu_caps_pa_range_field(bits[i]), i);
	}
	cpu_caps_decode(mmfr0(9, 0, 2), 0, 0, &c);   /* reserved encoding */
	assert_int_equal(c.pa_bits, 32);
}

static void decode_granules_vmid_gic(void **state)
{
	struct cpu_caps c;
	(void)state;
	cpu_caps_decode(mmfr0(5, 0xf, 0), 0, 0, &c);
	assert_false(c.gran4);
	assert_false(c.gran4_s2);                 /* TGran4_2 = 0: as stage 1 */
	cpu_caps_decode(mmfr0(5, 0, 1), 0x20, 1 << 24, &c);
	assert_true(c.gran4);
	assert_false(c.gran4_s2);
	assert_int_equal(c.vmid_bits, 16);
	assert_true(c.gicv3_sysregs);
	cpu_caps_decode(mmfr0(5, 1, 3), 0, 0, &c);
	assert_true(c.gran4);
	assert_true(c.gran4_s2);
	assert_int_equal(c.vmid_bits, 8);
	assert_false(c.gicv3_sysregs);
}

static struct cpu_caps full(void)
{
	struct cpu_caps c = { 48, true, true, 16, true };
	return c;
}

static void support_accepts_equal_or_better(void **state)
{
	struct cpu_caps chosen = full(), cpu = full();
	char why[64] = "";
	(void)state;
	assert_true(cpu_caps_support(&chosen, &cpu, why, sizeof(why)));
	chosen.pa_bits = 40;
	assert_true(cpu_caps_support(&chosen, &cpu, why, sizeof(why)));
	assert_string_equal(why, "");
}

static void support_rejects_each_shortfall(void **state)
{
	struct cpu_caps chosen = full(), cpu;
	char why[64];
	(void)state;

	cpu = full(); cpu.pa_bits = 40;
	assert_false(cpu_caps_support(&chosen, &cpu, why, sizeof(why)));
	assert_string_equal(why, "PA range 40 bits < chosen 48");
	cpu = full(); cpu.gran4 = false;
	assert_false(cpu_caps_support(&chosen, &cpu, why, sizeof(why)));
	assert_non_null(strstr(why, "stage-1"));
	cpu = full(); cpu.gran4_s2 = false;
	assert_false(cpu_caps_support(&chosen, &cpu, why, sizeof(why)));
	assert_non_null(strstr(why, "stage-2"));
	cpu = full(); cpu.vmid_bits = 8;
	assert_false(cpu_caps_support(&chosen, &cpu, why, sizeof(why)));
	assert_non_null(strstr(why, "VMID"));
	cpu = full(); cpu.gicv3_sysregs = false;
	assert_false(cpu_caps_support(&chosen, &cpu, why, sizeof(why)));
	assert_non_null(strstr(why, "GICv3"));
}

static void support_ignores_features_not_chosen(void **state)
{
	struct cpu_caps chosen = full(), cpu = full();
	char why[64];
	(void)state;
	chosen.gicv3_sysregs = false;   /* a GICv2 system */
	cpu.gicv3_sysregs = false;
	assert_true(cpu_caps_support(&chosen, &cpu, why, sizeof(why)));
}

static void intersect_narrows(void **state)
{
	struct cpu_caps chosen = full(), cpu = { 40, true, false, 8, false };
	(void)state;
	cpu_caps_intersect(&chosen, &cpu);
	assert_int_equal(chosen.pa_bits, 40);
	assert_true(chosen.gran4);
	assert_false(chosen.gran4_s2);
	assert_int_equal(chosen.vmid_bits, 8);
	assert_false(chosen.gicv3_sysregs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decode_pa_ranges),
		cmocka_unit_test(decode_granules_vmid_gic),
		cmocka_unit_test(support_accepts_equal_or_better),
		cmocka_unit_test(support_rejects_each_shortfall),
		cmocka_unit_test(support_ignores_features_not_chosen),
		cmocka_unit_test(intersect_narrows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
