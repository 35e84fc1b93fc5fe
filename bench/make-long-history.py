#!/usr/bin/env python3
"""Emit a `git fast-import` stream for pyorgo's long-history benchmark repository.

    python3 bench/make-long-history.py | git -C history.git fast-import --quiet

Deterministic (fixed seed, fixed dates, nothing read from the environment);
Python 3 standard library only.

What it builds (see bench/README.md):
  * ~52,000 commits on main, 2019-01-07 to 2024-12-27 (six years), by 80
    authors: 76 people, each with a main language, an active period and a
    Zipf-like weight, 14 of whom also commit under a second address (and 4
    under a second spelling of their name), mapped back by a `.mailmap`;
    and 4 bots (dependabot, renovate, github-actions, pre-commit-ci) that
    touch manifests, lock files and the changelog;
  * 1-5 files changed per commit in a tree of ~2,600 files growing to
    ~4,000 (edits, additions, removals, renames), Python, Go, TypeScript,
    YAML, Markdown, JSON, shell;
  * about one pull-request merge (a topic branch of 1-4 commits, with 0-3
    commits landing on main meanwhile) every 45 commits.

Blobs come from a fixed pool per kind of file and are reused across commits
through marks, which keeps the stream (and the generation) small and fast.
"""

import math
import random
import sys

SEED = 19790508
N_COMMITS = 51_000  # non-merge commits (main + topic branches)
T_START = 1546851600  # 2019-01-07 09:00:00 UTC
T_END = 1735290000  # 2024-12-27 09:00:00 UTC

FIRST = ("Aiko Amir Ana Arjun Bea Bilal Carla Chen Dana Dario Elif Emeka Eva Femi Gita Hugo Ines "
         "Ivan Jana Joao Kai Kemal Lara Leon Lina Luca Mara Mateo Mei Nadia Nico Noor Olga Omar "
         "Pia Priya Rafael Rosa Sami Sara Tariq Tess Uma Vera Wen Yara Yusuf Zoe Ravi Hana").split()
LAST = ("Abe Adeyemi Alvarez Bauer Brooks Costa Dubois Eriksen Fischer Garcia Haddad Ito Jensen "
        "Kowalski Kumar Larsen Lopez Meyer Moreau Nakamura Novak Okafor Olsen Park Petrov Quinn "
        "Rossi Sato Schmidt Silva Singh Tanaka Ueda Varga Weber Wong Yilmaz Zhang").split()
TZ = ["+0000", "+0100", "+0200", "+0530", "+0800", "+0900", "-0300", "-0500", "-0800"]
BOTS = [
    ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", "deps"),
    ("renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com", "deps"),
    ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com", "changelog"),
    ("pre-commit-ci[bot]", "66853113+pre-commit-ci[bot]@users.noreply.github.com", "lint"),
]
SPECIALTIES = ["py"] * 30 + ["go"] * 22 + ["web"] * 12 + ["infra"] * 6 + ["mixed"] * 6
KIND_EXT = {"py": ".py", "go": ".go", "ts": ".ts", "tsx": ".tsx", "yaml": ".yaml",
            "md": ".md", "json": ".json", "sh": ".sh"}
SPEC_KINDS = {"py": ["py"], "go": ["go"], "web": ["ts", "tsx", "json"], "infra": ["yaml", "sh", "json"],
              "mixed": ["py", "go", "ts", "md"]}
WORDS = ("account order invoice payment user session token cart item price stock quote report "
         "event metric alert route gateway proxy cache queue worker job task batch stream record "
         "feature model vector score label dataset shard node cluster tenant policy rule limit "
         "quota ledger refund charge customer product catalog search index query filter page "
         "config secret webhook notify device health probe").split()
VERBS = "get list create update delete fetch load store parse build compute sync merge retry".split()

