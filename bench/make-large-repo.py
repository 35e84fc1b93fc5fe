#!/usr/bin/env python3
"""Emit a `git fast-import` stream for pyorgo's large benchmark repository.

    python3 bench/make-large-repo.py | git -C large.git fast-import --quiet

Deterministic: a fixed seed, fixed dates, no clock and no environment read,
so the same script always yields the same commit ids.  Python 3 standard
library only.

What it builds (see bench/README.md):
  * one initial import of ~56,000 files of a backend monorepo: Python
    FastAPI/torch services, Go services (goroutines, net/http), C/C++
    native code, TS/JS front ends, YAML/JSON/Markdown, a vendored
    node_modules/ and Go vendor/ tree, generated *_pb2.py and *.pb.go,
    notebooks, a Java tree 15 levels deep;
  * sizes drawn from a log-normal distribution per kind of file, a few
    1-5 MB files and one 24 MB SQL dump (added by a later commit, tagged
    `bench/with-big-blob`, its parent `bench/before-big-blob`: the two
    trees differ only by the dump, so scans of the two tags show whether
    peak memory depends on the largest file);
  * 320 small commits on top (1-6 files each: edits, additions, removals)
    so that `check --base HEAD~100` has a realistic range to look at.
"""

import math
import random
import sys

SEED = 20240601
N_HISTORY = 320
BIG_BLOB_AT = 140  # history commit that adds the 24 MB dump
BIG_BLOB_SIZE = 24 * 1024 * 1024
T0 = 1672653600  # 2023-01-02 10:00:00 UTC

WORDS = (
    "account order invoice payment user session token cart item price "
    "stock quote report event metric alert route gateway proxy cache queue "
    "worker job task batch stream record feature model embedding vector "
    "tensor score label dataset sample shard replica node cluster region "
    "tenant policy rule limit quota budget ledger entry refund charge "
    "customer vendor product catalog search index query filter page "
    "cursor offset window bucket snapshot backup restore config secret "
    "key signer webhook notify email sms push device health probe"
).split()
VERBS = (
    "get list create update delete fetch load store save parse build "
    "render compute score predict encode decode validate resolve sync "
    "flush drain merge split apply publish consume dispatch retry"
).split()


def camel(*ws):
    return "".join(w[:1].upper() + w[1:] for w in ws)


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def w(self):
        return self.r.choice(WORDS)

    def v(self):
        return self.r.choice(VERBS)

    def n(self, a=1, b=999):
        return self.r.randint(a, b)


# --------------------------------------------------------------------------
# Code blocks: one function per kind of file, each returns a block of text.
# A corpus of blocks is made once per kind; files are slices of it.


def py_block(g):
    a, b, v = g.w(), g.w(), g.v()
    c = g.r.randrange(7)
    if c == 0:
        return (
            f'@router.get("/{a}s/{{{a}_id}}", response_model={camel(a)}Out)\n'
            f"async def {v}_{a}({a}_id: int, db: Session = Depends(get_db)) -> {camel(a)}Out:\n"
            f'    """Return one {a} with its {b}s."""\n'
            f"    item = await {a}_repo.get(db, {a}_id)\n"
            f"    if item is None:\n"
            f'        raise HTTPException(status_code=404, detail="{a} not found")\n'
            f"    item.{b}s = await {b}_repo.list_for_{a}(db, {a}_id, limit={g.n(10, 500)})\n"
            f"    return item\n\n\n"
        )
    if c == 1:
        return (
            f"class {camel(a, b)}Net(nn.Module):\n"
            f"    def __init__(self, dim: int = {g.n(32, 1024)}, layers: int = {g.n(1, 12)}) -> None:\n"
            f"        super().__init__()\n"
            f"        self.blocks = nn.ModuleList(nn.Linear(dim, dim) for _ in range(layers))\n"
            f"        self.norm = nn.LayerNorm(dim)\n\n"
            f"    def forward(self, x: torch.Tensor) -> torch.Tensor:\n"
            f"        for block in self.blocks:\n"
            f"            x = torch.relu(block(x)) + x\n"
            f"        return self.norm(x)\n\n\n"
        )
    if c == 2:
        return (
            f"class {camel(a)}{camel(b)}(BaseModel):\n"
            f"    {a}_id: int\n"
            f"    {b}: str = Field(..., max_length={g.n(16, 256)})\n"
            f"    {g.w()}_count: int = {g.n(0, 50)}\n"
            f"    created_at: datetime | None = None\n\n\n"
        )
    if c == 3:
        return (
            f"async def {v}_{a}_{b}s(client: httpx.AsyncClient, ids: list[int]) -> list[dict]:\n"
            f"    # fan out to the {b} service, at most {g.n(4, 64)} at a time\n"
            f"    sem = asyncio.Semaphore({g.n(4, 64)})\n\n"
            f"    async def one(i: int) -> dict:\n"
            f"        async with sem:\n"
            f'            r = await client.get(f"/{b}s/{{i}}")\n'
            f"            r.raise_for_status()\n"
            f"            return r.json()\n\n"
            f"    return await asyncio.gather(*(one(i) for i in ids))\n\n\n"
        )
    if c == 4:
        return (
            f"def {v}_{a}(rows: Iterable[Mapping[str, Any]], *, strict: bool = False) -> dict[str, float]:\n"
            f"    totals: dict[str, float] = defaultdict(float)\n"
            f"    for row in rows:\n"
            f'        key = row.get("{b}") or "unknown"\n'
            f"        try:\n"
            f'            totals[key] += float(row["{g.w()}"])\n'
            f"        except (KeyError, ValueError):\n"
            f"            if strict:\n"
            f"                raise\n"
            f'            log.warning("bad {a} row: %r", row)\n'
            f"    return dict(totals)\n\n\n"
        )
    if c == 5:
        return (
            f'@torch.inference_mode()\n'
            f"def predict_{a}(model: {camel(a)}Model, batch: list[str]) -> list[float]:\n"
            f"    enc = tokenizer(batch, padding=True, truncation=True, return_tensors=\"pt\")\n"
            f"    logits = model(**enc).logits\n"
            f"    return torch.softmax(logits, dim=-1)[:, {g.n(0, 9)}].tolist()\n\n\n"
        )
    return (
        f"# {a} {b}: keep in sync with the {g.w()} service ({g.n()})\n"
        f"{a.upper()}_{b.upper()}_LIMIT = {g.n(1, 10000)}\n"
        f"{a.upper()}_TIMEOUT_S = {g.n(1, 120)}.0\n\n\n"
    )


