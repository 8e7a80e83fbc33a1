/* VMSAv8-64 translation tables with a 4 KiB granule and a 39-bit input
 * address (three levels, starting at level 1; Arm ARM D8.2). One walker
 * serves the EL2 stage-1 tables and every domain's stage-2 tables: only
 * the attribute bits differ, and the caller supplies them. */
#ifndef HYP_PGTABLE_H
#define HYP_PGTABLE_H
#include <stdint.h>

#define PGTABLE_VA_BITS 39

#define PTE_VALID     (1ULL << 0)
#define PTE_TABLE     (1ULL << 1)   /* levels 1/2: table; level 3: page */
#define PTE_AF        (1ULL << 10)
#define PTE_SH_INNER  (3ULL << 8)
#define PTE_XN        (1ULL << 54)
#define PTE_ADDR      0x0000fffffffff000ULL

struct pgtable {
	uint64_t *root;
	uint64_t *(*alloc_table)(void);   /* a zeroed 4 KiB page, or NULL */
};

/* Map [va, va + size) to pa with `attrs` (everything but address, valid,
 * table and AF bits), using the largest blocks alignment allows and
 * splitting blocks where a finer mapping is asked for. 0 or -1 (no memory
 * for tables, or an address outside the 39-bit range). */
int pgtable_map(struct pgtable *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs);
/* The leaf descriptor for va, or 0 if unmapped. */
uint64_t pgtable_lookup(const struct pgtable *pt, uint64_t va);
#endif