LINES = {
    "py": ["def {v}_{w}(x):", "    return {w}_client.{v}(x, timeout={n})", "async def {v}_{w}s(ids):",
           "    return await asyncio.gather(*({v}_{w}(i) for i in ids))", "import torch",
           "from fastapi import APIRouter", "class {W}(BaseModel):", "    {w}_id: int = {n}",
           "    # keep the {w} cache warm", "log.info('{w} %s', {w}_id)", ""],
    "go": ["func {V}{W}(ctx context.Context) error {{", "\tgo func() {{ done <- {v}{W}(ctx) }}()",
           "\treturn nil", "}}", "type {W} struct {{ ID string; N int }}", "\tmu.Lock()",
           "\tdefer mu.Unlock()", "\thttp.HandleFunc(\"/{w}\", s.{v}{W})", "// {W} caches {w}s", ""],
    "ts": ["export function {v}{W}(id: string) {{", "  return fetch(`/api/{w}s/${{id}}`);", "}}",
           "export interface {W} {{ id: string; n: number }}", "const {w}Limit = {n};", ""],
    "tsx": ["export const {W}View = () => <div className=\"{w}\">{{{n}}}</div>;",
            "import {{ useState }} from \"react\";", "const [{w}, set{W}] = useState({n});", ""],
    "yaml": ["- name: {w}-{v}", "  image: registry.example.com/{w}:{n}", "  replicas: {n}",
             "  env: [{{name: {W}_LIMIT, value: \"{n}\"}}]"],
    "md": ["## {W} {w}", "The {w} service {v}s every {w} in {n} ms.", "", "- {v} the {w}"],
    "json": ["  \"{w}_{v}\": {n},", "  \"{w}\": \"{v}\","],
    "sh": ["{w}_{v}() {{ curl -fsS localhost:{n}/{w}; }}", "set -euo pipefail", "echo {w} {n}"],
}


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def w(self):
        return self.r.choice(WORDS)

    def v(self):
        return self.r.choice(VERBS)


def fill(g, line):
    w, v = g.w(), g.v()
    return line.format(w=w, v=v, W=w.capitalize(), V=v.capitalize(), n=g.r.randint(1, 9999))


def make_blob_text(g, kind, ident):
    size = max(60, min(60_000, int(g.r.lognormvariate(math.log(1400), 0.9))))
    lines = LINES[kind]
    c = "#" if kind in ("py", "yaml", "sh") else "//"
    if kind == "md":
        out = [f"<!-- {ident} -->"]
    elif kind == "json":
        out = ["{", f'  "_id": "{ident}",']
    else:
        out = [f"{c} {ident}"]
    if kind == "go":
        out += ["", f"package {g.w()}", ""]
    n = sum(len(x) for x in out)
    while n < size:
        s = fill(g, g.r.choice(lines))
        out.append(s)
        n += len(s) + 1
    if kind == "json":
        out.append('  "_end": 0\n}')
    return "\n".join(out) + "\n"


class Stream:
    def __init__(self, out):
        self.w = out.write
        self.mark = 0

    def blob(self, text):
        data = text.encode()
        self.mark += 1
        self.w(b"blob\nmark :%d\ndata %d\n%s\n" % (self.mark, len(data), data))
        return self.mark

    def commit(self, ref, author, committer, msg, parent, merge, changes):
        self.mark += 1
        m = msg.encode()
        w = self.w
        w(b"commit %s\nmark :%d\nauthor %s\ncommitter %s\ndata %d\n%s\n"
          % (ref, self.mark, author, committer, len(m), m))
        if parent:
            w(b"from :%d\n" % parent)
        if merge:
            w(b"merge :%d\n" % merge)
        for path, mark in changes:
            if mark is None:
                w(b"D %s\n" % path.encode())
            else:
                w(b"M %s :%d %s\n" % (b"100755" if path.endswith(".sh") else b"100644", mark, path.encode()))
        w(b"\n")
        return self.mark