def go_block(g):
    a, b, v = g.w(), g.w(), g.v()
    c = g.r.randrange(6)
    A = camel(a)
    if c == 0:
        return (
            f"// {camel(v, a)}Handler serves /{a}s.\n"
            f"func (s *Server) {camel(v, a)}Handler(w http.ResponseWriter, r *http.Request) {{\n"
            f"\tctx, cancel := context.WithTimeout(r.Context(), {g.n(1, 30)}*time.Second)\n"
            f"\tdefer cancel()\n"
            f"\titem, err := s.{a}s.Get(ctx, r.URL.Query().Get(\"{b}\"))\n"
            f"\tif err != nil {{\n"
            f"\t\thttp.Error(w, err.Error(), http.StatusBadGateway)\n"
            f"\t\treturn\n"
            f"\t}}\n"
            f"\tw.Header().Set(\"Content-Type\", \"application/json\")\n"
            f"\t_ = json.NewEncoder(w).Encode(item)\n"
            f"}}\n\n"
        )
    if c == 1:
        return (
            f"func {v}{A}s(ctx context.Context, ids []string, workers int) ([]{A}, error) {{\n"
            f"\tout := make(chan {A}, len(ids))\n"
            f"\terrs := make(chan error, 1)\n"
            f"\tvar wg sync.WaitGroup\n"
            f"\tsem := make(chan struct{{}}, workers)\n"
            f"\tfor _, id := range ids {{\n"
            f"\t\twg.Add(1)\n"
            f"\t\tgo func(id string) {{\n"
            f"\t\t\tdefer wg.Done()\n"
            f"\t\t\tsem <- struct{{}}{{}}\n"
            f"\t\t\tdefer func() {{ <-sem }}()\n"
            f"\t\t\tv, err := load{A}(ctx, id)\n"
            f"\t\t\tif err != nil {{\n"
            f"\t\t\t\tselect {{\n"
            f"\t\t\t\tcase errs <- err:\n"
            f"\t\t\t\tdefault:\n"
            f"\t\t\t\t}}\n"
            f"\t\t\t\treturn\n"
            f"\t\t\t}}\n"
            f"\t\t\tout <- v\n"
            f"\t\t}}(id)\n"
            f"\t}}\n"
            f"\twg.Wait()\n"
            f"\tclose(out)\n"
            f"\tselect {{\n"
            f"\tcase err := <-errs:\n"
            f"\t\treturn nil, err\n"
            f"\tdefault:\n"
            f"\t}}\n"
            f"\tres := make([]{A}, 0, len(ids))\n"
            f"\tfor v := range out {{\n"
            f"\t\tres = append(res, v)\n"
            f"\t}}\n"
            f"\treturn res, nil\n"
            f"}}\n\n"
        )
    if c == 2:
        return (
            f"// {A} is a {b} record.\n"
            f"type {A} struct {{\n"
            f"\tID        string    `json:\"id\"`\n"
            f"\t{camel(b)}    string    `json:\"{b}\"`\n"
            f"\tCount     int       `json:\"count\"`\n"
            f"\tUpdatedAt time.Time `json:\"updated_at\"`\n"
            f"}}\n\n"
        )
    if c == 3:
        return (
            f"func (c *{A}Cache) {camel(v)}(key string) ({A}, bool) {{\n"
            f"\tc.mu.RLock()\n"
            f"\tdefer c.mu.RUnlock()\n"
            f"\tv, ok := c.items[key]\n"
            f"\tif !ok || time.Since(v.UpdatedAt) > {g.n(1, 600)}*time.Second {{\n"
            f"\t\treturn {A}{{}}, false\n"
            f"\t}}\n"
            f"\treturn v, true\n"
            f"}}\n\n"
        )
    if c == 4:
        return (
            f"func (p *Proxy) forward{A}(ctx context.Context, req *http.Request) (*http.Response, error) {{\n"
            f"\tout := req.Clone(ctx)\n"
            f"\tout.URL.Host = p.upstream{camel(b)}\n"
            f"\tout.Header.Set(\"X-Request-Id\", req.Header.Get(\"X-Request-Id\"))\n"
            f"\tresp, err := p.client.Do(out)\n"
            f"\tif err != nil {{\n"
            f"\t\treturn nil, fmt.Errorf(\"forward {a}: %w\", err)\n"
            f"\t}}\n"
            f"\treturn resp, nil\n"
            f"}}\n\n"
        )
    return (
        f"const (\n"
        f"\t{a}{camel(b)}Limit = {g.n(1, 10000)}\n"
        f"\t{a}Timeout = {g.n(1, 60)} * time.Second\n"
        f")\n\n"
    )


