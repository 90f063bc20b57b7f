/*
 * DOC: unit tests for gso.c
 *
 * Builds super-frames the way a kernel hands them over a TAP (headers
 * with the partial pseudo-header checksum, one big payload), cuts them
 * with gso_iter_*() and checks every segment as a receiver would: frame
 * and IP lengths, IPv4 ID and header checksum, TCP sequence numbers and
 * flags (CWR first only, FIN/PSH last only), UDP lengths, L4 checksums
 * over the right pseudo-header, payload bytes in order, the Ethernet
 * header and VLAN tags unchanged.  Cases: TCPv4 untagged and tagged,
 * TCPv4 with IP options, TCPv6 with a hop-by-hop header, UDP over v4 and
 * v6, sequence-number wrap, a payload that divides evenly, one that fits a
 * single segment, no payload at all.  Then checksum completion, and the
 * parser's and checker's refusals, table-driven.
 */
#include "dp/gso.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/csum.h"

static int failures;

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			failures++;					\
			fprintf(stderr, "FAIL %s:%d: %s: ", __func__,	\
				__LINE__, #cond);			\
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
		}							\
	} while (0)

#define TCP_FIN	0x01
#define TCP_PSH	0x08
#define TCP_ACK	0x10
#define TCP_CWR	0x80

/* ---- building frames -------------------------------------------------- */

struct spec {
	const char *name;
	int tags;		/* 0, 1 (C-tag) or 2 (S-tag + C-tag) */
	bool ipv6;
	uint8_t proto;		/* GSO_IPPROTO_TCP / _UDP */
	size_t ip_opts;		/* IPv4 option bytes / IPv6 hop-by-hop bytes */
	size_t tcp_opts;	/* TCP option bytes (multiple of 4) */
	uint32_t seq;
	uint8_t flags;		/* TCP flags of the super-frame */
	size_t payload;
	uint32_t mss;
};

static void put32(uint8_t *b, uint32_t v)
{
	csum_put16(b, (uint16_t)(v >> 16));
	csum_put16(b + 2, (uint16_t)v);
}

static uint32_t get32(const uint8_t *b)
{
	return (uint32_t)csum_get16(b) << 16 | csum_get16(b + 2);
}

static uint8_t pattern(size_t i)
{
	return (uint8_t)(i * 7 + i / 251);
}

/* Ethernet + tags; returns the L3 offset. */
static size_t build_l2(uint8_t *f, const struct spec *s)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };
	size_t off = 12;

	memcpy(f, macs, 12);
	for (int i = 0; i < s->tags; i++) {
		csum_put16(f + off, i == 0 && s->tags == 2 ? 0x88a8 : 0x8100);
		csum_put16(f + off + 2, (uint16_t)(0x2000 | (100 + i)));
		off += 4;
	}
	csum_put16(f + off, s->ipv6 ? 0x86dd : 0x0800);
	return off + 2;
}

/* IP header (+ options / hop-by-hop); returns the L4 offset. */
static size_t build_ip(uint8_t *f, size_t l3, const struct spec *s,
		       size_t l4_size)
{
	uint8_t *ip = f + l3;

	if (!s->ipv6) {
		size_t ihl = 20 + s->ip_opts;

		memset(ip, 0, ihl);
		ip[0] = (uint8_t)(0x40 | ihl / 4);
		csum_put16(ip + 2, (uint16_t)(ihl + l4_size));
		csum_put16(ip + 4, 0xfffe);	/* ID wraps after 2 segments */
		csum_put16(ip + 6, 0x4000);	/* DF */
		ip[8] = 64;
		ip[9] = s->proto;
		put32(ip + 12, 0x0a000001);
		put32(ip + 16, 0x0a000002);
		memset(ip + 20, 1, s->ip_opts);	/* NOP options */
		return l3 + ihl;
	}
	memset(ip, 0, 40);
	ip[0] = 0x60;
	csum_put16(ip + 4, (uint16_t)(s->ip_opts + l4_size));
	ip[6] = s->ip_opts ? 0 : s->proto;
	ip[7] = 64;
	for (int i = 0; i < 16; i++) {
		ip[8 + i] = (uint8_t)(0x20 + i);
		ip[24 + i] = (uint8_t)(0x40 + i);
	}
	if (s->ip_opts) {	/* hop-by-hop: next header, length, PadN */
		memset(ip + 40, 0, s->ip_opts);
		ip[40] = s->proto;
		ip[41] = (uint8_t)(s->ip_opts / 8 - 1);
		ip[42] = 1;
		ip[43] = (uint8_t)(s->ip_opts - 4);
	}
	return l3 + 40 + s->ip_opts;
}

