/* Data cache maintenance to the point of coherency (arch/aarch64/cache.S). */
#ifndef HYP_CACHE_H
#define HYP_CACHE_H
#include <stdint.h>

void dcache_clean_range(const void *p, uint64_t len);
void dcache_clean_inval_range(const void *p, uint64_t len);
#endif