def c_block(g):
    a, b, v = g.w(), g.w(), g.v()
    c = g.r.randrange(4)
    if c == 0:
        return (
            f"/* {v} {a}: returns 0 or a negative error code */\n"
            f"int {a}_{v}(struct {a} *{a[0]}, const uint8_t *buf, size_t len)\n"
            f"{{\n"
            f"\tsize_t i;\n"
            f"\tuint32_t acc = {g.n()}u;\n\n"
            f"\tif (!{a[0]} || !buf)\n"
            f"\t\treturn -EINVAL;\n"
            f"\tfor (i = 0; i < len; i++)\n"
            f"\t\tacc = (acc * 31u) ^ buf[i];\n"
            f"\t{a[0]}->{b}_hash = acc;\n"
            f"\treturn 0;\n"
            f"}}\n\n"
        )
    if c == 1:
        return (
            f"struct {a}_{b} {{\n"
            f"\tuint64_t id;\n"
            f"\tuint32_t flags;\n"
            f"\tchar name[{g.n(8, 64)}];\n"
            f"\tstruct {a}_{b} *next;\n"
            f"}};\n\n"
        )
    if c == 2:
        return (
            f"static inline int {a}_{b}_{v}(const struct {a} *x, int k)\n"
            f"{{\n"
            f"\treturn x->{b}[k % {g.n(2, 64)}] + {g.n()};\n"
            f"}}\n\n"
        )
    return f"int {a}_{v}_{b}(struct {a} *ctx, int flags);\nvoid {a}_{b}_free(struct {a}_{b} *p);\n\n"


def cpp_block(g):
    a, b, v = g.w(), g.w(), g.v()
    A = camel(a)
    if g.r.randrange(2):
        return (
            f"template <typename T>\n"
            f"class {A}{camel(b)} {{\n"
            f"public:\n"
            f"    explicit {A}{camel(b)}(std::size_t cap = {g.n(8, 4096)}) : cap_(cap) {{}}\n"
            f"    void {v}(const T &value) {{\n"
            f"        std::lock_guard<std::mutex> lock(mu_);\n"
            f"        if (items_.size() >= cap_) items_.erase(items_.begin());\n"
            f"        items_.push_back(value);\n"
            f"    }}\n"
            f"    std::vector<T> snapshot() const;\n\n"
            f"private:\n"
            f"    std::size_t cap_;\n"
            f"    mutable std::mutex mu_;\n"
            f"    std::vector<T> items_;\n"
            f"}};\n\n"
        )
    return (
        f"std::optional<{A}> {A}Store::{v}(std::string_view key) const {{\n"
        f"    auto it = index_.find(std::string(key));\n"
        f"    if (it == index_.end()) return std::nullopt;\n"
        f"    return it->second;  // {b}\n"
        f"}}\n\n"
    )


def ts_block(g):
    a, b, v = g.w(), g.w(), g.v()
    A = camel(a)
    c = g.r.randrange(3)
    if c == 0:
        return (
            f"export interface {A}{camel(b)} {{\n"
            f"  id: string;\n"
            f"  {b}: number;\n"
            f"  {g.w()}?: string;\n"
            f"  updatedAt: string;\n"
            f"}}\n\n"
        )
    if c == 1:
        return (
            f"export async function {v}{A}(id: string, signal?: AbortSignal): Promise<{A}> {{\n"
            f"  const res = await fetch(`/api/{a}s/${{id}}`, {{ signal }});\n"
            f"  if (!res.ok) {{\n"
            f"    throw new Error(`{a} ${{id}}: ${{res.status}}`);\n"
            f"  }}\n"
            f"  return (await res.json()) as {A};\n"
            f"}}\n\n"
        )
    return (
        f"export function {A}{camel(b)}List({{ items }}: {{ items: {A}[] }}) {{\n"
        f"  const [sel, setSel] = useState<string | null>(null);\n"
        f"  return (\n"
        f"    <ul className=\"{a}-list\">\n"
        f"      {{items.map((it) => (\n"
        f"        <li key={{it.id}} onClick={{() => setSel(it.id)}}>{{it.{b}}}</li>\n"
        f"      ))}}\n"
        f"    </ul>\n"
        f"  );\n"
        f"}}\n\n"
    )


def js_block(g):
    a, b, v = g.w(), g.w(), g.v()
    return (
        f"function {v}{camel(a)}(opts, cb) {{\n"
        f"  var {b} = opts && opts.{b} || {g.n()};\n"
        f"  if (typeof cb !== 'function') throw new TypeError('{a}: cb');\n"
        f"  process.nextTick(function () {{ cb(null, {b} * {g.n(2, 9)}); }});\n"
        f"}}\n"
        f"module.exports.{v}{camel(a)} = {v}{camel(a)};\n\n"
    )


def min_js_block(g):
    a, b = g.w(), g.w()
    return (
        f"var {a[0]}{g.n()}=function(e,t){{return e.{b}?t({a[0]}.{a}(e)):{g.n()}}},"
        f"{b[0]}{g.n()}={{{a}:function(e){{return e*{g.n()}|0}},{b}:\"{a}\"}};"
    )


def java_block(g):
    a, b, v = g.w(), g.w(), g.v()
    return (
        f"    public {camel(a)} {v}{camel(b)}(final String id) {{\n"
        f"        Objects.requireNonNull(id, \"id\");\n"
        f"        final {camel(a)} found = repository.findById(id).orElseThrow(() ->\n"
        f"            new NotFoundException(\"{a} \" + id));\n"
        f"        found.set{camel(b)}(found.get{camel(b)}() + {g.n()});\n"
        f"        return repository.save(found);\n"
        f"    }}\n\n"
    )


def yaml_block(g):
    a, b = g.w(), g.w()
    return (
        f"- name: {a}-{b}\n"
        f"  image: registry.example.com/{a}/{b}:1.{g.n(0, 40)}.{g.n(0, 9)}\n"
        f"  resources:\n"
        f"    requests: {{cpu: {g.n(50, 900)}m, memory: {g.n(64, 2048)}Mi}}\n"
        f"    limits: {{cpu: {g.n(1, 4)}, memory: {g.n(1, 8)}Gi}}\n"
        f"  env:\n"
        f"    - {{name: {a.upper()}_{b.upper()}, value: \"{g.n()}\"}}\n"
    )


