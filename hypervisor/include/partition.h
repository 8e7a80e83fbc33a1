/* Placement of domain memory in physical RAM: pure logic, unit tested. */
#ifndef HYP_PARTITION_H
#define HYP_PARTITION_H
#include <stdbool.h>
#include <stdint.h>

struct range {
	uint64_t base, size;
};

static inline bool ranges_overlap(struct range a, struct range b)
{
	return a.size && b.size && a.base < b.base + b.size && b.base < a.base + a.size;
}

static inline bool range_inside(struct range inner, struct range outer)
{
	return inner.base >= outer.base && inner.base + inner.size >= inner.base &&
	       inner.base + inner.size <= outer.base + outer.size;
}

enum place_error {
	PLACE_OK = 0,
	PLACE_MISALIGNED,     /* base or size not a multiple of the alignment */
	PLACE_NOT_IN_RAM,     /* a fixed base outside RAM */
	PLACE_RESERVED,       /* a fixed range overlaps a reserved one */
	PLACE_OVERLAP,        /* two fixed ranges overlap */
	PLACE_NO_ROOM,        /* nowhere left for a request */
};

/* Give every request (base 0 = anywhere) a base inside `ram`, aligned to
 * `align`, overlapping neither `reserved` nor another request. Fixed bases
 * are honoured first, then the rest lowest-first. On failure *bad is the
 * request at fault. */
enum place_error partition_place(const struct range *ram, unsigned nram,
				 const struct range *reserved, unsigned nres,
				 struct range *req, unsigned nreq, uint64_t align, unsigned *bad);
const char *place_error_text(enum place_error e);
#endif