/* Pseudo-header sum as a sender leaves it for checksum offload. */
static uint32_t pseudo_sum(const uint8_t *ip, bool ipv6, uint8_t proto,
			   uint32_t l4_size)
{
	uint32_t sum = csum_add16(csum_add32(0, l4_size), proto);

	return ipv6 ? csum_add(sum, ip + 8, 32) : csum_add(sum, ip + 12, 8);
}

/* A whole super-frame; fills *off like a TAP would.  Returns its size. */
static size_t build(uint8_t *f, const struct spec *s, struct pkt_offload *off)
{
	size_t l3 = build_l2(f, s);
	size_t l4_hdr = s->proto == GSO_IPPROTO_TCP ? 20 + s->tcp_opts : 8;
	size_t l4 = build_ip(f, l3, s, l4_hdr + s->payload);
	uint8_t *h = f + l4;

	memset(h, 0, l4_hdr);
	csum_put16(h, 40000);
	csum_put16(h + 2, 5201);
	if (s->proto == GSO_IPPROTO_TCP) {
		put32(h + 4, s->seq);
		put32(h + 8, 0x01020304);
		h[12] = (uint8_t)(l4_hdr / 4 << 4);
		h[13] = s->flags;
		csum_put16(h + 14, 512);
		memset(h + 20, 1, s->tcp_opts);
	} else {
		csum_put16(h + 4, (uint16_t)(8 + s->payload));
	}
	for (size_t i = 0; i < s->payload; i++)
		h[l4_hdr + i] = pattern(i);
	memset(off, 0, sizeof(*off));
	off->flags = PKT_OFF_NEEDS_CSUM;
	off->csum_start = (uint16_t)l4;
	off->csum_offset = s->proto == GSO_IPPROTO_TCP ? 16 : 6;
	off->gso_type = s->proto == GSO_IPPROTO_UDP ? PKT_GSO_UDP_L4 :
			s->ipv6 ? PKT_GSO_TCPV6 : PKT_GSO_TCPV4;
	off->gso_size = (uint16_t)s->mss;
	csum_put16(h + off->csum_offset,
		   csum_reduce(pseudo_sum(f + l3, s->ipv6, s->proto,
					  (uint32_t)(l4_hdr + s->payload))));
	return l4 + l4_hdr + s->payload;
}

/* ---- checking segments ------------------------------------------------ */

/* Checks segment 'i' of 'n' (seg[0..size)) cut from the frame 'orig'. */
static void check_segment(const struct spec *s, const uint8_t *orig,
			  const struct gso_layout *lay, const uint8_t *seg,
			  size_t size, uint32_t i, uint32_t n)
{
	size_t piece = size - lay->hdr_size, from = (size_t)i * s->mss;
	const uint8_t *ip = seg + lay->l3_off, *l4 = seg + lay->l4_off;
	uint32_t l4_size = (uint32_t)(size - lay->l4_off);

	CHECK(memcmp(seg, orig, lay->l3_off) == 0, "%s seg %u: L2 header", s->name, i);
	CHECK(piece == (i + 1 < n ? s->mss : s->payload - from),
	      "%s seg %u: %zu payload bytes", s->name, i, piece);
	for (size_t k = 0; k < piece; k++)
		if (seg[lay->hdr_size + k] != pattern(from + k)) {
			CHECK(false, "%s seg %u: payload byte %zu", s->name, i, k);
			break;
		}
	if (s->ipv6) {
		CHECK(csum_get16(ip + 4) == size - lay->l3_off - 40,
		      "%s seg %u: IPv6 payload length", s->name, i);
	} else {
		CHECK(csum_get16(ip + 2) == size - lay->l3_off,
		      "%s seg %u: IPv4 total length", s->name, i);
		CHECK(csum_get16(ip + 4) == (uint16_t)(0xfffe + i),
		      "%s seg %u: IPv4 ID %#x", s->name, i, csum_get16(ip + 4));
		CHECK(csum_reduce(csum_add(0, ip, lay->l4_off - lay->l3_off)) == 0xffff,
		      "%s seg %u: IPv4 header checksum", s->name, i);
	}
	CHECK(csum_reduce(csum_add(pseudo_sum(ip, s->ipv6, s->proto, l4_size),
				   l4, l4_size)) == 0xffff,
	      "%s seg %u: L4 checksum", s->name, i);
	if (s->proto == GSO_IPPROTO_UDP) {
		CHECK(csum_get16(l4 + 4) == l4_size, "%s seg %u: UDP length", s->name, i);
		return;
	}
	CHECK(get32(l4 + 4) == s->seq + (uint32_t)from, "%s seg %u: seq %#x",
	      s->name, i, get32(l4 + 4));
	CHECK(!!(l4[13] & TCP_CWR) == (i == 0 && (s->flags & TCP_CWR)),
	      "%s seg %u: CWR", s->name, i);
	CHECK((l4[13] & (TCP_FIN | TCP_PSH)) ==
	      (i + 1 == n ? (s->flags & (TCP_FIN | TCP_PSH)) : 0),
	      "%s seg %u: FIN/PSH %#x", s->name, i, l4[13]);
	CHECK(l4[13] & TCP_ACK, "%s seg %u: ACK lost", s->name, i);
}

