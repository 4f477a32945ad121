// SPDX-License-Identifier: GPL-2.0
/*
 * Moving a message's bytes: from the sender's pieces straight into the
 * receiver's, page by page. Each byte is copied once, from the pages the
 * sender's region pinned to the pages the receiver's region pinned; for a
 * region made from an accelerator's dma-buf those are the accelerator's
 * own pages, so nothing bounces through another buffer.
 *
 * The callers checked every piece against its region, and that the
 * receiving pieces hold at least @len bytes.
 */
#include <linux/highmem.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "efa.h"

/* The longest run from @seg at @pos that stays within one page. */
static u32 aifab_efa_seg_run(const struct aifab_efa_seg *seg, u32 pos)
{
	u32 left = seg->len - pos;

	if (!seg->pages)
		return left;
	return min_t(u64, left, PAGE_SIZE - offset_in_page(seg->off + pos));
}

static struct page *aifab_efa_seg_page(const struct aifab_efa_seg *seg,
				       u32 pos, size_t *off)
{
	u64 at = seg->off + pos;

	*off = offset_in_page(at);
	return seg->pages[at >> PAGE_SHIFT];
}

static void aifab_efa_copy_run(const struct aifab_efa_seg *d, u32 dpos,
			       const struct aifab_efa_seg *s, u32 spos, u32 n)
{
	struct page *dpage, *spage;
	size_t doff, soff;

	if (!d->pages) {
		/* Only sources are kernel memory; never reached. */
		WARN_ON_ONCE(1);
		return;
	}
	dpage = aifab_efa_seg_page(d, dpos, &doff);
	if (!s->pages) {
		memcpy_to_page(dpage, doff, (const u8 *)s->buf + spos, n);
		return;
	}
	spage = aifab_efa_seg_page(s, spos, &soff);
	memcpy_page(dpage, doff, spage, soff, n);
}

/**
 * aifab_efa_copy() - copy bytes from a gather list to a scatter list
 * @dst: the receiving pieces, all in region pages
 * @ndst: how many
 * @src: the sending pieces
 * @nsrc: how many
 * @len: bytes to copy; no more than either list holds
 */
void aifab_efa_copy(const struct aifab_efa_seg *dst, unsigned int ndst,
		    const struct aifab_efa_seg *src, unsigned int nsrc,
		    u64 len)
{
	unsigned int di = 0, si = 0;
	u32 dpos = 0, spos = 0, n;

	while (len && di < ndst && si < nsrc) {
		if (dpos == dst[di].len) {
			di++;
			dpos = 0;
			continue;
		}
		if (spos == src[si].len) {
			si++;
			spos = 0;
			continue;
		}
		n = min_t(u64, len, min(aifab_efa_seg_run(&dst[di], dpos),
					aifab_efa_seg_run(&src[si], spos)));
		aifab_efa_copy_run(&dst[di], dpos, &src[si], spos, n);
		dpos += n;
		spos += n;
		len -= n;
	}
	WARN_ON_ONCE(len);
}
