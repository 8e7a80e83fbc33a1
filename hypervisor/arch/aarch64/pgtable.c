#include "hyp.h"
#include "pgtable.h"

#define LEVEL_SHIFT(l) (39 - 9 * (l))   /* level 1: 30, 2: 21, 3: 12 */

static int map_at(struct pgtable *pt, uint64_t *table, unsigned level, uint64_t va, uint64_t pa,
		  uint64_t size, uint64_t attrs)
{
	unsigned shift = LEVEL_SHIFT(level);
	uint64_t block = 1ULL << shift;

	while (size) {
		uint64_t *entry = &table[(va >> shift) & 511];
		uint64_t chunk = block - (va & (block - 1));
		bool is_table = (*entry & (PTE_VALID | PTE_TABLE)) == (PTE_VALID | PTE_TABLE) &&
				level < 3;

		if (chunk > size)
			chunk = size;
		if (level == 3 || (chunk == block && !(pa & (block - 1)) && !is_table)) {
			*entry = (pa & PTE_ADDR) | attrs | PTE_AF | PTE_VALID |
				 (level == 3 ? PTE_TABLE : 0);
		} else {
			uint64_t *next;
			if (is_table) {
				next = (uint64_t *)(uintptr_t)(*entry & PTE_ADDR);
			} else {
				uint64_t old = *entry;
				next = pt->alloc_table();
				if (!next)
					return -1;
				/* A block becomes a table holding the same mapping. */
				if (old & PTE_VALID &&
				    map_at(pt, next, level + 1, va & ~(block - 1),
					   old & PTE_ADDR & ~(block - 1), block,
					   old & ~(PTE_ADDR | PTE_VALID | PTE_TABLE | PTE_AF)))
					return -1;
				dsb(ishst);
				*entry = (uint64_t)(uintptr_t)next | PTE_TABLE | PTE_VALID;
			}
			if (map_at(pt, next, level + 1, va, pa, chunk, attrs))
				return -1;
		}
		va += chunk;
		pa += chunk;
		size -= chunk;
	}
	return 0;
}

int pgtable_map(struct pgtable *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs)
{
	if ((va | pa | size) & (PAGE_SIZE - 1) || va + size > (1ULL << PGTABLE_VA_BITS) ||
	    va + size < va)
		return -1;
	if (!pt->root && !(pt->root = pt->alloc_table()))
		return -1;
	return map_at(pt, pt->root, 1, va, pa, size, attrs);
}

uint64_t pgtable_lookup(const struct pgtable *pt, uint64_t va)
{
	const uint64_t *table = pt->root;

	if (!table || va >= (1ULL << PGTABLE_VA_BITS))
		return 0;
	for (unsigned level = 1; level <= 3; level++) {
		uint64_t e = table[(va >> LEVEL_SHIFT(level)) & 511];
		if (!(e & PTE_VALID))
			return 0;
		if (level == 3 || !(e & PTE_TABLE))
			return e;
		table = (const uint64_t *)(uintptr_t)(e & PTE_ADDR);
	}
	return 0;
}