def make_authors(g):
    people, seen = [], set()
    while len(people) < 76:
        f, l = g.r.choice(FIRST), g.r.choice(LAST)
        if (f, l) in seen:
            continue
        seen.add((f, l))
        span = T_END - T_START
        a = T_START + int(g.r.random() ** 2 * span * 0.8)  # more early joiners
        b = min(T_END, a + int(span * g.r.uniform(0.15, 1.0)))
        people.append({
            "name": f"{f} {l}", "email": f"{f.lower()}.{l.lower()}@acme.dev",
            "spec": g.r.choice(SPECIALTIES), "tz": g.r.choice(TZ),
            "weight": 1.0 / (len(people) + 1) ** 0.9, "from": a, "to": b,
            "alias": None,
        })
    g.r.shuffle(people)
    # 14 people also commit under a second address; 4 of them with another spelling
    mailmap = []
    for i, p in enumerate(people[:14]):
        first, last = p["name"].split()
        alt_email = f"{first.lower()}@{g.r.choice(['gmail.com', 'old-acme.com', 'users.noreply.github.com'])}"
        alt_name = f"{first[0]}. {last}" if i < 4 else p["name"]
        p["alias"] = (alt_name, alt_email)
        if alt_name != p["name"]:
            mailmap.append(f"{p['name']} <{p['email']}> {alt_name} <{alt_email}>")
        else:
            mailmap.append(f"{p['name']} <{p['email']}> <{alt_email}>")
    return people, "\n".join(sorted(mailmap)) + "\n"


def initial_tree(g):
    files = []
    svcs = sorted({f"{g.w()}-{g.r.choice(['api', 'worker', 'ml'])}" for _ in range(40)})[:24]
    for s in svcs:
        for sub in ["api", "models", "core", "db", "tests"]:
            for j in range(g.r.randint(8, 20)):
                files.append((f"services/{s}/app/{sub}/{g.w()}_{g.v()}_{j}.py", "py"))
        files.append((f"services/{s}/requirements.txt", "req"))
        files.append((f"deploy/{s}/deployment.yaml", "yaml"))
    for p in sorted({f"{g.w()}/{g.w()}" for _ in range(120)})[:80]:
        for j in range(g.r.randint(6, 14)):
            files.append((f"internal/{p}/{g.w()}_{j}.go", "go"))
    for app in ["console", "admin", "storefront"]:
        for sub in ["components", "pages", "api", "hooks"]:
            for j in range(g.r.randint(25, 60)):
                k = "tsx" if sub in ("components", "pages") else "ts"
                files.append((f"web/{app}/src/{sub}/{g.w()}{g.v().capitalize()}{j}{KIND_EXT[k]}", k))
        files.append((f"web/{app}/package.json", "pkg"))
        files.append((f"web/{app}/package-lock.json", "lock"))
    for d in ["architecture", "runbooks", "api", "adr"]:
        for j in range(g.r.randint(15, 40)):
            files.append((f"docs/{d}/{g.w()}-{j}.md", "md"))
    for j in range(60):
        files.append((f"config/{g.w()}/{g.w()}_{j}.json", "json"))
    for j in range(40):
        files.append((f"scripts/{g.w()}_{j}.sh", "sh"))
    files += [("go.mod", "gomod"), ("go.sum", "gosum"), ("CHANGELOG.md", "changelog"),
              (".pre-commit-config.yaml", "precommit"), ("README.md", "md")]
    seen, out = set(), []
    for p, k in files:
        if p not in seen:
            seen.add(p)
            out.append((p, k))
    return out


def manifest_text(g, kind, i):
    if kind == "req":
        return "".join(f"{p}=={a}.{b}.{i % 30}\n" for p, a, b in [("fastapi", 0, 110), ("pydantic", 2, 6),
                                                                  ("torch", 2, 2), ("httpx", 0, 27)])
    if kind == "gomod":
        return f"module github.com/acme/platform\n\ngo 1.2{i % 4}\n\nrequire (\n\tgolang.org/x/sync v0.{i % 9}.0\n\tgoogle.golang.org/grpc v1.{50 + i % 20}.0\n)\n"
    if kind == "gosum":
        return "".join(f"github.com/acme/{g.w()} v1.{j}.{i} h1:{g.r.getrandbits(160):040x}=\n" for j in range(120))
    if kind == "pkg":
        return f'{{\n  "name": "web",\n  "version": "1.{i}.0",\n  "dependencies": {{"react": "^18.{i % 3}.0"}}\n}}\n'
    if kind == "lock":
        return "{\n" + "".join(f'  "node_modules/{g.w()}-{j}": {{"version": "{j}.{i}.0"}},\n' for j in range(150)) + '  "_": 0\n}\n'
    if kind == "changelog":
        return f"# Changelog\n\n## v{i // 10}.{i % 10}.0\n\n" + "".join(f"- {g.v()} {g.w()}\n" for _ in range(40))
    if kind == "precommit":
        return f"repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.{i}.0\n    hooks: [{{id: ruff}}]\n"
    raise KeyError(kind)


