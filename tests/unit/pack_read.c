/*
 * pack_read: the pack reader (pack.c) against libgit2 on repositories the
 * test builds with git: every object of a history packed with offset
 * deltas, of the same packed with reference deltas, loose objects next
 * to packs, and a damaged pack (never a crash, never a wrong object when
 * libgit2 reads it right).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <git2.h>

#include "pack_int.h" /* TRIM_EVERY */

static char dir[1024];

static void sh(const char *script)
{
	char cmd[8192];

	snprintf(cmd, sizeof(cmd),
	         "set -e; cd '%s'; export HOME='%s' GIT_CONFIG_NOSYSTEM=1 "
	         "GIT_AUTHOR_NAME=A GIT_AUTHOR_EMAIL=a@example.com "
	         "GIT_COMMITTER_NAME=A GIT_COMMITTER_EMAIL=a@example.com "
	         "GIT_AUTHOR_DATE='2024-01-02T03:04:05Z' "
	         "GIT_COMMITTER_DATE='2024-01-02T03:04:05Z'; %s",
	         dir, dir, script);
	assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
	const char *tmp = getenv("TEST_TMP");
	char cmd[4096];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/pack_read", tmp ? tmp : "/tmp");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s'", dir, dir);
	if (system(cmd))
		return -1;
	git_libgit2_init();
	/* 80 commits: a growing file (deltas copy more than 64 KiB), deep
	 * trees changing every commit, an empty file */
	sh("git init -q -b main r && cd r && mkdir -p a/b/c d && : > d/empty"
	   " && i=0 && while [ $i -lt 80 ]; do i=$((i+1));"
	   " seq 1 $((20000 + i * 7)) > big.txt;"
	   " echo \"x = $i\" >> a/b/c/m.py; echo $i > d/n$((i % 9)).txt;"
	   " git add -A && git commit -q -m c$i; done"
	   " && git gc -q --aggressive"
	   " && echo loose > loose.txt && git add loose.txt"
	   " && git commit -q -m loose");
	sh("git clone -q --bare r ref.git && cd ref.git"
	   " && git -c repack.useDeltaBaseOffset=false repack -q -a -d -f");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	git_libgit2_shutdown();
	return 0;
}

struct ids {
	git_oid *items;
	size_t nr, alloc;
};

static int collect(const git_oid *id, void *payload)
{
	struct ids *l = payload;

	if (l->nr == l->alloc) {
		l->alloc = l->alloc ? l->alloc * 2 : 256;
		l->items = realloc(l->items, l->alloc * sizeof(*l->items));
		assert_non_null(l->items);
	}
	l->items[l->nr++] = *id;
	return 0;
}

/* Reads every object both ways; returns how many came from packs. */
static size_t compare_all(const char *repo_dir, int damaged)
{
	char path[1200];
	git_repository *repo;
	git_odb *odb;
	struct pyo_reader *r;
	struct ids ids = { 0 };
	size_t i, packs, odbs, sizes = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, repo_dir);
	assert_int_equal(git_repository_open(&repo, path), 0);
	assert_int_equal(git_repository_odb(&odb, repo), 0);
	assert_int_equal(git_odb_foreach(odb, collect, &ids), 0);
	assert_true(ids.nr > 200);
	assert_int_equal(pyo_reader_new(&r, repo, odb, 1u << 20), 0);
	for (i = 0; i < ids.nr; i++) {
		git_odb_object *g = NULL;
		struct pyo_obj *o = NULL;
		int ge = git_odb_read(&g, odb, &ids.items[i]);
		int pe = pyo_reader_read(&o, r, &ids.items[i]);

		if (!damaged) {
			assert_int_equal(ge, 0);
			assert_int_equal(pe, 0);
		}
		if (!ge && !pe) {
			assert_int_equal(o->type, git_odb_object_type(g));
			assert_int_equal(o->len, git_odb_object_size(g));
			assert_memory_equal(o->data, git_odb_object_data(g),
			                    o->len);
			assert_int_equal(o->data[o->len], '\0');
		}
		/* the size and type from the pack entry alone */
		if (!ge) {
			size_t sz = 0;
			git_object_t ty = GIT_OBJECT_INVALID;

			if (!pyo_reader_size(r, &ids.items[i], &sz, &ty)) {
				assert_int_equal(sz, git_odb_object_size(g));
				assert_int_equal(ty, git_odb_object_type(g));
				sizes++;
			}
		}
		/* read again: from the reader's cache this time */
		if (!pe) {
			struct pyo_obj *again = NULL;

			assert_int_equal(
			        pyo_reader_read(&again, r, &ids.items[i]), 0);
			assert_int_equal(again->len, o->len);
			assert_memory_equal(again->data, o->data, o->len);
			pyo_obj_free(again);
		}
		pyo_obj_free(o);
		git_odb_object_free(g);
	}
	/* sizes again, three times over: past TRIM_EVERY calls the reader
	 * drops its view of the pack pages, and reads them back */
	assert_true(3 * ids.nr > TRIM_EVERY);
	for (i = 0; !damaged && i < 3 * ids.nr; i++) {
		git_odb_object *g = NULL;
		size_t sz = 0;

		if (pyo_reader_size(r, &ids.items[i % ids.nr], &sz, NULL))
			continue; /* loose: libgit2's */
		assert_int_equal(git_odb_read(&g, odb, &ids.items[i % ids.nr]),
		                 0);
		assert_int_equal(sz, git_odb_object_size(g));
		git_odb_object_free(g);
	}
	pyo_reader_counts(r, &packs, &odbs);
	if (!damaged)
		assert_int_equal(sizes * 2, packs); /* read twice, sized once */
	pyo_reader_free(r);
	git_odb_free(odb);
	git_repository_free(repo);
	free(ids.items);
	return packs;
}