def json_block(g):
    a, b = g.w(), g.w()
    return f'  "{a}_{b}_{g.n()}": {{"enabled": {str(g.r.random() < 0.5).lower()}, "limit": {g.n()}, "{g.w()}": "{g.w()}"}},\n'


def md_block(g):
    ws = " ".join(g.r.choice(WORDS + VERBS) for _ in range(g.n(20, 60)))
    c = g.r.randrange(4)
    if c == 0:
        return f"## {camel(g.w())} {g.w()}\n\n{ws.capitalize()}.\n\n"
    if c == 1:
        return f"```bash\ncurl -s localhost:{g.n(8000, 9000)}/{g.w()}s | jq .\n```\n\n"
    return f"{ws.capitalize()}.\n\n"


def sh_block(g):
    a = g.w()
    return (
        f"{a}_{g.v()}() {{\n"
        f"\tlocal dir=${{1:-/var/lib/{a}}}\n"
        f"\t[ -d \"$dir\" ] || mkdir -p \"$dir\"\n"
        f"\tfind \"$dir\" -name '*.{g.w()}' -mtime +{g.n(1, 30)} -delete\n"
        f"}}\n\n"
    )


def proto_block(g):
    a, b = g.w(), g.w()
    return (
        f"message {camel(a, b)} {{\n"
        f"  string id = 1;\n"
        f"  int64 {b}_count = 2;\n"
        f"  repeated string {g.w()}s = 3;\n"
        f"  google.protobuf.Timestamp updated_at = 4;\n"
        f"}}\n\n"
    )


def sql_block(g):
    a, b = g.w(), g.w()
    return (
        f"CREATE TABLE IF NOT EXISTS {a}_{b} (\n"
        f"    id BIGSERIAL PRIMARY KEY,\n"
        f"    {a}_id BIGINT NOT NULL REFERENCES {a}(id),\n"
        f"    {b} TEXT NOT NULL DEFAULT '',\n"
        f"    created_at TIMESTAMPTZ NOT NULL DEFAULT now()\n"
        f");\n"
        f"CREATE INDEX IF NOT EXISTS {a}_{b}_{g.n()}_idx ON {a}_{b} ({a}_id);\n\n"
    )


def pb2_block(g):
    a = g.w()
    return (
        f"_{a.upper()}_{g.n()} = _descriptor.Descriptor(name='{camel(a)}', full_name='acme.{a}.v1.{camel(a)}', "
        f"serialized_start={g.n(100, 9999)}, serialized_end={g.n(100, 9999)})\n"
        f"DESCRIPTOR.message_types_by_name['{camel(a)}'] = _{a.upper()}\n"
    )


def pbgo_block(g):
    a, b = g.w(), g.w()
    A = camel(a, b)
    return (
        f"func (x *{A}) Get{camel(b)}() string {{\n"
        f"\tif x != nil {{\n"
        f"\t\treturn x.{camel(b)}\n"
        f"\t}}\n"
        f"\treturn \"\"\n"
        f"}}\n\n"
        f"func (*{A}) Descriptor() ([]byte, []int) {{\n"
        f"\treturn file_acme_{a}_v1_{a}_proto_rawDescGZIP(), []int{{{g.n(0, 40)}}}\n"
        f"}}\n\n"
    )


BLOCKS = {
    "py": py_block, "go": go_block, "c": c_block, "cpp": cpp_block,
    "ts": ts_block, "js": js_block, "minjs": min_js_block, "java": java_block,
    "yaml": yaml_block, "json": json_block, "md": md_block, "sh": sh_block,
    "proto": proto_block, "sql": sql_block, "pb2": pb2_block, "pbgo": pbgo_block,
}

# kind -> (median size in bytes, sigma of log-normal, max size)
SIZES = {
    "py": (3200, 1.0, 200_000), "go": (3800, 1.0, 200_000),
    "gotest": (4500, 0.9, 120_000), "c": (6000, 1.1, 300_000),
    "h": (2200, 1.0, 80_000), "cpp": (7000, 1.0, 250_000),
    "ts": (1800, 0.9, 60_000), "tsx": (2400, 0.8, 60_000),
    "js": (2000, 1.1, 120_000), "nmjs": (1500, 1.3, 250_000),
    "minjs": (9000, 1.2, 400_000), "java": (3500, 0.8, 80_000),
    "yaml": (900, 0.8, 20_000), "json": (700, 1.2, 60_000),
    "md": (2500, 1.0, 40_000), "sh": (1200, 0.8, 12_000),
    "proto": (2000, 0.7, 20_000), "sql": (1500, 0.8, 20_000),
    "pb2": (9000, 0.7, 120_000), "pbgo": (22000, 0.7, 300_000),
    "gov": (4000, 1.1, 200_000), "ipynb": (15000, 1.2, 800_000),
}


class Corpus:
    """One long text per kind, made of blocks; files are line-aligned slices."""

    def __init__(self, g, size=400_000):
        self.text = {}
        for kind, fn in BLOCKS.items():
            parts, n = [], 0
            while n < size:
                s = fn(g)
                parts.append(s)
                n += len(s)
            t = "".join(parts)
            self.text[kind] = t + t  # doubled: a slice never needs to wrap

    def slice(self, g, kind, size):
        t = self.text[kind]
        half = len(t) // 2
        if size >= half:
            reps = size // half + 1
            return (t[:half] * reps)[:size]
        off = g.r.randrange(half)
        nl = t.find("\n", off)
        off = nl + 1 if nl >= 0 and nl < half else 0
        end = t.find("\n", off + size)
        return t[off:end + 1] if end >= 0 else t[off:off + size]


# --------------------------------------------------------------------------
# File headers: per-file, so that every blob is distinct.

