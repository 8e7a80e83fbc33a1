/* EL2 stage-1 translation: an identity map with 4 KiB granule and a 39-bit
 * VA (three levels starting at level 1). Devices below 1 GiB, RAM as 2 MiB
 * blocks, the hypervisor image as pages with W^X permissions. */
#include <string.h>
#include "hyp.h"
#include "mmu.h"
#include "pgtable.h"

#define PTE_ATTR(i)   ((uint64_t)(i) << 2)
#define PTE_AP_RW     (1ULL << 6)   /* AP[2:1] = 01 */
#define PTE_AP_RO     (3ULL << 6)   /* AP[2:1] = 11 */

#define MAIR_DEVICE_nGnRnE 0
#define MAIR_DEVICE_nGnRE  1
#define MAIR_NORMAL        2
#define MAIR_VALUE         (0x00ULL | (0x04ULL << 8) | (0xffULL << 16))

#define TABLE_POOL 32
static uint64_t tables[TABLE_POOL][512] __attribute__((aligned(4096)));
static unsigned tables_used;

/* Read by mmu_enable in head.S on every CPU: mair, tcr, ttbr0, sctlr. */
uint64_t mmu_regs[4];

static uint64_t attrs_of(enum map_kind kind)
{
	switch (kind) {
	case MAP_DEVICE: return PTE_ATTR(MAIR_DEVICE_nGnRE) | PTE_AP_RW | PTE_XN;
	case MAP_TEXT: return PTE_ATTR(MAIR_NORMAL) | PTE_SH_INNER | PTE_AP_RO;
	case MAP_RODATA: return PTE_ATTR(MAIR_NORMAL) | PTE_SH_INNER | PTE_AP_RO | PTE_XN;
	default: return PTE_ATTR(MAIR_NORMAL) | PTE_SH_INNER | PTE_AP_RW | PTE_XN;
	}
}

static uint64_t *new_table(void)
{
	if (tables_used == TABLE_POOL)
		panic("mmu: out of page-table pages");
	memset(tables[tables_used], 0, PAGE_SIZE);
	return tables[tables_used++];
}

static struct pgtable hyp_pgtable = { .alloc_table = new_table };

void mmu_map(uint64_t va, uint64_t pa, uint64_t size, enum map_kind kind)
{
	if (pgtable_map(&hyp_pgtable, va, pa, size, attrs_of(kind)))
		panic("mmu: cannot map 0x%lx+0x%lx", va, size);
}

void __boot mmu_setup(unsigned pa_bits_field)
{
	/* TCR_EL2: T0SZ = 25 (39-bit VA), inner/outer WBWA, inner shareable,
	 * 4 KiB granule, PS = the PA size all CPUs support, RES1 bits. */
	uint64_t tcr = 25 | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) |
		       ((uint64_t)pa_bits_field << 16) | BIT(23) | BIT(31);

	mmu_regs[0] = MAIR_VALUE;
	mmu_regs[1] = tcr;
	mmu_regs[2] = (uint64_t)(uintptr_t)hyp_pgtable.root;
	/* SCTLR_EL2: RES1 | M | C | SA | I | WXN. */
	mmu_regs[3] = 0x30c50830ULL | BIT(0) | BIT(2) | BIT(3) | BIT(12) | BIT(19);
	dsb(sy);
}

void mmu_flush_tlb(void)
{
	__asm__ volatile("dsb ishst\n tlbi alle2is\n dsb ish\n isb" ::: "memory");
}

bool mmu_executable(uint64_t va)
{
	uint64_t e = pgtable_lookup(&hyp_pgtable, va);
	return (e & PTE_VALID) && !(e & PTE_XN);
}
