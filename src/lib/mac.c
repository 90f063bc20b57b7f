/*
 * DOC: MAC address parsing and formatting (see mac.h)
 *
 * Each accepted spelling is a fixed layout of hex digits and separators,
 * so parsing walks a pattern string ('x' = hex digit, anything else = that
 * literal separator) instead of hand-coding three parsers.
 */
#include "lib/mac.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const mac_patterns[] = {
	"xx:xx:xx:xx:xx:xx",
	"xxxx.xxxx.xxxx",
	"xx-xx-xx-xx-xx-xx",
};

static int mac_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Matches 's' against one pattern; fills mac[] (12 nibbles) on success. */
static bool mac_parse_pattern(const char *s, const char *pattern,
			      uint8_t mac[6])
{
	unsigned nibble = 0;

	if (strlen(s) != strlen(pattern))
		return false;
	memset(mac, 0, 6);
	for (; *pattern; pattern++, s++) {
		if (*pattern != 'x') {
			if (*s != *pattern)
				return false;
			continue;
		}
		int v = mac_hex_value(*s);
		if (v < 0)
			return false;
		mac[nibble / 2] |= (uint8_t)(nibble % 2 ? v : v << 4);
		nibble++;
	}
	return true;
}

int mac_parse(const char *s, uint8_t mac[6])
{
	for (size_t i = 0; i < sizeof(mac_patterns) / sizeof(mac_patterns[0]); i++)
		if (mac_parse_pattern(s, mac_patterns[i], mac))
			return 0;
	return -EINVAL;
}

char *mac_format(const uint8_t mac[6], char buf[MAC_STR_SIZE])
{
	snprintf(buf, MAC_STR_SIZE, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}
