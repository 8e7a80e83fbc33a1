#include "domain.h"
#include "gic.h"
#include "vdev.h"
#include "vgic.h"

void vdev_domain_init(struct domain *d)
{
	vpl011_init(d);
	if (gic.version == 3) {
		vgic_domain_reset(d);
		vgic_domain_init(d);
	}
}

void vdev_domain_reset(struct domain *d)
{
	vpl011_reset(d);
	if (gic.version == 3)
		vgic_domain_reset(d);
}
