/* EL2 stage-1 translation: an identity map with 4 KiB granule and a 39-bit
 * VA (three levels starting at level 1). Devices below 1 GiB, RAM as 2 MiB
 * blocks, the hypervisor image as pages with W^X permissions. */
#include <string.h>
#include "hyp.h"
#include "mmu.h"

#define PTE_VALID     BIT(0)
#define PTE_TABLE     BIT(1)   /* level 1/2: table; level 3: page */
#define PTE_ATTR(i)   ((uint64_t)(i) << 2)
#define PTE_AP_RW     (1ULL << 6)   /* AP[2:1] = 01 */
#define PTE_AP_RO     (3ULL << 6)   /* AP[2:1] = 11 */
#define PTE_SH_INNER  (3ULL << 8)
#define PTE_AF        BIT(10)
#define PTE_XN        BIT(54)
#define PTE_ADDR      0x0000fffffffff000ULL

#define MAIR_DEVICE_nGnRnE 0
#define MAIR_DEVICE_nGnRE  1
#define MAIR_NORMAL        2
#define MAIR_VALUE         (0x00ULL | (0x04ULL << 8) | (0xffULL << 16))

#define TABLE_POOL 32
static uint64_t tables[TABLE_POOL][512] __attribute__((aligned(4096)));
static unsigned tables_used;
static uint64_t *root;

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

static void map_at(uint64_t *table, unsigned level, uint64_t va, uint64_t pa, uint64_t size,
		   uint64_t attrs)
{
	unsigned shift = 39 - 9 * level;   /* level 1: 30, 2: 21, 3: 12 */
	uint64_t block = 1ULL << shift;

	while (size) {
		unsigned idx = (va >> shift) & 511;
		uint64_t chunk = block - (va & (block - 1));
		uint64_t *entry = &table[idx];

		if (chunk > size)
			chunk = size;
		if (level == 3 || (chunk == block && !(pa & (block - 1)) &&
				   !(*entry & PTE_VALID && *entry & PTE_TABLE && level < 3))) {
			*entry = (pa & PTE_ADDR) | attrs | PTE_AF | PTE_VALID | (level == 3 ? PTE_TABLE : 0);
		} else {
			uint64_t *next;
			if (!(*entry & PTE_VALID)) {
				next = new_table();
				*entry = (uint64_t)(uintptr_t)next | PTE_TABLE | PTE_VALID;
			} else if (!(*entry & PTE_TABLE)) {
				/* Split a block into a table of the same mapping. */
				uint64_t old = *entry, base = old & PTE_ADDR & ~(block - 1);
				next = new_table();
				map_at(next, level + 1, va & ~(block - 1), base, block,
				       old & ~(PTE_ADDR | PTE_VALID | PTE_TABLE | PTE_AF));
				*entry = (uint64_t)(uintptr_t)next | PTE_TABLE | PTE_VALID;
			} else {
				next = (uint64_t *)(uintptr_t)(*entry & PTE_ADDR);
			}
			map_at(next, level + 1, va, pa, chunk, attrs);
		}
		va += chunk;
		pa += chunk;
		size -= chunk;
	}
}

void mmu_map(uint64_t va, uint64_t pa, uint64_t size, enum map_kind kind)
{
	if (!root)
		root = new_table();
	map_at(root, 1, va, pa, size, attrs_of(kind));
}

void __boot mmu_setup(unsigned pa_bits_field)
{
	/* TCR_EL2: T0SZ = 25 (39-bit VA), inner/outer WBWA, inner shareable,
	 * 4 KiB granule, PS = the PA size all CPUs support, RES1 bits. */
	uint64_t tcr = 25 | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) |
		       ((uint64_t)pa_bits_field << 16) | BIT(23) | BIT(31);

	mmu_regs[0] = MAIR_VALUE;
	mmu_regs[1] = tcr;
	mmu_regs[2] = (uint64_t)(uintptr_t)root;
	/* SCTLR_EL2: RES1 | M | C | SA | I | WXN. */
	mmu_regs[3] = 0x30c50830ULL | BIT(0) | BIT(2) | BIT(3) | BIT(12) | BIT(19);
	dsb(sy);
}

void mmu_flush_tlb(void)
{
	__asm__ volatile("dsb ishst\n tlbi alle2is\n dsb ish\n isb" ::: "memory");
}