static void test_offset_deltas_and_loose(void **state)
{
	(void)state;
	/* the last commit's objects are loose: read through libgit2 */
	assert_true(compare_all("r", 0) > 200);
}

static void test_alternates(void **state)
{
	(void)state;
	/* a shared clone holds no pack of its own: every object comes from
	 * the alternate's pack, through the reader */
	sh("rm -rf shared && git clone -q --shared r shared");
	assert_true(compare_all("shared", 0) > 200);
}

static void test_reference_deltas(void **state)
{
	(void)state;
	/* repack.useDeltaBaseOffset=false: 227 of its 724 entries are
	 * reference deltas (type 7), where "r" has offset deltas (type 6) */
	sh("cd ref.git && git verify-pack -v objects/pack/*.idx"
	   " | grep -q 'chain length = 1:'");
	assert_true(compare_all("ref.git", 0) > 200);
}

static void test_damaged_pack(void **state)
{
	(void)state;
	/* bytes overwritten in the middle of the pack */
	sh("rm -rf bad.git && cp -r ref.git bad.git && cd bad.git"
	   " && p=$(ls objects/pack/*.pack) && chmod u+w \"$p\""
	   " && size=$(stat -c %s \"$p\")"
	   " && printf 'garbage!garbage!garbage!' | dd of=\"$p\" bs=1"
	   " seek=$((size / 2)) conv=notrunc status=none");
	compare_all("bad.git", 1);
}

/*
 * Reads every object of `pristine`'s copy `flipped` (damaged) with no
 * libgit2 behind the reader (libgit2 1.5 itself crashes on some of these
 * packs). Never a crash; with `exact`, every object the reader gives is
 * the pristine one (zlib's checksum and the delta's sizes catch a changed
 * byte of the pack; a changed index offset can point at another object,
 * as in libgit2 without hash verification).
 */
static void read_flipped(const char *pristine, const char *flipped, int exact)
{
	char path[1200];
	git_repository *good, *bad;
	git_odb *odb;
	struct pyo_reader *r;
	struct ids ids = { 0 };
	size_t i;

	snprintf(path, sizeof(path), "%s/%s", dir, pristine);
	assert_int_equal(git_repository_open(&good, path), 0);
	assert_int_equal(git_repository_odb(&odb, good), 0);
	assert_int_equal(git_odb_foreach(odb, collect, &ids), 0);
	snprintf(path, sizeof(path), "%s/%s", dir, flipped);
	assert_int_equal(git_repository_open(&bad, path), 0);
	assert_int_equal(pyo_reader_new(&r, bad, NULL, 1u << 20), 0);
	for (i = 0; i < ids.nr; i++) {
		git_odb_object *g = NULL;
		struct pyo_obj *o = NULL;
		size_t sz;

		(void)pyo_reader_size(r, &ids.items[i], &sz, NULL);
		if (pyo_reader_read(&o, r, &ids.items[i]) < 0)
			continue;
		assert_int_equal(git_odb_read(&g, odb, &ids.items[i]), 0);
		if (exact) {
			assert_int_equal(o->len, git_odb_object_size(g));
			assert_memory_equal(o->data, git_odb_object_data(g),
			                    o->len);
		}
		git_odb_object_free(g);
		pyo_obj_free(o);
	}
	pyo_reader_free(r);
	git_repository_free(bad);
	git_odb_free(odb);
	git_repository_free(good);
	free(ids.items);
}

/*
 * One byte changed at a time, at 32 places spread over the pack and its
 * index, with offset and with reference deltas. ASan in CI sees any read
 * past a mapping.
 */
static void test_flipped_bytes(void **state)
{
	static const char *const repos[] = { "r", "ref.git" };
	size_t k, n;

	(void)state;
	for (n = 0; n < 2; n++) {
		for (k = 0; k < 32; k++) {
			char cmd[1400];

			/* the pack for even k, the index for odd k */
			snprintf(cmd, sizeof(cmd),
			         "rm -rf flip.git && cp -r %s flip.git && "
			         "chmod -R u+w flip.git && cd flip.git && "
			         "g=$( [ -d .git ] && echo .git || echo .) && "
			         "f=$(ls $g/objects/pack/*.%s) && "
			         "size=$(stat -c %%s \"$f\") && "
			         "at=$(( (size * %zu) / 33 + 7 )) && "
			         "b=$(dd if=\"$f\" bs=1 skip=$at count=1 "
			         "status=none | od -An -tu1 | tr -d ' ') && "
			         "printf \"$(printf '\\\\%%03o' "
			         "$(( (b + 1) %% 256 )))\" | dd of=\"$f\" bs=1 "
			         "seek=$at conv=notrunc status=none",
			         repos[n], k % 2 ? "idx" : "pack", k / 2 + 1);
			sh(cmd);
			read_flipped(repos[n], "flip.git", k % 2 == 0);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_offset_deltas_and_loose),
		cmocka_unit_test(test_reference_deltas),
		cmocka_unit_test(test_alternates),
		cmocka_unit_test(test_damaged_pack),
		cmocka_unit_test(test_flipped_bytes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
