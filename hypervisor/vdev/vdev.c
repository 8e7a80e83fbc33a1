#include "domain.h"
#include "vdev.h"

void vdev_domain_init(struct domain *d)
{
	vpl011_init(d);
}

void vdev_domain_reset(struct domain *d)
{
	vpl011_reset(d);
}