static const struct spec specs[] = {
	{ "tcp4", 0, false, GSO_IPPROTO_TCP, 0, 12, 1000,
	  TCP_ACK | TCP_PSH | TCP_CWR, 65000, 1448 },
	{ "tcp4 tagged", 1, false, GSO_IPPROTO_TCP, 0, 12, 5,
	  TCP_ACK | TCP_PSH | TCP_FIN, 10000, 1448 },
	{ "tcp4 qinq + ip options", 2, false, GSO_IPPROTO_TCP, 8, 0, 77,
	  TCP_ACK | TCP_CWR | TCP_FIN, 4000, 1000 },
	{ "tcp4 seq wraps", 0, false, GSO_IPPROTO_TCP, 0, 0, 0xfffff000u,
	  TCP_ACK, 2 * 8948, 8948 },
	{ "tcp6 + hop-by-hop", 0, true, GSO_IPPROTO_TCP, 8, 12, 42,
	  TCP_ACK | TCP_PSH | TCP_CWR, 30000, 1428 },
	{ "tcp6 tagged", 1, true, GSO_IPPROTO_TCP, 0, 0, 9,
	  TCP_ACK | TCP_PSH, 65400, 8000 },
	{ "tcp4 one segment", 0, false, GSO_IPPROTO_TCP, 0, 0, 1,
	  TCP_ACK | TCP_PSH | TCP_FIN | TCP_CWR, 100, 1448 },
	{ "tcp4 no payload", 1, false, GSO_IPPROTO_TCP, 0, 0, 1,
	  TCP_ACK | TCP_FIN, 0, 1448 },
	{ "udp4", 0, false, GSO_IPPROTO_UDP, 0, 0, 0, 0, 9000, 1472 },
	{ "udp6 tagged", 1, true, GSO_IPPROTO_UDP, 0, 0, 0, 0, 5000, 1200 },
};

static uint8_t in[PKT_SUPER_MAX], out[PKT_SUPER_MAX];

static void test_segment(const struct spec *s)
{
	struct pkt_offload off;
	struct gso_layout lay;
	struct gso_iter it;
	size_t len = build(in, s, &off);
	uint32_t want = s->payload ? (uint32_t)((s->payload + s->mss - 1) / s->mss) : 1;
	int count, size;
	uint32_t i = 0;

	CHECK(gso_check(in, len, &off, &lay) == 0, "%s: gso_check", s->name);
	CHECK(lay.l4_proto == s->proto && lay.ipv6 == s->ipv6 && lay.end == len,
	      "%s: layout", s->name);
	CHECK(gso_seg_l3_size(&lay, s->mss) ==
	      lay.hdr_size - lay.l3_off + (s->payload < s->mss ? s->payload : s->mss),
	      "%s: segment L3 size", s->name);
	count = gso_iter_init(&it, in, &lay, s->mss);
	CHECK(count == (int)want, "%s: %d segments, want %u", s->name, count, want);
	while ((size = gso_iter_next(&it, out, sizeof(out))) > 0)
		check_segment(s, in, &lay, out, (size_t)size, i++, (uint32_t)count);
	CHECK(size == 0 && i == want, "%s: iteration ended at %u (%d)", s->name, i, size);
}

