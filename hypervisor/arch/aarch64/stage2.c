#include "cpu_caps.h"
#include "domain.h"
#include "hotplug.h"
#include "hyp.h"
#include "page_alloc.h"
#include "vm.h"

/* Stage-2 descriptor attributes (Arm ARM D8.5.5): MemAttr[5:2], S2AP[7:6],
 * SH[9:8], XN[54:53]. */
#define S2_MEMATTR_NORMAL_WB (0xfULL << 2)
#define S2_MEMATTR_DEVICE    (0x1ULL << 2)   /* Device-nGnRE */
#define S2_AP_RW             (3ULL << 6)


uint64_t vm_vtcr(void)
{
	/* VTCR_EL2 (D17.2.170): T0SZ = 25 (39-bit IPA), SL0 = 1 (start at
	 * level 1), inner/outer write-back, inner shareable, 4 KiB granule,
	 * PS = the PA size every CPU supports, RES1 bit 31; VS (16-bit
	 * VMIDs), HA/HD (hardware access flag and dirty state) and the
	 * later feature bits all 0. */
	return (64 - GUEST_IPA_BITS) | (1ULL << 6) | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) |
	       ((uint64_t)cpu_caps_pa_range_field(hotplug_pa_bits()) << 16) | BIT(31);
}

void vm_cpu_init(void)
{
	write_sysreg(vm_vtcr(), vtcr_el2);
	isb();
}

static uint64_t *alloc_table(void)
{
	return page_alloc(1);
}

int stage2_map(struct domain *d, uint64_t ipa, uint64_t pa, uint64_t size, bool device)
{
	uint64_t attrs = S2_AP_RW | (device ? S2_MEMATTR_DEVICE | PTE_XN
					   : S2_MEMATTR_NORMAL_WB | PTE_SH_INNER);
	d->s2.alloc_table = alloc_table;
	return pgtable_map(&d->s2, ipa, pa, size, attrs);
}

void stage2_activate(struct domain *d)
{
	d->vttbr = (uint64_t)(uintptr_t)d->s2.root | ((uint64_t)d->vmid << 48);
	__asm__ volatile("dsb ishst\n tlbi alle1is\n dsb ish\n isb" ::: "memory");
}
