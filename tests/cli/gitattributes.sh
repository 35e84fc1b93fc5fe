#!/bin/bash
# linguist-* attributes: pyorgo reads .gitattributes itself; what it
# decides for each file must agree with `git check-attr`.
. "$SRC_DIR/tests/cli/lib.bash"

r=$(new_repo attrs)
put "$r" .gitattributes '# linguist overrides
*.gen.py linguist-generated
/top.js linguist-vendored
lib/**/*.c linguist-vendored
**/fixtures/** linguist-documentation
[ab]*.rb linguist-language=Python
*.tmpl linguist-language=protocol-buffer
keep.py linguist-vendored
keep.py !linguist-vendored
vendor/** -linguist-vendored
folder/ linguist-vendored
*.cfg linguist-detectable
plain.py text eol=lf
'
put "$r" sub/.gitattributes '*.py linguist-generated
x.py -linguist-generated
'
for f in top.js sub/top.js lib/a.c lib/x/y/b.c lib/c.h src/fixtures/f.py \
	fixtures/g.py a1.rb c1.rb keep.py vendor/v.js folder/file.py sub/y.py \
	sub/x.py app.gen.py plain.py settings.cfg page.tmpl; do
	case $f in
	*.js) put "$r" "$f" 'var x = 1;
' ;;
	*.c | *.h) put "$r" "$f" 'int x;
' ;;
	*.rb) put "$r" "$f" 'puts 1
' ;;
	*.cfg) put "$r" "$f" '[a]
b = 1
' ;;
	*) put "$r" "$f" 'x = 1
' ;;
	esac
done
commit_all "$r" 2024-01-10T10:00:00Z "attrs"

expect_rc "scan --files" 0 "$PYORGO" scan "$r" --format json --files --no-history --no-timings
cp "$TEST_TMP/out" "$TEST_TMP/files.json"
(cd "$r" && git ls-files | grep -v gitattributes |
	git check-attr --stdin linguist-vendored linguist-generated \
		linguist-documentation linguist-language linguist-detectable) >"$TEST_TMP/attrs.txt"

python3 - "$TEST_TMP/files.json" "$TEST_TMP/attrs.txt" <<'PY'
import json, sys
files = {f["path"]: f for f in json.load(open(sys.argv[1]))["files"]}
attrs = {}
for line in open(sys.argv[2]):
    path, name, value = line.rstrip("\n").split(": ", 2)
    attrs.setdefault(path, {})[name] = value
bad = 0
for path, a in sorted(attrs.items()):
    f = files[path]
    want_ex = None
    for name, reason in (("linguist-vendored", "vendored"),
                         ("linguist-generated", "generated"),
                         ("linguist-documentation", "documentation")):
        if a[name] == "set":
            want_ex = reason
    lang = a["linguist-language"]
    ok = f["excluded"] == want_ex
    if lang not in ("unspecified", "set", "unset"):
        # names and Linguist's dash aliases, any case
        norm = lambda x: (x or "").lower().replace("-", " ")
        ok = ok and norm(f["language"]) == norm(lang) and f["strategy"] == "gitattributes"
    print(("ok   " if ok else "BAD  ") + path, a, f["excluded"], f["language"])
    bad += not ok
sys.exit(1 if bad else 0)
PY
if [ $? = 0 ]; then ok "every file agrees with git check-attr"; else fail "a file disagrees with git check-attr (see above)"; fi
expect_eq "an unset vendored attribute wins over the vendor/ path rule" null "$(jget "$TEST_TMP/files.json" 'json.dumps([f["excluded"] for f in d["files"] if f["path"]=="vendor/v.js"][0])' 2>/dev/null || python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps([f["excluded"] for f in d["files"] if f["path"]=="vendor/v.js"][0]))' "$TEST_TMP/files.json")"
expect_eq "linguist-detectable puts a data language in the share" True "$(jget "$TEST_TMP/files.json" '[l["in_share"] for l in d["languages"] if l["name"]=="INI"][0]')"
finish
