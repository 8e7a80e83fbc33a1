#include <lull/fw_cfg.h>
#include <lull/mmio.h>
#include <string.h>

#define FW_CFG_DATA     0x0
#define FW_CFG_SELECTOR 0x8    /* 16 bits, big-endian */
#define FW_CFG_FILE_DIR 0x19

static void cfg_select(uintptr_t base, uint16_t key)
{
	mmio_write16(base + FW_CFG_SELECTOR, __builtin_bswap16(key));
}

static void cfg_read(uintptr_t base, void *buf, size_t len)
{
	uint8_t *p = buf;
	while (len--)
		*p++ = mmio_read8(base + FW_CFG_DATA);
}

int fw_cfg_read_file(uintptr_t base, const char *name, char *buf, size_t size)
{
	uint32_t count;

	cfg_select(base, FW_CFG_FILE_DIR);
	cfg_read(base, &count, 4);
	count = __builtin_bswap32(count);
	for (uint32_t i = 0; i < count && i < 4096; i++) {
		struct { uint32_t size; uint16_t select, reserved; char name[56]; } e;
		uint32_t len;

		cfg_read(base, &e, sizeof(e));
		if (strncmp(e.name, name, sizeof(e.name)))
			continue;
		len = __builtin_bswap32(e.size);
		if (len >= size)
			return FW_CFG_TOO_LONG;
		cfg_select(base, __builtin_bswap16(e.select));
		cfg_read(base, buf, len);
		buf[len] = '\0';
		return (int)len;
	}
	return FW_CFG_ABSENT;
}
