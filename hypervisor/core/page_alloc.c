#include <lull/spinlock.h>
#include <string.h>
#include "hyp.h"
#include "page_alloc.h"

#define MAX_POOL_PAGES (HYP_SIZE / PAGE_SIZE)

static uint64_t bitmap[MAX_POOL_PAGES / 64];   /* 1 = used */
static uintptr_t pool_start;
static size_t pool_pages, free_pages;
static spinlock_t lock = SPINLOCK_INIT;

static bool used(size_t i)
{
	return (bitmap[i / 64] >> (i % 64)) & 1;
}

static void mark(size_t i, bool u)
{
	if (u)
		bitmap[i / 64] |= 1ULL << (i % 64);
	else
		bitmap[i / 64] &= ~(1ULL << (i % 64));
}

void page_alloc_init(uintptr_t start, uintptr_t end)
{
	pool_start = ALIGN_UP(start, PAGE_SIZE);
	pool_pages = end > pool_start ? (end - pool_start) / PAGE_SIZE : 0;
	if (pool_pages > MAX_POOL_PAGES)
		pool_pages = MAX_POOL_PAGES;
	free_pages = pool_pages;
}

void *page_alloc(size_t pages)
{
	void *p = NULL;
	size_t run = 0;

	if (!pages)
		return NULL;
	spin_lock(&lock);
	for (size_t i = 0; i < pool_pages; i++) {
		run = used(i) ? 0 : run + 1;
		if (run == pages) {
			size_t first = i + 1 - pages;
			for (size_t j = first; j <= i; j++)
				mark(j, true);
			free_pages -= pages;
			p = (void *)(pool_start + first * PAGE_SIZE);
			break;
		}
	}
	spin_unlock(&lock);
	if (p)
		memset(p, 0, pages * PAGE_SIZE);
	return p;
}

void page_free(void *p, size_t pages)
{
	uintptr_t a = (uintptr_t)p;
	size_t first;

	if (!p)
		return;
	if (a < pool_start || (a - pool_start) % PAGE_SIZE ||
	    (a - pool_start) / PAGE_SIZE + pages > pool_pages)
		panic("page_free: %p (+%zu pages) is not from the pool", p, pages);
	first = (a - pool_start) / PAGE_SIZE;
	spin_lock(&lock);
	for (size_t j = first; j < first + pages; j++) {
		if (!used(j))
			panic("page_free: double free of page %p", (void *)(pool_start + j * PAGE_SIZE));
		mark(j, false);
	}
	free_pages += pages;
	spin_unlock(&lock);
}

size_t page_free_count(void)
{
	return free_pages;
}

size_t page_total_count(void)
{
	return pool_pages;
}
