#include <lull/format.h>
#include "cpu_caps.h"

static const unsigned pa_range_bits[] = { 32, 36, 40, 42, 44, 48, 52 };

void cpu_caps_decode(uint64_t mmfr0, uint64_t mmfr1, uint64_t pfr0, struct cpu_caps *out)
{
	unsigned parange = mmfr0 & 0xf;
	unsigned tgran4 = (mmfr0 >> 28) & 0xf, tgran4_2 = (mmfr0 >> 40) & 0xf;

	out->pa_bits = parange < 7 ? pa_range_bits[parange] : 32;
	out->gran4 = tgran4 == 0 || tgran4 == 1;   /* 0xf = not supported */
	/* TGran4_2: 0 = as stage 1, 1 = no, 2 = yes, 3 = yes with 52-bit. */
	out->gran4_s2 = tgran4_2 == 0 ? out->gran4 : tgran4_2 >= 2;
	out->vmid_bits = ((mmfr1 >> 4) & 0xf) == 2 ? 16 : 8;
	out->gicv3_sysregs = ((pfr0 >> 24) & 0xf) != 0;
}

void cpu_caps_intersect(struct cpu_caps *chosen, const struct cpu_caps *cpu)
{
	if (cpu->pa_bits < chosen->pa_bits)
		chosen->pa_bits = cpu->pa_bits;
	chosen->gran4 &= cpu->gran4;
	chosen->gran4_s2 &= cpu->gran4_s2;
	if (cpu->vmid_bits < chosen->vmid_bits)
		chosen->vmid_bits = cpu->vmid_bits;
	chosen->gicv3_sysregs &= cpu->gicv3_sysregs;
}

bool cpu_caps_support(const struct cpu_caps *chosen, const struct cpu_caps *cpu,
		      char *why, size_t why_len)
{
	if (cpu->pa_bits < chosen->pa_bits) {
		snprintf(why, why_len, "PA range %u bits < chosen %u", cpu->pa_bits, chosen->pa_bits);
		return false;
	}
	if (chosen->gran4 && !cpu->gran4) {
		snprintf(why, why_len, "no 4 KiB stage-1 granule");
		return false;
	}
	if (chosen->gran4_s2 && !cpu->gran4_s2) {
		snprintf(why, why_len, "no 4 KiB stage-2 granule");
		return false;
	}
	if (cpu->vmid_bits < chosen->vmid_bits) {
		snprintf(why, why_len, "VMID %u bits < chosen %u", cpu->vmid_bits, chosen->vmid_bits);
		return false;
	}
	if (chosen->gicv3_sysregs && !cpu->gicv3_sysregs) {
		snprintf(why, why_len, "no GICv3 system-register interface");
		return false;
	}
	return true;
}

unsigned cpu_caps_pa_range_field(unsigned pa_bits)
{
	for (unsigned i = 0; i < sizeof(pa_range_bits) / sizeof(pa_range_bits[0]); i++)
		if (pa_range_bits[i] == pa_bits)
			return i;
	return 0;
}
