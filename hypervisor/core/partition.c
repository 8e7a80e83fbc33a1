#include "partition.h"

#define MAX_TAKEN 32

static bool collides(struct range r, const struct range *taken, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (ranges_overlap(r, taken[i]))
			return true;
	return false;
}

static bool in_ram(struct range r, const struct range *ram, unsigned nram)
{
	for (unsigned i = 0; i < nram; i++)
		if (range_inside(r, ram[i]))
			return true;
	return false;
}

enum place_error partition_place(const struct range *ram, unsigned nram,
				 const struct range *reserved, unsigned nres,
				 struct range *req, unsigned nreq, uint64_t align, unsigned *bad)
{
	struct range taken[MAX_TAKEN];
	unsigned ntaken = 0;

	if (nres + nreq > MAX_TAKEN) {
		*bad = 0;
		return PLACE_NO_ROOM;
	}
	for (unsigned i = 0; i < nres; i++)
		taken[ntaken++] = reserved[i];
	for (unsigned i = 0; i < nreq; i++) {
		*bad = i;
		if (!req[i].size || req[i].size % align || req[i].base % align)
			return PLACE_MISALIGNED;
		if (!req[i].base)
			continue;
		if (!in_ram(req[i], ram, nram))
			return PLACE_NOT_IN_RAM;
		if (collides(req[i], taken, nres))
			return PLACE_RESERVED;
		if (collides(req[i], taken + nres, ntaken - nres))
			return PLACE_OVERLAP;
		taken[ntaken++] = req[i];
	}
	for (unsigned i = 0; i < nreq; i++) {
		bool placed = false;

		if (req[i].base)
			continue;
		*bad = i;
		for (unsigned r = 0; r < nram && !placed; r++) {
			uint64_t base = (ram[r].base + align - 1) / align * align;
			for (; base + req[i].size <= ram[r].base + ram[r].size; base += align) {
				struct range cand = { base, req[i].size };
				if (!collides(cand, taken, ntaken)) {
					req[i].base = base;
					taken[ntaken++] = cand;
					placed = true;
					break;
				}
			}
		}
		if (!placed)
			return PLACE_NO_ROOM;
	}
	return PLACE_OK;
}

const char *place_error_text(enum place_error e)
{
	switch (e) {
	case PLACE_OK: return "ok";
	case PLACE_MISALIGNED: return "base and size must be non-zero multiples of 2 MiB";
	case PLACE_NOT_IN_RAM: return "not inside physical RAM";
	case PLACE_RESERVED: return "overlaps memory the hypervisor or an image uses";
	case PLACE_OVERLAP: return "overlaps another domain's memory";
	default: return "no free RAM left for it";
	}
}
