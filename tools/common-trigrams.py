#!/usr/bin/env python3
"""common-trigrams.py: the 4,096 most common three-byte sequences of source
code, for src/engine/kwset_common.c (the anchors of keyword sets avoid
them). Reads .py, .c, .h and .go files under the folders given (test
folders and __pycache__ left out), at most 60 MB, and prints the C array
rows: the three bytes (first byte lowest) and, in the top byte, a
frequency class 1-15 (log2 of the share per million bytes, plus one).

    tools/common-trigrams.py /usr/lib/python3.11 /usr/include > rows.txt

kwset_common.c was made from a Python 3.11 installation (standard
library and packages) and /usr/include.
"""
import os, sys, math, collections
roots = sys.argv[1:]
cnt = collections.Counter(); total = 0
for root in roots:
    for dp, dn, fn in os.walk(root):
        if '/test' in dp or '__pycache__' in dp: continue
        for f in fn:
            if not (f.endswith('.py') or f.endswith('.h') or f.endswith('.go') or f.endswith('.c')): continue
            try: b = open(os.path.join(dp, f), 'rb').read()
            except Exception: continue
            if total > 60_000_000: break
            total += len(b)
            for i in range(len(b) - 2):
                cnt[b[i:i+3]] += 1
print(total, len(cnt), file=sys.stderr)
top = cnt.most_common(4096)
out = []
for t, c in top:
    per_m = c * 1_000_000 / total
    cls = max(1, min(15, int(math.log2(per_m)) + 1))
    out.append((t, cls))
out.sort(key=lambda x: x[0][0] | x[0][1] << 8 | x[0][2] << 16)
print(len(out), top[:5], file=sys.stderr)
vals = [t[0] | t[1] << 8 | t[2] << 16 | cls << 24 for t, cls in out]
for i in range(0, len(vals), 6):
    print('\t' + ', '.join('0x%08x' % v for v in vals[i:i + 6]) + ',')
