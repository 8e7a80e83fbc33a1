/* Physical page allocator for the hypervisor's own pool (the part of its
 * memory region after the image). First fit over a bitmap, under a lock. */
#ifndef HYP_PAGE_ALLOC_H
#define HYP_PAGE_ALLOC_H
#include <stddef.h>
#include <stdint.h>

void page_alloc_init(uintptr_t start, uintptr_t end);
void *page_alloc(size_t pages);       /* zeroed, or NULL */
void page_free(void *p, size_t pages);
size_t page_free_count(void);
size_t page_total_count(void);
#endif
