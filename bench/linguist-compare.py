#!/usr/bin/env python3
"""Compare pyorgo's language mix with GitHub Linguist's, repository by repository.

For each repository (a work tree or a bare repository; both tools read the
committed HEAD and its .gitattributes, never the work tree) it runs

    github-linguist REPO --breakdown --json
    pyorgo scan REPO --format json --no-history

and prints, per language: Linguist bytes and share, pyorgo bytes and share,
and the difference in points. A language whose share is above --above (5%)
in either tool and differs by more than --points (2) is flagged; the exit
status is 1 when any language is flagged, 2 on a usage or tool error.

Shares are recomputed from bytes: Linguist's over every language it
reports (programming and markup, or linguist-detectable), pyorgo's over
the languages with in_share set. A language that pyorgo measures but
leaves out of the share (data, prose) shows its bytes and a share of 0.

    bench/linguist-compare.py [--markdown] [--min-share 1] REPO...
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time


def run_json(cmd):
    t0 = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.monotonic() - t0
    if p.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), p.returncode,
                                              p.stderr.decode(errors="replace").strip()[:400]))
    try:
        return json.loads(p.stdout), elapsed
    except ValueError as e:
        raise RuntimeError("%s: not JSON: %s" % (" ".join(cmd), e))


def linguist_mix(linguist, repo):
    data, elapsed = run_json([linguist, repo, "--breakdown", "--json"])
    sizes = {name: int(v["size"]) for name, v in data.items()}
    files = {name: len(v.get("files", [])) for name, v in data.items()}
    return sizes, files, elapsed


def pyorgo_mix(pyorgo, repo, rules=None):
    cmd = [pyorgo, "scan", repo, "--format", "json", "--no-history"]
    if rules:
        cmd += ["--rules", rules]
    data, elapsed = run_json(cmd)
    sizes, files, in_share = {}, {}, {}
    for lang in data.get("languages", []):
        sizes[lang["name"]] = int(lang["bytes"])
        files[lang["name"]] = int(lang["files"])
        in_share[lang["name"]] = bool(lang["in_share"])
    return sizes, files, in_share, elapsed, data


def shares(sizes, counted):
    total = sum(b for n, b in sizes.items() if counted(n))
    return {n: (100.0 * b / total if total and counted(n) else 0.0) for n, b in sizes.items()}


def compare(repo, args):
    l_bytes, l_files, l_time = linguist_mix(args.linguist, repo)
    p_bytes, p_files, p_in, p_time, _ = pyorgo_mix(args.pyorgo, repo, args.rules)
    l_share = shares(l_bytes, lambda n: True)
    p_share = shares(p_bytes, lambda n: p_in.get(n, False))
    rows = []
    for name in set(l_bytes) | set(p_bytes):
        ls, ps = l_share.get(name, 0.0), p_share.get(name, 0.0)
        diff = ps - ls
        flagged = max(ls, ps) > args.above and abs(diff) > args.points
        rows.append({
            "language": name,
            "linguist_bytes": l_bytes.get(name, 0),
            "linguist_files": l_files.get(name, 0),
            "linguist_share": ls,
            "pyorgo_bytes": p_bytes.get(name, 0),
            "pyorgo_files": p_files.get(name, 0),
            "pyorgo_share": ps,
            "pyorgo_in_share": p_in.get(name, False),
            "diff": diff,
            "flagged": flagged,
        })
    rows.sort(key=lambda r: (-max(r["linguist_share"], r["pyorgo_share"]), r["language"]))
    return {
        "repository": repo,
        "linguist_seconds": l_time,
        "pyorgo_seconds": p_time,
        "linguist_total": sum(l_bytes.values()),
        "pyorgo_total": sum(b for n, b in p_bytes.items() if p_in.get(n)),
        "rows": rows,
        "flagged": [r["language"] for r in rows if r["flagged"]],
        "max_diff_above": max([abs(r["diff"]) for r in rows
                               if max(r["linguist_share"], r["pyorgo_share"]) > args.above] or [0.0]),
    }


def shown(rows, args):
    return [r for r in rows if args.all or r["flagged"] or
            max(r["linguist_share"], r["pyorgo_share"]) >= args.min_share]


def print_text(res, args, out):
    out.write("== %s  (Linguist %.2f s, pyorgo %.2f s)\n" % (
        res["repository"], res["linguist_seconds"], res["pyorgo_seconds"]))
    fmt = "%-24s %12s %7s %12s %7s %7s  %s\n"
    out.write(fmt % ("language", "linguist B", "%", "pyorgo B", "%", "diff", ""))
    for r in shown(res["rows"], args):
        note = "FLAG" if r["flagged"] else ""
        if r["pyorgo_bytes"] and not r["pyorgo_in_share"]:
            note = (note + " not in pyorgo's share").strip()
        out.write(fmt % (r["language"][:24], r["linguist_bytes"], "%.2f" % r["linguist_share"],
                         r["pyorgo_bytes"], "%.2f" % r["pyorgo_share"],
                         "%+.2f" % r["diff"], note))
    hidden = len(res["rows"]) - len(shown(res["rows"], args))
    out.write("(%d languages below %.1f%% not shown; total in share: Linguist %d B, pyorgo %d B)\n"
              % (hidden, args.min_share, res["linguist_total"], res["pyorgo_total"]))
    out.write("%s\n\n" % ("FLAGGED: " + ", ".join(res["flagged"]) if res["flagged"]
                          else "agree: every language above %.0f%% within %.0f points (largest %.2f)"
                          % (args.above, args.points, res["max_diff_above"])))


def print_markdown(res, args, out):
    name = args.names.get(res["repository"], res["repository"])
    out.write("### %s\n\n" % name)
    out.write("| language | Linguist bytes | Linguist % | pyorgo bytes | pyorgo % | diff (points) |\n")
    out.write("| --- | ---: | ---: | ---: | ---: | ---: |\n")
    for r in shown(res["rows"], args):
        lang = r["language"]
        if r["pyorgo_bytes"] and not r["pyorgo_in_share"]:
            lang += " (not in share)"
        if r["flagged"]:
            lang = "**%s**" % lang
        out.write("| %s | %d | %.2f | %d | %.2f | %+.2f |\n" % (
            lang, r["linguist_bytes"], r["linguist_share"], r["pyorgo_bytes"],
            r["pyorgo_share"], r["diff"]))
    hidden = len(res["rows"]) - len(shown(res["rows"], args))
    out.write("\n%d languages below %.0f%% not shown. Largest difference above %.0f%%: "
              "%.2f points. Linguist %.1f s, pyorgo %.2f s.\n\n" % (
                  hidden, args.min_share, args.above, res["max_diff_above"],
                  res["linguist_seconds"], res["pyorgo_seconds"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("repos", nargs="+", metavar="REPO",
                    help="repository (work tree or bare); NAME=REPO names it in markdown")
    ap.add_argument("--markdown", action="store_true", help="markdown tables (for docs/)")
    ap.add_argument("--json", action="store_true", help="the comparison as JSON")
    ap.add_argument("--linguist", default=os.environ.get("LINGUIST", "github-linguist"))
    ap.add_argument("--pyorgo", default=os.environ.get("PYORGO", "pyorgo"))
    ap.add_argument("--rules", metavar="DIR", help="pass --rules DIR to pyorgo")
    ap.add_argument("--above", type=float, default=5.0,
                    help="check languages whose share is above this in either tool (5)")
    ap.add_argument("--points", type=float, default=2.0,
                    help="largest allowed difference in share points (2)")
    ap.add_argument("--min-share", type=float, default=1.0,
                    help="show languages at or above this share in either tool (1)")
    ap.add_argument("--all", action="store_true", help="show every language")
    args = ap.parse_args()
    for tool in (args.linguist, args.pyorgo):
        if shutil.which(tool) is None:
            sys.stderr.write("linguist-compare: %s not found\n" % tool)
            return 2
    args.names, repos = {}, []
    for spec in args.repos:
        name, sep, path = spec.partition("=")
        if not sep:
            name, path = os.path.basename(os.path.abspath(spec).rstrip("/")), spec
        args.names[path] = name
        repos.append(path)
    results = []
    for repo in repos:
        try:
            res = compare(repo, args)
        except RuntimeError as e:
            sys.stderr.write("linguist-compare: %s\n" % e)
            return 2
        results.append(res)
        if args.json:
            continue
        if args.markdown:
            print_markdown(res, args, sys.stdout)
        else:
            print_text(res, args, sys.stdout)
        sys.stdout.flush()
    if args.json:
        json.dump(results, sys.stdout, indent=1)
        sys.stdout.write("\n")
    flagged = sum(len(r["flagged"]) for r in results)
    if not args.markdown and not args.json:
        print("%d repositories, %d flagged languages" % (len(results), flagged))
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
