#ifndef HYP_MMU_H
#define HYP_MMU_H
#include <stdbool.h>
#include <stdint.h>

enum map_kind { MAP_DEVICE, MAP_TEXT, MAP_RODATA, MAP_DATA };

/* Map [va, va+size) to pa (page aligned). Usable at boot (MMU off) and
 * afterwards for permission changes, followed by mmu_flush_tlb(). */
void mmu_map(uint64_t va, uint64_t pa, uint64_t size, enum map_kind kind);
void mmu_setup(unsigned pa_range_field);
void mmu_enable(void);          /* head.S */
void mmu_flush_tlb(void);
/* Does the live EL2 mapping let code run at va? */
bool mmu_executable(uint64_t va);
#endif
