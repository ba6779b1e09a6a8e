// SPDX-License-Identifier: GPL-2.0
/*
 * QEMU TCG plugin for ./harness bench: counts the guest instructions executed
 * per translation block. Each time the guest executes the marker instruction
 * xchg %bx,%bx (66 87 db), it writes the counts since the previous marker to
 * <out>.<k> (k = 0, 1, ...), one line per block: "vaddr insns execs", and
 * starts again from zero. User-space blocks are all counted at vaddr 0.
 *
 *   qemu-system-x86_64 ... -plugin insnprof.so,out=PREFIX
 *
 * One vCPU (the counts are not atomic). Built by scripts/bench.sh against
 * QEMU's include/qemu/qemu-plugin.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

struct block {
	uint64_t vaddr;
	uint64_t insns;
	uint64_t execs;
};

#define HASH_BITS 20
#define HASH_SIZE (1u << HASH_BITS)

static struct block *blocks;
static unsigned int nr_blocks;
static const char *out = "insnprof";
static int dumps;

static struct block *block_get(uint64_t vaddr, uint64_t insns)
{
	uint64_t h = (vaddr * 0x9e3779b97f4a7c15ull + insns) >> (64 - HASH_BITS);
	struct block *b;

	for (;; h = (h + 1) & (HASH_SIZE - 1)) {
		b = &blocks[h];
		if (!b->insns)
			break;
		if (b->vaddr == vaddr && b->insns == insns)
			return b;
	}
	if (nr_blocks >= HASH_SIZE / 2) {
		fprintf(stderr, "insnprof: more than %u blocks\n", nr_blocks);
		exit(1);
	}
	nr_blocks++;
	b->vaddr = vaddr;
	b->insns = insns;
	return b;
}

static void marker(unsigned int vcpu, void *udata)
{
	char name[4096];
	unsigned int i;
	FILE *f;

	snprintf(name, sizeof(name), "%s.%d", out, dumps++);
	f = fopen(name, "w");
	for (i = 0; i < HASH_SIZE; i++) {
		if (!blocks[i].execs)
			continue;
		if (f)
			fprintf(f, "%016" PRIx64 " %" PRIu64 " %" PRIu64 "\n",
				blocks[i].vaddr, blocks[i].insns,
				blocks[i].execs);
		blocks[i].execs = 0;
	}
	if (f)
		fclose(f);
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb), i;
	uint64_t vaddr = qemu_plugin_tb_vaddr(tb);
	struct block *b;

	if (!(vaddr >> 63))
		vaddr = 0;
	b = block_get(vaddr, n);
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &b->execs, 1);
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		const uint8_t *d = qemu_plugin_insn_data(insn);

		if (qemu_plugin_insn_size(insn) == 3 && d[0] == 0x66 &&
		    d[1] == 0x87 && d[2] == 0xdb)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, marker,
							       QEMU_PLUGIN_CB_NO_REGS,
							       NULL);
	}
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			out = argv[i] + 4;
	blocks = calloc(HASH_SIZE, sizeof(*blocks));
	if (!blocks)
		return -1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	return 0;
}
