/*
 * DOC: unit tests for mac.c: the three accepted spellings, rejects, format.
 */
#include "lib/mac.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *in;
	int ok;
	const char *out;	/* canonical form when ok */
} mac_cases[] = {
	{ "aa:bb:cc:dd:ee:ff", 1, "aa:bb:cc:dd:ee:ff" },
	{ "AA:BB:CC:DD:EE:0F", 1, "aa:bb:cc:dd:ee:0f" },
	{ "0011.2233.4455", 1, "00:11:22:33:44:55" },
	{ "aAbB.cCdD.eEfF", 1, "aa:bb:cc:dd:ee:ff" },
	{ "01-02-03-04-05-06", 1, "01:02:03:04:05:06" },
	{ "00:00:00:00:00:00", 1, "00:00:00:00:00:00" },
	{ "", 0, NULL },
	{ "aa:bb:cc:dd:ee", 0, NULL },
	{ "aa:bb:cc:dd:ee:ff:00", 0, NULL },
	{ "aa:bb:cc:dd:ee:fg", 0, NULL },
	{ "a:b:c:d:e:f", 0, NULL },
	{ "aa-bb:cc:dd:ee:ff", 0, NULL },
	{ "aabb.ccdd.eef", 0, NULL },
	{ "aabbccddeeff", 0, NULL },
	{ "zz:zz:zz:zz:zz:zz", 0, NULL },
	{ " aa:bb:cc:dd:ee:ff", 0, NULL },
	{ "aa:bb:cc:dd:ee:ff ", 0, NULL },
};

static int test_parse_format(void)
{
	int fails = 0;

	for (size_t i = 0; i < sizeof(mac_cases) / sizeof(mac_cases[0]); i++) {
		uint8_t mac[6];
		char buf[MAC_STR_SIZE];
		int rc = mac_parse(mac_cases[i].in, mac);

		if ((rc == 0) != mac_cases[i].ok) {
			printf("FAIL mac_parse('%s') = %d\n", mac_cases[i].in, rc);
			fails++;
		} else if (rc == 0 && strcmp(mac_format(mac, buf), mac_cases[i].out)) {
			printf("FAIL mac_format('%s') = '%s', want '%s'\n",
			       mac_cases[i].in, buf, mac_cases[i].out);
			fails++;
		}
	}
	return fails;
}

static int test_predicates(void)
{
	const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0, 0, 1 };
	const uint8_t ucast[6] = { 0x02, 0, 0, 0, 0, 1 };
	const uint8_t zero[6] = { 0 };
	int fails = 0;

	if (!mac_is_multicast(bcast) || !mac_is_multicast(mcast) ||
	    mac_is_multicast(ucast) || mac_is_multicast(zero)) {
		printf("FAIL mac_is_multicast\n");
		fails++;
	}
	if (!mac_is_zero(zero) || mac_is_zero(ucast)) {
		printf("FAIL mac_is_zero\n");
		fails++;
	}
	return fails;
}

int main(void)
{
	int fails = test_parse_format() + test_predicates();

	printf("%s: %d failure(s)\n", fails ? "FAIL" : "PASS", fails);
	return fails != 0;
}