PY_API_IMPORTS = [
    "from fastapi import APIRouter, Depends, HTTPException",
    "from pydantic import BaseModel, Field",
    "from sqlalchemy.orm import Session",
    "import httpx",
    "import asyncio",
    "from collections import defaultdict",
    "from datetime import datetime",
    "from typing import Any, Iterable, Mapping",
    "import logging",
    "import redis.asyncio as redis",
    "from celery import shared_task",
]
PY_ML_IMPORTS = [
    "import torch",
    "import torch.nn as nn",
    "from transformers import AutoModel, AutoTokenizer",
    "import numpy as np",
    "import pandas as pd",
    "from sklearn.metrics import roc_auc_score",
    "from fastapi import FastAPI, HTTPException",
    "import onnxruntime as ort",
]
GO_IMPORTS = [
    '"context"', '"encoding/json"', '"errors"', '"fmt"', '"log/slog"',
    '"net/http"', '"net/http/httputil"', '"sync"', '"time"',
    '"golang.org/x/sync/errgroup"', '"github.com/go-chi/chi/v5"',
    '"google.golang.org/grpc"', '"github.com/jackc/pgx/v5/pgxpool"',
]


def header(g, kind, path, variant):
    tag = f"{path} r{variant}"
    if kind == "py":
        pool = PY_ML_IMPORTS if "/ml/" in path or "model" in path else PY_API_IMPORTS
        imps = "\n".join(sorted(g.r.sample(pool, g.n(3, len(pool)))))
        return f'"""{tag}"""\nfrom __future__ import annotations\n\n{imps}\n\nlog = logging.getLogger(__name__)\nrouter = APIRouter()\n\n\n'
    if kind in ("go", "gotest", "gov"):
        pkg = path.rsplit("/", 2)[-2].replace("-", "")
        imps = "\n\t".join(sorted(g.r.sample(GO_IMPORTS, g.n(3, 8))))
        return f"// {tag}\n\npackage {pkg}\n\nimport (\n\t{imps}\n)\n\n"
    if kind == "h":
        guard = path.upper().replace("/", "_").replace(".", "_").replace("-", "_")
        return f"/* {tag} */\n#ifndef {guard}\n#define {guard}\n\n#include <stddef.h>\n#include <stdint.h>\n\n"
    if kind == "c":
        return f"/* {tag} */\n#include <errno.h>\n#include <stdint.h>\n#include <string.h>\n\n"
    if kind == "cpp":
        return f"// {tag}\n#include <mutex>\n#include <optional>\n#include <string>\n#include <vector>\n\n"
    if kind in ("ts", "tsx"):
        return f"// {tag}\nimport {{ useState }} from \"react\";\n\n"
    if kind == "js" or kind == "nmjs":
        return f"'use strict';\n// {tag}\n\n"
    if kind == "minjs":
        return f"/*! {tag} | MIT */\n"
    if kind == "java":
        parts = path.split("/")
        pkg = ".".join(parts[5:-1])
        cls = parts[-1][:-5]
        return f"// {tag}\npackage {pkg};\n\nimport java.util.Objects;\n\npublic final class {cls} {{\n\n"
    if kind == "yaml":
        return f"# {tag}\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {g.w()}-{g.n()}\nspec:\n  containers:\n"
    if kind == "json":
        return f'{{\n  "_source": "{tag}",\n'
    if kind == "md":
        return f"# {camel(g.w())} {g.w()}\n\n<!-- {tag} -->\n\n"
    if kind == "sh":
        return f"#!/usr/bin/env bash\n# {tag}\nset -euo pipefail\n\n"
    if kind == "proto":
        return f'// {tag}\nsyntax = "proto3";\n\npackage acme.{g.w()}.v1;\n\nimport "google/protobuf/timestamp.proto";\n\n'
    if kind == "sql":
        return f"-- {tag}\nBEGIN;\n\n"
    if kind == "pb2":
        return (
            "# -*- coding: utf-8 -*-\n# Generated by the protocol buffer compiler.  DO NOT EDIT!\n"
            f"# source: {tag}\n\"\"\"Generated protocol buffer code.\"\"\"\n"
            "from google.protobuf import descriptor as _descriptor\n"
            "from google.protobuf import descriptor_pool as _descriptor_pool\n\n"
        )
    if kind == "pbgo":
        return (
            "// Code generated by protoc-gen-go. DO NOT EDIT.\n// versions:\n"
            f"// \tprotoc-gen-go v1.31.0\n// source: {tag}\n\npackage {g.w()}v1\n\n"
        )
    return f"# {tag}\n"


FOOTER = {"h": "\n#endif\n", "java": "}\n", "json": '  "_end": true\n}\n', "sql": "COMMIT;\n"}
BODY_KIND = {"gotest": "go", "gov": "go", "h": "c", "tsx": "ts", "nmjs": "js"}