/* ---- checksum completion ---------------------------------------------- */

/* A non-GSO frame with a partial checksum is finished to the value a
 * full computation gives; UDP never ends with 0. */
static void test_csum_complete(void)
{
	static const struct spec tcp = { "c tcp", 1, false, GSO_IPPROTO_TCP, 0,
					 0, 9, TCP_ACK, 333, 1448 };
	static const struct spec udp = { "c udp", 0, true, GSO_IPPROTO_UDP, 0,
					 0, 0, 0, 64, 1448 };
	struct pkt_offload off;
	size_t len = build(in, &tcp, &off), l4 = off.csum_start;
	uint16_t partial;

	CHECK(gso_csum_complete(in, len, &off) == 0, "tcp");
	CHECK(csum_reduce(csum_add(pseudo_sum(in + 18, false, 6,
					      (uint32_t)(len - l4)),
				   in + l4, len - l4)) == 0xffff, "tcp checksum");

	/* Make the UDP sum come out as 0: the field must read 0xffff. */
	len = build(in, &udp, &off);
	l4 = off.csum_start;
	partial = csum_reduce(csum_add(0, in + l4, len - l4));
	csum_put16(in + len - 2, (uint16_t)(csum_get16(in + len - 2) +
					    (uint16_t)~partial));
	partial = csum_reduce(csum_add(0, in + l4, len - l4));
	if (partial != 0xffff)	/* the add carried: one more step */
		csum_put16(in + len - 4, (uint16_t)(csum_get16(in + len - 4) +
						    (uint16_t)~partial));
	CHECK(gso_csum_complete(in, len, &off) == 0, "udp");
	CHECK(csum_get16(in + l4 + 6) == 0xffff, "udp zero checksum sent as %#x",
	      csum_get16(in + l4 + 6));

	off.csum_offset = (uint16_t)(len - l4 - 1);	/* field past the end */
	CHECK(gso_csum_complete(in, len, &off) == -EINVAL, "offset out of frame");
	off.flags = 0;
	CHECK(gso_csum_complete(in, 0, &off) == 0, "no NEEDS_CSUM: no-op");
}

/* ---- refusals --------------------------------------------------------- */

enum mutation {
	M_NONE, M_FRAGMENT, M_ARP, M_IPV4_TOTAL_LONG, M_IPV4_IHL_SHORT,
	M_TCP_DOFF_SHORT, M_TCP_DOFF_LONG, M_IPV6_JUMBO, M_IPV6_FRAG_EXT,
	M_ICMP, M_TRUNCATE_TCP, M_THREE_TAGS, M_PADDING,
	M_GSO_TYPE_WRONG, M_GSO_SIZE_ZERO, M_CSUM_OUT, M_GSO_UNKNOWN,
	M_CSUM_IN_L2,
};

static const struct {
	const char *name;
	bool ipv6;
	enum mutation m;
	int parse;	/* gso_parse() result */
	int check;	/* gso_check() result */
} refusals[] = {
	{ "well-formed", false, M_NONE, 0, 0 },
	{ "IPv4 fragment", false, M_FRAGMENT, -EINVAL, -EINVAL },
	{ "not IP", false, M_ARP, -EINVAL, -EINVAL },
	{ "IPv4 total length beyond frame", false, M_IPV4_TOTAL_LONG, -EINVAL, -EINVAL },
	{ "IPv4 IHL < 5", false, M_IPV4_IHL_SHORT, -EINVAL, -EINVAL },
	{ "TCP data offset < 5", false, M_TCP_DOFF_SHORT, -EINVAL, -EINVAL },
	{ "TCP data offset beyond packet", false, M_TCP_DOFF_LONG, -EINVAL, -EINVAL },
	{ "IPv6 jumbogram", true, M_IPV6_JUMBO, -EINVAL, -EINVAL },
	{ "IPv6 fragment header", true, M_IPV6_FRAG_EXT, -EINVAL, -EINVAL },
	{ "ICMP", false, M_ICMP, -EINVAL, -EINVAL },
	{ "TCP header cut short", false, M_TRUNCATE_TCP, -EINVAL, -EINVAL },
	{ "three tags", false, M_THREE_TAGS, -EINVAL, -EINVAL },
	{ "Ethernet padding", false, M_PADDING, 0, 0 },
	{ "TCPV6 type on IPv4", false, M_GSO_TYPE_WRONG, 0, -EINVAL },
	{ "gso_size 0", true, M_GSO_SIZE_ZERO, 0, -EINVAL },
	{ "csum field outside", false, M_CSUM_OUT, 0, -EINVAL },
	{ "unknown GSO type", false, M_GSO_UNKNOWN, 0, -EINVAL },
	{ "csum_start in the Ethernet header", false, M_CSUM_IN_L2, 0, -EINVAL },
};