def main():
    g = Gen(SEED)
    out = sys.stdout.buffer
    s = Stream(out)
    people, mailmap = make_authors(g)

    # blob pools
    pool = {}
    for kind, n in [("py", 6000), ("go", 5000), ("ts", 1800), ("tsx", 1500), ("yaml", 900), ("md", 1200),
                    ("json", 700), ("sh", 300)]:
        pool[kind] = [s.blob(make_blob_text(g, kind, f"{kind}-{i}")) for i in range(n)]
    for kind in ["req", "gomod", "gosum", "pkg", "lock", "changelog", "precommit"]:
        pool[kind] = [s.blob(manifest_text(g, kind, i)) for i in range(60)]

    files = initial_tree(g)
    state = {}  # path -> (kind, mark)
    by_kind = {}  # kind -> list of paths (may hold deleted ones; checked against state)
    changes = []
    for i, (p, k) in enumerate(files):
        m = pool[k][i % len(pool[k])]
        state[p] = (k, m)
        by_kind.setdefault(k, []).append(p)
        changes.append((p, m))
    changes.append((".mailmap", s.blob(mailmap)))
    dirs = {k: sorted({p.rsplit("/", 1)[0] for p in ps}) for k, ps in by_kind.items()}

    # dates: random gaps scaled to span six years exactly
    n_total = N_COMMITS + N_COMMITS // 40 + 16
    gaps = [g.r.expovariate(1.0) for _ in range(n_total)]
    scale = (T_END - T_START) / sum(gaps)
    times = []
    t = float(T_START)
    for x in gaps:
        t += x * scale
        times.append(int(t))
    ti = 0

    def ident(who, when):
        return b"%s <%s> %d %s" % (who[0].encode(), who[1].encode(), when, who[2].encode())

    founder = people[0]
    now = times[ti]
    ti += 1
    main_head = s.commit(b"refs/heads/main", ident((founder["name"], founder["email"], founder["tz"]), now),
                         ident((founder["name"], founder["email"], founder["tz"]), now),
                         "Initial import\n", None, None, changes)

    def pick_author(when):
        if g.r.random() < 0.06:
            return None
        act = [p for p in people if p["from"] <= when <= p["to"]] or people[:5]
        tot = sum(p["weight"] for p in act)
        x = g.r.random() * tot
        for p in act:
            x -= p["weight"]
            if x <= 0:
                return p
        return act[-1]

    def live(kind):
        ps = by_kind.get(kind) or []
        for _ in range(8):
            p = g.r.choice(ps)
            if p in state:
                return p
        return None

    def make_changes(p, overlay):
        """Changes for one commit by person p (None: a bot). overlay: path -> mark|None, updated."""
        chg = []

        def cur(path):
            if path in overlay:
                return overlay[path] is not None
            return path in state

        if p is None:
            bot = g.r.choice(BOTS)
            kind = bot[2]
            if kind == "deps":
                pair = g.r.choice([("req",), ("gomod", "gosum"), ("pkg", "lock")])
                for k in pair:
                    path = live(k)
                    if path:
                        chg.append((path, g.r.choice(pool[k])))
                msg = f"build(deps): bump {g.w()}-{g.v()} from 1.{g.r.randint(0, 9)}.0 to 1.{g.r.randint(10, 20)}.0\n"
            elif kind == "changelog":
                chg.append(("CHANGELOG.md", g.r.choice(pool["changelog"])))
                msg = f"chore(release): v{g.r.randint(1, 9)}.{g.r.randint(0, 40)}.0\n"
            else:
                chg.append((".pre-commit-config.yaml", g.r.choice(pool["precommit"])))
                for _ in range(g.r.randint(0, 2)):
                    path = live("py")
                    if path:
                        chg.append((path, g.r.choice(pool["py"])))
                msg = "[pre-commit.ci] auto fixes from pre-commit.com hooks\n"
            for path, m in chg:
                overlay[path] = m
            return (bot[0], bot[1], "+0000"), chg, msg
        kinds = SPEC_KINDS[p["spec"]]
        n = g.r.choices([1, 2, 3, 4, 5], [40, 25, 15, 12, 8])[0]
        verb = g.v()
        for _ in range(n):
            kind = g.r.choice(kinds) if g.r.random() < 0.8 else g.r.choice(list(KIND_EXT))
            r = g.r.random()
            if r < 0.87:
                path = live(kind)
                if path and cur(path):
                    chg.append((path, g.r.choice(pool[kind])))
            elif r < 0.93:
                path = f"{g.r.choice(dirs[kind])}/{g.w()}_{g.v()}_{ti}{KIND_EXT[kind]}"
                if not cur(path):
                    chg.append((path, g.r.choice(pool[kind])))
                    by_kind[kind].append(path)
            elif r < 0.98:
                path = live(kind)
                if path and cur(path):
                    chg.append((path, None))
            else:
                path = live(kind)
                if path and cur(path):
                    new = f"{g.r.choice(dirs[kind])}/{path.rsplit('/', 1)[-1]}"
                    if not cur(new):
                        chg.append((path, None))
                        chg.append((new, overlay.get(path) or state[path][1]))
                        by_kind[kind].append(new)
            for path, m in chg[-2:]:
                overlay[path] = m
        msg = f"{g.r.choice(['fix', 'feat', 'refactor', 'test', 'perf', 'docs'])}({g.w()}): {verb} {g.w()} {g.w()}\n"
        who = (p["name"], p["email"])
        if p["alias"] and g.r.random() < 0.35:
            who = p["alias"]
        return (who[0], who[1], p["tz"]), chg, msg

    def apply(overlay):
        for path, m in overlay.items():
            if m is None:
                state.pop(path, None)
            else:
                kind = state[path][0] if path in state else kind_of(path)
                state[path] = (kind, m)

    def kind_of(path):
        for k, e in KIND_EXT.items():
            if path.endswith(e):
                return k
        return "json"

    made = 0
    pr = 0
    last_pr_at = -1
    merges = 0
    while made < N_COMMITS:
        if made % 45 == 44 and made != last_pr_at:
            last_pr_at = made
            # a pull request: topic commits, maybe some main commits, then the merge
            pr += 1
            owner = pick_author(times[ti]) or people[1]
            topic = {}
            parent = main_head
            head = None
            for _ in range(g.r.randint(1, 4)):
                now = times[ti]
                who, chg, msg = make_changes(owner, topic)
                if not chg:
                    continue
                ti += 1
                head = s.commit(b"refs/heads/topic", ident(who, now), ident(who, now), msg, parent, None, chg)
                parent = None
                made += 1
            for _ in range(g.r.randint(0, 3)):
                now = times[ti]
                p = pick_author(now)
                main_ov = {}
                who, chg, msg = make_changes(p, main_ov)
                chg = [c for c in chg if c[0] not in topic]
                if not chg:
                    continue
                ti += 1
                apply({k: v for k, v in main_ov.items() if k not in topic})
                main_head = s.commit(b"refs/heads/main", ident(who, now), ident(who, now), msg, None, None, chg)
                made += 1
            if head:
                now = times[ti]
                ti += 1
                net = sorted(topic.items())
                net = [(k, v) for k, v in net if not (v is None and k not in state)]
                apply(dict(net))
                who = (owner["name"], owner["email"], owner["tz"])
                gh = ("GitHub", "noreply@github.com", "+0000")
                main_head = s.commit(b"refs/heads/main", ident(who, now), ident(gh, now),
                                     f"Merge pull request #{pr} from acme/topic-{pr}\n", None, head, net)
                merges += 1
            continue
        now = times[ti]
        p = pick_author(now)
        ov = {}
        who, chg, msg = make_changes(p, ov)
        if not chg:
            continue
        ti += 1
        apply(ov)
        main_head = s.commit(b"refs/heads/main", ident(who, now), ident(who, now), msg, None, None, chg)
        made += 1
    out.write(b"reset refs/heads/topic\n\ndone\n")
    out.flush()
    print(f"make-long-history: last date {times[ti - 1]}, {made} commits + {merges} merges, {len(state) + 1} files at HEAD", file=sys.stderr)


if __name__ == "__main__":
    main()