def notebook(g, corpus, path, size):
    """A Jupyter notebook: Python code cells, markdown cells, outputs with a PNG."""
    import json as _json

    cells = [{"cell_type": "markdown", "metadata": {}, "source": [f"# {path}\n"]}]
    n = 0
    while n < size:
        code = corpus.slice(g, "py", g.n(300, 2500))
        code = "import torch\nimport pandas as pd\n" + code if not cells[1:] else code
        outputs = []
        if g.r.random() < 0.3:
            png = "".join(g.r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(g.n(500, 6000)))
            outputs.append({"output_type": "display_data", "metadata": {}, "data": {"image/png": png, "text/plain": ["<Figure>"]}})
            n += len(png)
        cells.append({"cell_type": "code", "execution_count": len(cells), "metadata": {}, "outputs": outputs, "source": code.splitlines(True)})
        n += len(code)
    doc = {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                                         "language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}
    return _json.dumps(doc, indent=1) + "\n"


def raw_content(g, path, variant):
    name = path.rsplit("/", 1)[-1]
    if name == "requirements.txt":
        ml = "-ml/" in path or g.r.random() < 0.3
        deps = ["fastapi==0.110.0", "uvicorn[standard]>=0.29", "pydantic>=2.6,<3", "sqlalchemy==2.0.29",
                "httpx>=0.27", "redis>=5.0", "celery==5.3.6"]
        if ml:
            deps += ["torch==2.2.1", "transformers>=4.39", "numpy>=1.26", "scikit-learn==1.4.1.post1"]
        return f"# {path} r{variant}\n" + "\n".join(deps) + "\n"
    if name == "pyproject.toml":
        svc = path.split("/")[1]
        return (f'[project]\nname = "{svc}"\nversion = "0.{variant}.0"\nrequires-python = ">=3.11"\n'
                f'dependencies = ["fastapi>=0.110", "pydantic>=2"]\n\n[tool.ruff]\nline-length = 100\n')
    if name == "go.mod":
        return ("module github.com/acme/platform\n\ngo 1.22\n\nrequire (\n"
                "\tgithub.com/go-chi/chi/v5 v5.0.12\n\tgithub.com/jackc/pgx/v5 v5.5.5\n"
                "\tgolang.org/x/sync v0.6.0\n\tgoogle.golang.org/grpc v1.62.1\n"
                "\tgoogle.golang.org/protobuf v1.33.0\n\tgithub.com/gorilla/websocket v1.5.1 // indirect\n)\n")
    if name == "go.sum":
        return "".join(f"github.com/acme/{g.w()} v1.{i}.0 h1:{g.r.getrandbits(160):040x}=\n" for i in range(300))
    if name == "Dockerfile":
        return f"# {path}\nFROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY app app\nCMD [\"uvicorn\", \"app.main:app\", \"--host\", \"0.0.0.0\"]\n"
    if name == "Makefile":
        return "all: build\n\nbuild:\n\tgo build ./...\n\ntest:\n\tgo test ./... && pytest services\n"
    if name == ".gitignore":
        return "__pycache__/\n*.pyc\n/bin/\n.venv/\n"
    return f"# {path} r{variant}\n"


def sample_size(g, kind):
    med, sigma, mx = SIZES[kind]
    s = int(g.r.lognormvariate(math.log(med), sigma))
    return max(40, min(mx, s))


def content(g, corpus, kind, path, variant, size=None):
    if kind == "raw":
        return raw_content(g, path, variant)
    if size is None:
        size = sample_size(g, kind)
    if kind == "ipynb":
        return notebook(g, corpus, path, size)
    h = header(g, kind, path, variant)
    body = corpus.slice(g, BODY_KIND.get(kind, kind), max(0, size - len(h)))
    return h + body + FOOTER.get(kind, "")


# --------------------------------------------------------------------------
# The tree: (path, kind) for every file of the initial import.


def layout(g):
    files = []
    seen = set()

    def add(path, kind):
        if path not in seen:
            seen.add(path)
            files.append((path, kind))

    def names(n, ext, suffix=""):
        out = set()
        while len(out) < n:
            out.add(f"{g.w()}_{g.v()}{suffix}{ext}" if g.r.random() < 0.6 else f"{g.w()}{suffix}{ext}")
        return sorted(out)

    # Python services: 60 services x ~200 files
    svcs = sorted({f"{g.w()}-{g.r.choice(['api', 'svc', 'worker', 'ml', 'service'])}" for _ in range(90)})[:60]
    for svc in svcs:
        ml = svc.endswith("-ml") or g.r.random() < 0.25
        base = f"services/{svc}"
        subs = ["api", "api/v1", "api/v2", "models", "schemas", "services", "core", "db", "db/repositories", "workers", "utils"]
        if ml:
            subs += ["ml", "ml/training", "ml/inference", "ml/features"]
        for sub in subs:
            for nm in names(g.n(8, 22), ".py"):
                add(f"{base}/app/{sub}/{nm}", "py")
            add(f"{base}/app/{sub}/__init__.py", "raw")
        for nm in names(g.n(15, 40), ".py", "_test"):
            add(f"{base}/tests/{nm.replace('_test.py', '')}_test.py" if False else f"{base}/tests/test_{nm}", "py")
        for nm in names(g.n(3, 8), ".yaml"):
            add(f"{base}/deploy/{nm}", "yaml")
        if ml:
            for nm in names(g.n(2, 8), ".ipynb"):
                add(f"{base}/notebooks/{nm}", "ipynb")
        add(f"{base}/README.md", "md")
        add(f"{base}/Dockerfile", "raw")
        add(f"{base}/requirements.txt", "raw")
        add(f"{base}/pyproject.toml", "raw")
    # Go services: cmd/ + internal/ + pkg/
    for _ in range(40):
        nm = f"{g.w()}-{g.r.choice(['gateway', 'proxy', 'server', 'agent', 'ctl'])}"
        add(f"cmd/{nm}/main.go", "go")
    gopkgs = sorted({f"{g.w()}/{g.w()}" for _ in range(600)})[:420]
    for p in gopkgs:
        root = "internal" if g.r.random() < 0.7 else "pkg"
        for nm in names(g.n(6, 18), ".go"):
            add(f"{root}/{p}/{nm}", "go")
            if g.r.random() < 0.45:
                add(f"{root}/{p}/{nm[:-3]}_test.go", "gotest")
    add("go.mod", "raw")
    add("go.sum", "raw")
    # protobuf sources and generated code
    protos = sorted({g.w() + "_" + g.w() for _ in range(1500)})[:1100]
    for i, p in enumerate(protos):
        pkg = WORDS[i % len(WORDS)]
        add(f"proto/acme/{pkg}/v1/{p}.proto", "proto")
        add(f"gen/python/acme/{pkg}/v1/{p}_pb2.py", "pb2")
        if i % 2 == 0:
            add(f"gen/python/acme/{pkg}/v1/{p}_pb2_grpc.py", "pb2")
        add(f"gen/go/acme/{pkg}/v1/{p}.pb.go", "pbgo")
        if i % 2 == 1:
            add(f"gen/go/acme/{pkg}/v1/{p}_grpc.pb.go", "pbgo")
    # native C/C++
    for lib in sorted({g.w() for _ in range(60)})[:30]:
        for nm in names(g.n(20, 60), ".h"):
            add(f"native/{lib}/include/{lib}/{nm}", "h")
        for nm in names(g.n(15, 40), ".c"):
            add(f"native/{lib}/src/{nm}", "c")
        for nm in names(g.n(10, 30), ".cc"):
            add(f"native/{lib}/src/cpp/{nm}", "cpp")
        for nm in names(g.n(5, 15), ".hpp"):
            add(f"native/{lib}/include/{lib}/cpp/{nm}", "h")
        add(f"native/{lib}/CMakeLists.txt", "raw")
    # front ends
    for app in ["console", "admin", "storefront", "dashboard", "checkout", "support"]:
        base = f"web/{app}"
        for sub in ["src/components", "src/pages", "src/hooks", "src/api", "src/utils", "src/store", "src/components/forms", "src/components/tables"]:
            for nm in names(g.n(40, 120), ".tsx" if "components" in sub or "pages" in sub else ".ts"):
                add(f"{base}/{sub}/{nm}", "tsx" if nm.endswith(".tsx") else "ts")
        for nm in names(g.n(30, 80), ".js"):
            add(f"{base}/scripts/{nm}", "js")
        add(f"{base}/package.json", "json")
        add(f"{base}/tsconfig.json", "json")
        # vendored node_modules, nested for depth
        for pkg in sorted({g.w() + "-" + g.w() for _ in range(120)})[:80]:
            pbase = f"{base}/node_modules/{pkg}"
            add(f"{pbase}/package.json", "json")
            for nm in names(g.n(5, 25), ".js"):
                add(f"{pbase}/lib/{nm}", "nmjs")
            add(f"{pbase}/dist/{pkg}.min.js", "minjs")
            if g.r.random() < 0.3:
                deep = f"{pbase}/node_modules/{g.w()}/node_modules/{g.w()}-{g.w()}/lib/internal/{g.w()}/{g.w()}"
                for nm in names(g.n(3, 8), ".js"):
                    add(f"{deep}/{nm}", "nmjs")
    # Go vendor tree
    for org in sorted({g.w() for _ in range(40)})[:25]:
        for repo in sorted({g.w() for _ in range(12)})[:6]:
            for sub in ["", "internal/", f"{g.w()}/", f"internal/{g.w()}/"]:
                for nm in names(g.n(4, 14), ".go"):
                    add(f"vendor/github.com/{org}/{repo}/{sub}{nm}", "gov")
    add("vendor/modules.txt", "raw")
    # Java, very deep
    jbase = "legacy/billing-service/src/main/java/com/acme/platform/billing/internal"
    for a in ["core", "adapter", "infra"]:
        for b in ["domain", "port", "config"]:
            for c in ["model", "service", "event"]:
                for d in sorted({g.w() for _ in range(12)})[:8]:
                    for _ in range(g.n(3, 9)):
                        add(f"{jbase}/{a}/{b}/{c}/{d}/{camel(g.w(), g.w())}.java", "java")
    # config, deploy, docs, scripts, migrations, CI
    for env in ["dev", "staging", "prod", "prod-eu", "prod-us"]:
        for svc in svcs:
            add(f"deploy/k8s/{env}/{svc}/deployment.yaml", "yaml")
            add(f"deploy/k8s/{env}/{svc}/service.yaml", "yaml")
            if g.r.random() < 0.5:
                add(f"deploy/k8s/{env}/{svc}/hpa.yaml", "yaml")
    for nm in names(400, ".json"):
        add(f"config/{g.w()}/{nm}", "json")
    for sec in sorted({g.w() for _ in range(80)})[:40]:
        for nm in names(g.n(10, 40), ".md"):
            add(f"docs/{sec}/{nm}", "md")
    for nm in names(250, ".sh"):
        add(f"scripts/{g.w()}/{nm}", "sh")
    for nm in names(120, ".py"):
        add(f"scripts/tools/{nm}", "py")
    for i in range(600):
        add(f"db/migrations/{i:04d}_{g.w()}_{g.w()}.sql", "sql")
    for nm in names(40, ".ipynb"):
        add(f"notebooks/research/{nm}", "ipynb")
    for nm in names(30, ".yml"):
        add(f".github/workflows/{nm}", "yaml")
    add("README.md", "md")
    add("Makefile", "raw")
    add(".gitignore", "raw")
    return files


# --------------------------------------------------------------------------
# Special files: a few 1-5 MB files and the 24 MB dump.


def big_files(g, corpus):
    out = []
    out.append(("third_party/sqlite/sqlite3.c", corpus.slice(g, "c", 4_800_000)))
    out.append(("web/storefront/public/vendor.bundle.min.js", corpus.slice(g, "minjs", 2_600_000)))
    out.append(("gen/go/acme/catalog/v1/zz_generated.deepcopy.go",
                "// Code generated by controller-gen. DO NOT EDIT.\n\npackage v1\n\n" + corpus.slice(g, "go", 3_100_000)))
    out.append(("services/search-api/app/ml/vocab.json", "{\n" + corpus.slice(g, "json", 1_500_000) + '  "_end": 0\n}\n'))
    out.append(("docs/api/openapi-full.yaml", corpus.slice(g, "yaml", 1_200_000)))
    blob = bytes(g.r.getrandbits(8) for _ in range(4096)) * 256  # 1 MB binary
    out.append(("services/vision-ml/app/ml/weights/tiny.onnx", blob))
    return out


def sql_dump(g):
    rows = []
    for i in range(2000):
        rows.append(f"({{}}, '{g.w()}-{g.w()}', {g.n(0, 99999)}, '2022-{g.n(1, 12):02d}-{g.n(1, 28):02d}T{g.n(0, 23):02d}:00:00Z', '{g.w()} {g.w()} {g.w()}'),\n")
    head = "-- pg_dump of events (fixture)\nINSERT INTO events (id, kind, amount, at, note) VALUES\n"
    parts, n, i = [head], len(head), 0
    while n < BIG_BLOB_SIZE:
        s = rows[i % 2000].format(i + 1)
        parts.append(s)
        n += len(s)
        i += 1
    parts.append("(0, 'end', 0, '2022-12-31T00:00:00Z', '');\n")
    return "".join(parts)


# --------------------------------------------------------------------------


class Stream:
    def __init__(self, out):
        self.out = out
        self.mark = 0

    def blob(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.mark += 1
        self.out.write(b"blob\nmark :%d\ndata %d\n" % (self.mark, len(data)))
        self.out.write(data)
        self.out.write(b"\n")
        return self.mark

    def commit(self, ref, who, when, msg, changes, parent=None):
        self.mark += 1
        name, email = who
        m = msg.encode()
        w = self.out.write
        w(b"commit %s\nmark :%d\n" % (ref.encode(), self.mark))
        w(b"author %s <%s> %d +0000\n" % (name.encode(), email.encode(), when))
        w(b"committer %s <%s> %d +0000\n" % (name.encode(), email.encode(), when))
        w(b"data %d\n%s\n" % (len(m), m))
        if parent:
            w(b"from :%d\n" % parent)
        for ch in changes:
            if ch[0] == "D":
                w(b"D %s\n" % ch[1].encode())
            else:
                w(b"M %s :%d %s\n" % (ch[0].encode(), ch[1], ch[2].encode()))
        w(b"\n")
        return self.mark


AUTHORS = [
    ("Ana Lima", "ana@acme.dev"), ("Ben Okafor", "ben@acme.dev"), ("Chen Wei", "chen@acme.dev"),
    ("Dmitri Volkov", "dmitri@acme.dev"), ("Eva Novak", "eva@acme.dev"), ("Farah Khan", "farah@acme.dev"),
    ("Gus Muller", "gus@acme.dev"), ("Hana Sato", "hana@acme.dev"), ("Ivan Petrov", "ivan@acme.dev"),
    ("Julia Rossi", "julia@acme.dev"), ("Kofi Mensah", "kofi@acme.dev"), ("Lena Berg", "lena@acme.dev"),
    ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
]


def main():
    g = Gen(SEED)
    corpus = Corpus(g)
    out = sys.stdout.buffer
    s = Stream(out)
    ref = "refs/heads/main"

    files = layout(g)
    state = {}  # path -> kind
    changes = []
    for path, kind in files:
        mode = "100755" if kind == "sh" else "100644"
        m = s.blob(content(g, corpus, kind, path, 0))
        changes.append((mode, m, path))
        state[path] = kind
    for path, data in big_files(g, corpus):
        m = s.blob(data)
        changes.append(("100644", m, path))
        state[path] = "big"
    attrs = ("gen/** linguist-generated=true\nthird_party/** linguist-vendored\n"
             "*.min.js linguist-generated\ndocs/** linguist-documentation\n")
    changes.append(("100644", s.blob(attrs), ".gitattributes"))
    # a symlink, to be skipped
    changes.append(("120000", s.blob("../README.md"), "docs/README.md"))
    state[".gitattributes"] = state["docs/README.md"] = "big"
    t = T0
    head = s.commit(ref, AUTHORS[0], t, "Import monorepo\n", changes)

    paths = sorted(p for p, k in state.items() if k != "big")
    editable = [p for p in paths if state[p] in ("py", "go", "gotest", "ts", "tsx", "yaml", "md", "c", "h", "sql", "json")]
    for i in range(1, N_HISTORY + 1):
        t += g.n(1800, 8 * 3600)
        who = g.r.choice(AUTHORS[:-1]) if i % 17 else AUTHORS[-1]
        changes = []
        if i == BIG_BLOB_AT:
            out.write(b"reset refs/tags/bench/before-big-blob\nfrom :%d\n\n" % head)
            m = s.blob(sql_dump(g))
            changes.append(("100644", m, "db/fixtures/events-dump.sql"))
            msg = "Add events dump fixture\n"
        else:
            k = g.n(1, 6)
            for _ in range(k):
                r = g.r.random()
                if r < 0.8:
                    p = g.r.choice(editable)
                    if p not in state:
                        continue
                    changes.append(("100644", s.blob(content(g, corpus, state[p], p, i)), p))
                elif r < 0.93:
                    base = g.r.choice(editable).rsplit("/", 1)[0]
                    kind = g.r.choice(["py", "go", "ts", "md", "yaml"])
                    ext = {"py": ".py", "go": ".go", "ts": ".ts", "md": ".md", "yaml": ".yaml"}[kind]
                    p = f"{base}/{g.w()}_{g.v()}_{i}{ext}"
                    changes.append(("100644", s.blob(content(g, corpus, kind, p, i)), p))
                    state[p] = kind
                else:
                    p = g.r.choice(editable)
                    if p in state:
                        changes.append(("D", p))
                        del state[p]
            msg = f"{g.v().capitalize()} {g.w()} {g.w()} ({len(changes)} files)\n"
            if not changes:
                continue
        head = s.commit(ref, who, t, msg, changes, None)
        if i == BIG_BLOB_AT:
            out.write(b"reset refs/tags/bench/with-big-blob\nfrom :%d\n\n" % head)
    out.write(b"reset refs/heads/main\nfrom :%d\n\ndone\n" % head)
    out.flush()
    n_files = len(state) + 1  # + the dump
    print(f"make-large-repo: {n_files} files at HEAD, {s.mark} marks", file=sys.stderr)


if __name__ == "__main__":
    main()