/* Applies mutation m to a well-formed frame; returns the new length. */
static size_t mutate(uint8_t *f, size_t len, enum mutation m,
		     struct pkt_offload *off)
{
	switch (m) {
	case M_NONE: break;
	case M_FRAGMENT: csum_put16(f + 14 + 6, 0x2000); break;
	case M_ARP: csum_put16(f + 12, 0x0806); break;
	case M_IPV4_TOTAL_LONG: csum_put16(f + 14 + 2, (uint16_t)(len - 13)); break;
	case M_IPV4_IHL_SHORT: f[14] = 0x44; break;
	case M_TCP_DOFF_SHORT: f[34 + 12] = 0x40; break;
	case M_TCP_DOFF_LONG:
		f[34 + 12] = 0xf0;
		csum_put16(f + 14 + 2, 20 + 40);
		break;
	case M_IPV6_JUMBO: csum_put16(f + 14 + 4, 0); break;
	case M_IPV6_FRAG_EXT: f[14 + 6] = 44; break;
	case M_ICMP: f[14 + 9] = 1; break;
	case M_TRUNCATE_TCP:
		csum_put16(f + 14 + 2, 30);
		return 14 + 30;
	case M_THREE_TAGS:
		memmove(f + 24, f + 12, len - 12);
		for (int i = 0; i < 3; i++)
			csum_put16(f + 12 + 4 * i, 0x8100);
		return len + 12;
	case M_PADDING: memset(f + len, 0, 20); return len + 20;
	case M_GSO_TYPE_WRONG: off->gso_type = PKT_GSO_TCPV6; break;
	case M_GSO_SIZE_ZERO: off->gso_size = 0; break;
	case M_CSUM_OUT: off->csum_start = (uint16_t)(len - 1); break;
	case M_GSO_UNKNOWN: off->gso_type = 9; break;
	case M_CSUM_IN_L2: off->csum_start = 13; break;
	}
	return len;
}

static void test_refusals(void)
{
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		struct spec s = { refusals[i].name, 0, refusals[i].ipv6,
				  GSO_IPPROTO_TCP, 0, 0, 1, TCP_ACK, 3000, 1448 };
		struct pkt_offload off;
		struct gso_layout lay;
		size_t len = build(in, &s, &off);
		int r;

		len = mutate(in, len, refusals[i].m, &off);
		r = gso_parse(in, len, &lay);
		CHECK(r == refusals[i].parse, "%s: gso_parse %d", s.name, r);
		r = gso_check(in, len, &off, &lay);
		CHECK(r == refusals[i].check, "%s: gso_check %d", s.name, r);
		if (refusals[i].m == M_PADDING)
			CHECK(lay.end == len - 20, "%s: padding not excluded", s.name);
	}
}

/* An output buffer one byte short is refused without advancing; mss 0 is
 * refused up front. */
static void test_iter_limits(void)
{
	static const struct spec s = { "limits", 0, false, GSO_IPPROTO_TCP, 0,
				       0, 1, TCP_ACK, 3000, 1448 };
	struct pkt_offload off;
	struct gso_layout lay;
	struct gso_iter it;
	size_t len = build(in, &s, &off);

	CHECK(gso_parse(in, len, &lay) == 0, "parse");
	CHECK(gso_iter_init(&it, in, &lay, 0) == -EINVAL, "mss 0");
	CHECK(gso_iter_init(&it, in, &lay, 1448) == 3, "count");
	CHECK(gso_iter_next(&it, out, lay.hdr_size + 1447) == -ENOBUFS, "short buffer");
	CHECK(gso_iter_next(&it, out, sizeof(out)) == (int)lay.hdr_size + 1448,
	      "first segment after a refusal");
}

int main(void)
{
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		test_segment(&specs[i]);
	test_csum_complete();
	test_refusals();
	test_iter_limits();
	printf("gso_test: %d failures\n", failures);
	return failures != 0;
}
