#!/usr/bin/env python3
"""Writes the saved fuzz corpus: real files (Beacon's template, a LibreOffice-saved workbook,
the CSV form) and hostile ones (zip bombs, many entries, paths that leave the archive, cut-short
and lying archives, random bytes). Run from the repository root after writing the inputs
(see crates/interchange/tests/fixtures/README.md):

    python3 fuzz/make_corpus.py /tmp/lo/in

The corpus is committed; CI never runs this script. Every file is replayed by
crates/interchange/tests/fuzz_corpus.rs on every test run.
"""
import io, os, random, struct, sys, zipfile, zlib

src = sys.argv[1]
root = os.path.dirname(os.path.abspath(__file__))
X = os.path.join(root, "corpus", "collect_xlsx")
C = os.path.join(root, "corpus", "collect_csv")
os.makedirs(X, exist_ok=True)
os.makedirs(C, exist_ok=True)
rnd = random.Random(8)


def put(d, name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def zipped(entries, method=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", method) as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return b.getvalue()


def patch_sizes(data, name, size):
    """Rewrites the uncompressed size of `name` in both its local and central headers."""
    out = bytearray(data)
    n = name.encode()
    i = 0
    while True:
        i = out.find(b"PK\x03\x04", i)
        if i < 0:
            break
        ln = struct.unpack_from("<H", out, i + 26)[0]
        if bytes(out[i + 30:i + 30 + ln]) == n:
            struct.pack_into("<I", out, i + 22, size)
        i += 4
    i = 0
    while True:
        i = out.find(b"PK\x01\x02", i)
        if i < 0:
            break
        ln = struct.unpack_from("<H", out, i + 28)[0]
        if bytes(out[i + 46:i + 46 + ln]) == n:
            struct.pack_into("<I", out, i + 24, size)
        i += 4
    return bytes(out)


template = open(os.path.join(src, "template.xlsx"), "rb").read()
put(X, "template.xlsx", template)
lo = os.path.join(root, "..", "crates", "interchange", "tests", "fixtures", "filled-libreoffice.xlsx")
put(X, "filled-libreoffice.xlsx", open(lo, "rb").read())
put(X, "truncated.xlsx", template[: len(template) // 2])
put(X, "truncated-directory.xlsx", template[:-30])
put(X, "random.bin", bytes(rnd.getrandbits(8) for _ in range(2048)))
put(X, "empty", b"")
put(X, "pk-only", b"PK\x03\x04")
put(X, "old-xls.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
# A real bomb: 40 MB of zeros packed into about 40 KB.
put(X, "bomb-ratio.xlsx", zipped([("xl/worksheets/sheet1.xml", b"\0" * 40_000_000)]))
# A bomb that declares a huge size (4 GB) in its headers.
put(X, "bomb-declared.xlsx", patch_sizes(zipped([("xl/workbook.xml", b"<x/>" * 100)]), "xl/workbook.xml", 0xFFFFFFFF))
# A liar: declares 10 bytes, inflates to 200 KB.
put(X, "lying-size.xlsx", patch_sizes(zipped([("xl/sharedStrings.xml", b"a" * 200_000)]), "xl/sharedStrings.xml", 10))
put(X, "many-entries.xlsx", zipped([(f"{i}", b"") for i in range(1001)], zipfile.ZIP_STORED))
put(X, "dotdot-path.xlsx", zipped([("[Content_Types].xml", b"<Types/>"), ("../../etc/cron.d/x", b"boom")]))
put(X, "absolute-path.xlsx", zipped([("/etc/passwd", b"root")]))
put(X, "backslash-path.xlsx", zipped([("..\\..\\x.txt", b"x")]))
# Workbook parts that lie: a sheet with cells at the far corner, broken XML, a missing sheet.
with zipfile.ZipFile(io.BytesIO(template)) as z:
    parts = {n: z.read(n) for n in z.namelist()}
far = parts["xl/worksheets/sheet2.xml"].replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
put(X, "far-cell.xlsx", zipped(list({**parts, "xl/worksheets/sheet2.xml": far}.items())))
put(X, "broken-xml.xlsx", zipped(list({**parts, "xl/worksheets/sheet2.xml": parts["xl/worksheets/sheet2.xml"][:300]}.items())))
put(X, "no-sheets.xlsx", zipped([(n, d) for n, d in parts.items() if "worksheets" not in n]))
put(X, "no-workbook.xlsx", zipped([(n, d) for n, d in parts.items() if n != "xl/workbook.xml"]))
strings = parts.get("xl/sharedStrings.xml", b"")
put(X, "bad-shared-string-index.xlsx", zipped(list({**parts, "xl/worksheets/sheet2.xml": parts["xl/worksheets/sheet2.xml"].replace(b"<v>1</v>", b"<v>999999999</v>", 3)}.items())))

csv = open(os.path.join(src, "template.csv"), "rb").read()
put(C, "template.csv", csv)
put(C, "filled.csv", csv.replace(b",76%,", b",81%,", 1).replace(b",,,,,,,", b",abc,,,,,,", 1))
put(C, "bom.csv", b"\xef\xbb\xbf" + csv[:2000])
put(C, "bad-utf8.csv", csv[:500] + b"\xff\xfe" + csv[500:900])
put(C, "unterminated-quote.csv", b'council,unit\n"halton,CED\n')
put(C, "formulas.csv", b'plan,ref,description\nCED-2012-13,=cmd|x,"=HYPERLINK(""http://x"",""y"")"\n')
put(C, "many-columns.csv", b",".join([b"x"] * 5000) + b"\n")
put(C, "setup-values.csv", b"plan,indicator,period,value\nCED-2012-13,NI072,2010/11,44.2%\nCED-2012-13,NI072,2099/00,1\n")
put(C, "setup-indicators.csv", b"plan,ref,description,measure,better\nCED-2012-13,NEW1,x,percentage,up\n")
put(C, "random.bin", bytes(rnd.getrandbits(8) for _ in range(2048)))
put(C, "empty", b"")
put(C, "newlines-only.csv", b"\n\r\n\n")
print("corpus written")
