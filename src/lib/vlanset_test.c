/*
 * DOC: unit tests for vlanset.c: parse, errors, canonical format, set ops.
 */
#include "lib/vlanset.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *in;
	const char *out;	/* canonical form, or NULL if it must fail */
	const char *err;	/* expected reason when it fails */
} vlanset_cases[] = {
	{ "10", "10", NULL },
	{ "10,20,30-40", "10,20,30-40", NULL },
	{ "40-30", NULL, "range 40-30 is reversed" },
	{ "3,2,1", "1-3", NULL },
	{ "1,2", "1,2", NULL },
	{ "5-5", "5", NULL },
	{ "1-4094", "1-4094", NULL },
	{ "10,10,10", "10", NULL },
	{ "100-102,101,200", "100-102,200", NULL },
	{ "0", NULL, "VLAN 0 is out of range 1-4094" },
	{ "4095", NULL, "VLAN 4095 is out of range 1-4094" },
	{ "10-5000", NULL, "VLAN 5000 is out of range 1-4094" },
	{ "99999999999999999999", NULL, "VLAN 99999 is out of range 1-4094" },
	{ "", NULL, "expected VLAN ids like 10,20,30-40" },
	{ "10,", NULL, "expected VLAN ids like 10,20,30-40" },
	{ ",10", NULL, "expected VLAN ids like 10,20,30-40" },
	{ "10,,20", NULL, "expected VLAN ids like 10,20,30-40" },
	{ "10-", NULL, "expected VLAN ids like 10,20,30-40" },
	{ "-10", NULL, "expected VLAN ids like 10,20,30-40" },
	{ "10 20", NULL, "expected VLAN ids like 10,20,30-40" },
	{ "ten", NULL, "expected VLAN ids like 10,20,30-40" },
	{ "10-20-30", NULL, "expected VLAN ids like 10,20,30-40" },
};

static int test_parse(void)
{
	int fails = 0;

	for (size_t i = 0; i < sizeof(vlanset_cases) / sizeof(vlanset_cases[0]); i++) {
		uint64_t set[VLANSET_WORDS];
		char err[128] = "", out[64];
		int rc = vlanset_parse(vlanset_cases[i].in, set, err, sizeof(err));

		if (vlanset_cases[i].out == NULL) {
			if (rc == 0 || strcmp(err, vlanset_cases[i].err)) {
				printf("FAIL parse('%s') rc %d err '%s', want '%s'\n",
				       vlanset_cases[i].in, rc, err, vlanset_cases[i].err);
				fails++;
			}
			continue;
		}
		vlanset_format(set, out, sizeof(out));
		if (rc != 0 || strcmp(out, vlanset_cases[i].out)) {
			printf("FAIL parse('%s') rc %d -> '%s', want '%s' (%s)\n",
			       vlanset_cases[i].in, rc, out, vlanset_cases[i].out, err);
			fails++;
		}
	}
	return fails;
}

static int test_full_empty(void)
{
	uint64_t set[VLANSET_WORDS];
	int fails = 0;

	vlanset_fill(set);
	if (!vlanset_is_full(set) || vlanset_test(set, 0) ||
	    vlanset_test(set, 4095) || vlanset_count(set) != 4094) {
		printf("FAIL vlanset_fill\n");
		fails++;
	}
	vlanset_remove(set, 7);
	if (vlanset_is_full(set) || vlanset_test(set, 7)) {
		printf("FAIL vlanset_remove\n");
		fails++;
	}
	vlanset_clear(set);
	if (!vlanset_is_empty(set) || vlanset_count(set) != 0) {
		printf("FAIL vlanset_clear\n");
		fails++;
	}
	return fails;
}

static int test_ops(void)
{
	uint64_t a[VLANSET_WORDS], b[VLANSET_WORDS];
	char out[64];
	int fails = 0;

	vlanset_parse("10-20", a, NULL, 0);
	vlanset_parse("15-30", b, NULL, 0);
	vlanset_union(a, b);
	vlanset_format(a, out, sizeof(out));
	if (strcmp(out, "10-30")) {
		printf("FAIL union -> '%s'\n", out);
		fails++;
	}
	vlanset_parse("12,20-25", b, NULL, 0);
	vlanset_subtract(a, b);
	vlanset_format(a, out, sizeof(out));
	if (strcmp(out, "10,11,13-19,26-30")) {
		printf("FAIL subtract -> '%s'\n", out);
		fails++;
	}
	return fails;
}

/* The returned length must be the full length even when truncated, and the
 * truncated text must stay NUL-terminated. */
static int test_format_truncation(void)
{
	uint64_t set[VLANSET_WORDS];
	char small[5];
	int fails = 0;

	vlanset_parse("1,3,5,7,9,11", set, NULL, 0);
	size_t need = vlanset_format(set, small, sizeof(small));
	if (need != strlen("1,3,5,7,9,11") || strlen(small) >= sizeof(small)) {
		printf("FAIL format truncation: need %zu, got '%s'\n", need, small);
		fails++;
	}
	return fails;
}

int main(void)
{
	int fails = test_parse() + test_full_empty() + test_ops() +
		    test_format_truncation();

	printf("%s: %d failure(s)\n", fails ? "FAIL" : "PASS", fails);
	return fails != 0;
}
